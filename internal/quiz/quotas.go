package quiz

// Quotas bound what one server may keep, so that one server can neither fill the shared file
// nor slow the other servers on the shard. Zero fields take the defaults.
type Quotas struct {
	// Questions bounds the server's own questions (added by /bank add or imports, disabled
	// ones included: they are still stored). Shipped questions never count.
	Questions int
	// Topics bounds the topics of the server's bank, shipped ones included.
	Topics int
	// History is how many versions of each question's history are kept; older ones are
	// dropped as new ones are written.
	History int
	// OpenReports bounds each member's unresolved reports.
	OpenReports int
	// Previews bounds the import previews waiting for confirmation in one server; each
	// moderator has at most one (a new preview replaces theirs).
	Previews int
	// PreviewBytes bounds the size of the files behind every server's pending previews
	// together: past it, the oldest previews are dropped.
	PreviewBytes int
}

// Defaults for Quotas.
const (
	DefaultQuestionQuota = 2000
	DefaultTopicQuota    = MaxTopicsInBank
	DefaultHistoryQuota  = 20
	DefaultOpenReports   = 5
	DefaultPreviews      = 3
	DefaultPreviewBytes  = 16 << 20
)

// withDefaults fills in zero fields.
func (q Quotas) withDefaults() Quotas {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&q.Questions, DefaultQuestionQuota)
	def(&q.Topics, DefaultTopicQuota)
	def(&q.History, DefaultHistoryQuota)
	def(&q.OpenReports, DefaultOpenReports)
	def(&q.Previews, DefaultPreviews)
	def(&q.PreviewBytes, DefaultPreviewBytes)
	return q
}

// The quota refusals (catalogue ids); each names the limit.
const (
	msgQuestionQuota MsgID = "quota.questions"
	msgImportQuota   MsgID = "quota.import"
	msgTopicQuota    MsgID = "quota.topics"
	msgReportQuota   MsgID = "quota.reports"
)

// checkAddQuota refuses adding n questions to a server that holds have of its own.
func (q Quotas) checkAddQuota(have, n int, file string) error {
	if have+n <= q.Questions {
		return nil
	}
	if file == "" {
		return Errorf(EINVALID, msgQuestionQuota, have, q.Questions)
	}
	return Errorf(EINVALID, msgImportQuota, file, n, have, q.Questions)
}

// checkTopicQuota refuses a new topic slug in a bank with have topics.
func (q Quotas) checkTopicQuota(have int, slug string) error {
	if have < q.Topics {
		return nil
	}
	return Errorf(EINVALID, msgTopicQuota, have, q.Topics, quote(slug))
}
