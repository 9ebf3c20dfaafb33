package quiz

import "context"

// Service is every use case behind one type, with the signatures the adapters were written
// against: discord.Quiz, discord.Moderation and console.Quiz. It has far more than 15 methods.
//
// Kept until the adapters move to the split interfaces (App's Practice, Members, Daily and
// Moderation, each behind its own consumer-side interface); remove then, with this file. The
// methods that take a Publisher or BankCodec use the one given (bot/ builds the publisher after
// the service), else the one in Options.
type Service struct {
	*Practice
	*Members
	*DailyPosts
	*Moderation
	core *core
}

// NewService returns every use case over store with the shipped bank, as one Service. Kept
// with Service; New replaces it.
func NewService(store Store, bank *Bank, opts Options) *Service {
	c := newCore(store, bank, opts)
	app := c.app(&imports{})
	return &Service{Practice: app.Practice, Members: app.Members, DailyPosts: app.Daily, Moderation: app.Moderation, core: c}
}

// CloseSession is Practice.Close with the publisher pub.
func (s *Service) CloseSession(ctx context.Context, a Actor, sid SessionID, pub Publisher) error {
	_, _, err := (&Practice{s.core.with(pub, nil)}).Close(ctx, a, CloseRequest{Session: sid})
	return err
}

// SetupDaily is DailyPosts.Setup.
func (s *Service) SetupDaily(ctx context.Context, a Actor, r DailyRequest) (Daily, error) {
	return s.DailyPosts.Setup(ctx, a, r)
}

// ShowDaily is DailyPosts.Show.
func (s *Service) ShowDaily(ctx context.Context, a Actor) (DailyStatus, error) {
	return s.DailyPosts.Show(ctx, a)
}

// PauseDaily is DailyPosts.Pause.
func (s *Service) PauseDaily(ctx context.Context, a Actor, pause bool) (Daily, error) {
	return s.DailyPosts.Pause(ctx, a, pause)
}

// SkipDaily is DailyPosts.Skip.
func (s *Service) SkipDaily(ctx context.Context, a Actor) (Day, error) {
	return s.DailyPosts.Skip(ctx, a)
}

// PostDailyNow is DailyPosts.PostNow with the publisher pub.
func (s *Service) PostDailyNow(ctx context.Context, a Actor, pub Publisher) (Post, error) {
	return s.posting(pub).PostNow(ctx, a)
}

// RunDaily is DailyPosts.RunDaily with the publisher pub.
func (s *Service) RunDaily(ctx context.Context, pub Publisher, workers int) (DailyReport, error) {
	return s.posting(pub).RunDaily(ctx, workers)
}

// RunDue is DailyPosts.RunDue with the publisher pub.
func (s *Service) RunDue(ctx context.Context, pub Publisher) (int, error) {
	return s.posting(pub).RunDue(ctx)
}

func (s *Service) posting(pub Publisher) *DailyPosts { return &DailyPosts{s.core.with(pub, nil)} }

// ExportBank is Moderation.ExportBank with the codec.
func (s *Service) ExportBank(ctx context.Context, a Actor, codec BankCodec, topic string) ([]ExportedFile, error) {
	return s.moderation(codec).ExportBank(ctx, a, topic)
}

// PreviewImport is Moderation.PreviewImport with the codec.
func (s *Service) PreviewImport(ctx context.Context, a Actor, codec BankCodec, name string, data []byte) (ImportPlan, error) {
	return s.moderation(codec).PreviewImport(ctx, a, name, data)
}

// moderation shares the previews waiting for ApplyImport.
func (s *Service) moderation(codec BankCodec) *Moderation {
	return &Moderation{s.core.with(nil, codec), s.Moderation.imports}
}
