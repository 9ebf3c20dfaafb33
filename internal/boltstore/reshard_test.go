package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// reshardGuild is test guild k: a snowflake-sized id whose shard is k%2 among 2 shards and k%3
// among 3 (its timestamp part is a multiple of 6, plus k).
func reshardGuild(k int) quiz.GuildID {
	return quiz.GuildID((1_200_000_000_000+uint64(k))<<22 | 0x2a5)
}

func TestShardOf(t *testing.T) {
	for _, c := range []struct {
		g     quiz.GuildID
		count int
		want  int
	}{
		{0, 1, 0},
		{1<<22 - 1, 2, 0},
		{1 << 22, 2, 1},
		{5 << 22, 3, 2},
		{81384788765712384, 16, 81384788765712384 >> 22 % 16}, // Discord's documented example id
		{1<<64 - 1, 7, int((1<<64 - 1) >> 22 % 7)},
		{reshardGuild(4), 2, 0},
		{reshardGuild(4), 3, 1},
		{reshardGuild(5), 3, 2},
	} {
		if got := ShardOf(c.g, c.count); got != c.want {
			t.Errorf("ShardOf(%d, %d) = %d; want %d", c.g, c.count, got, c.want)
		}
	}
	if got, want := ShardFileName(2, 3), "shard-2-of-3.db"; got != want {
		t.Errorf("ShardFileName(2, 3) = %q; want %q", got, want)
	}
}

// reshardUsers are the members of test guild k.
func reshardUsers(k int) []quiz.UserID {
	return []quiz.UserID{quiz.UserID(100 + k), quiz.UserID(200 + k)}
}

// seedReshardGuild writes a little of everything for test guild k through quiz.Tx: k+3 session
// ids (the last two unused, so the sequence is ahead of the data) and 2 report ids (one used).
func seedReshardGuild(tx quiz.Tx, k int) error {
	g := reshardGuild(k)
	at := time.Date(2025, 3, 1, 9, 0, k, 0, time.UTC)
	users := reshardUsers(k)
	var sessions []quiz.SessionID
	for range k + 3 {
		id, err := tx.NextSessionID(g)
		if err != nil {
			return err
		}
		sessions = append(sessions, id)
	}
	var reports []quiz.ReportID
	for range 2 {
		id, err := tx.NextReportID(g)
		if err != nil {
			return err
		}
		reports = append(reports, id)
	}
	q := &quiz.Question{ID: "own-1", Topic: "tcp", Prompt: quiz.Text{EN: fmt.Sprintf("Question of guild %d?", k)}}
	errs := []error{
		tx.PutGuild(quiz.Guild{ID: g, TZ: "Europe/Paris", ModRoles: []quiz.RoleID{quiz.RoleID(k + 1)}, BankRev: uint64(k),
			Daily: quiz.Daily{Enabled: true, Channel: 9, At: "09:00", Topics: []string{"tcp"}}}),
		tx.PutSession(quiz.Session{Guild: g, ID: sessions[0], QuestionID: "tcp-1", OpenedBy: users[0], OpenedAt: at,
			RevealAt: at.Add(time.Hour), State: quiz.SessionOpen, Answers: 1}),
		tx.PutSession(quiz.Session{Guild: g, ID: sessions[1], QuestionID: "own-1", OpenedAt: at,
			Daily: quiz.Date(2025, 3, 1+k), State: quiz.SessionRevealed}),
		tx.PutDue(quiz.Due{At: at.Add(time.Hour), Guild: g, Session: sessions[0]}),
		tx.PutPost(quiz.Post{Guild: g, Day: quiz.Date(2025, 3, 1+k), QuestionID: "own-1", Session: sessions[1],
			Nonce: fmt.Sprintf("n%d", k), Message: 77, State: quiz.PostSent, ClaimedAt: at}),
		tx.PutOverlayQuestion(g, quiz.OverlayEntry{QuestionID: "own-1", Question: q, Added: true, Version: 1,
			UpdatedBy: users[1], UpdatedAt: at}),
		tx.PutOverlayTopic(g, quiz.TopicOverlay{Slug: "k8s", Title: &quiz.Text{EN: "Kubernetes"}, Added: true}),
		tx.AddHistory(g, quiz.HistoryEntry{QuestionID: "own-1", Version: 1, Action: "add", By: users[1], At: at}),
		tx.PutReport(g, quiz.Report{ID: reports[0], QuestionID: "own-1", By: users[0], Reason: "typo", At: at}),
	}
	for i, u := range users {
		errs = append(errs,
			tx.PutMember(quiz.Member{Guild: g, User: u, Name: fmt.Sprintf("user%d", u), Answered: i + k}),
			tx.PutCard(g, u, quiz.Card{QuestionID: "tcp-1", Asked: k + 1, LastAsked: at, Ease: 2.5, Interval: i}),
			tx.PutAttempt(quiz.Attempt{Guild: g, User: u, Session: sessions[0], QuestionID: "tcp-1",
				Text: fmt.Sprintf("answer %d", u), AnsweredAt: at}),
		)
	}
	return errors.Join(errs...)
}

// dueOnlyGuild has nothing but a due entry: it still follows the shard of its id.
const dueOnlyGuild = 7

// buildReshardSource writes test guilds ks (and, if withDueOnly, guild dueOnlyGuild's due
// entry) to a new database at path and closes it.
func buildReshardSource(t *testing.T, path string, ks []int, withDueOnly bool) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(t.Context(), func(tx quiz.Tx) error {
		for _, k := range ks {
			if err := seedReshardGuild(tx, k); err != nil {
				return err
			}
		}
		if withDueOnly {
			return tx.PutDue(quiz.Due{At: time.UnixMilli(1_800_000_000_000), Guild: reshardGuild(dueOnlyGuild), Session: 3})
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed %s: %v", path, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// guildState is everything of one guild, read through quiz.Tx.
type guildState struct {
	Guild    quiz.Guild
	HasGuild bool
	Members  []quiz.Member
	Cards    [][]quiz.Card
	Attempts [][]quiz.Attempt
	Sessions []quiz.Session
	Posts    []quiz.Post
	Overlay  []quiz.OverlayEntry
	Topics   []quiz.TopicOverlay
	History  []quiz.HistoryEntry
	Reports  []quiz.Report
	Due      []quiz.Due
}

func readGuild(tx quiz.Tx, k int) (st guildState, err error) {
	g := reshardGuild(k)
	if st.Guild, st.HasGuild, err = tx.Guild(g); err != nil {
		return st, err
	}
	if err := tx.Members(g, func(m quiz.Member) bool { st.Members = append(st.Members, m); return true }); err != nil {
		return st, err
	}
	for _, u := range reshardUsers(k) {
		cs, err := tx.Cards(g, u)
		if err != nil {
			return st, err
		}
		as, err := tx.Attempts(g, u)
		if err != nil {
			return st, err
		}
		st.Cards, st.Attempts = append(st.Cards, cs), append(st.Attempts, as)
	}
	for id := range quiz.SessionID(12) {
		s, ok, err := tx.Session(g, id)
		if err != nil {
			return st, err
		}
		if ok {
			st.Sessions = append(st.Sessions, s)
		}
	}
	ds, err := tx.DueUntil(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 1000)
	if err != nil {
		return st, err
	}
	for _, d := range ds {
		if d.Guild == g {
			st.Due = append(st.Due, d)
		}
	}
	if st.Posts, err = tx.Posts(g); err != nil {
		return st, err
	}
	if st.Overlay, err = tx.OverlayQuestions(g); err != nil {
		return st, err
	}
	if st.Topics, err = tx.OverlayTopics(g); err != nil {
		return st, err
	}
	if st.History, err = tx.History(g, "own-1"); err != nil {
		return st, err
	}
	st.Reports, err = tx.Reports(g)
	return st, err
}

// readAll reads test guilds 0..dueOnlyGuild from the database at path, opened read-only.
func readAll(t *testing.T, path string) (map[int]guildState, []quiz.GuildID) {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[int]guildState{}
	var configured []quiz.GuildID
	err = s.View(t.Context(), func(tx quiz.Tx) error {
		for k := range dueOnlyGuild + 1 {
			st, err := readGuild(tx, k)
			if err != nil {
				return err
			}
			out[k] = st
		}
		return tx.Guilds(func(g quiz.Guild) bool { configured = append(configured, g.ID); return true })
	})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out, configured
}

// checkShards checks that the files of a count-way reshard hold exactly the right guilds: each
// test guild's state in the file of its shard equals want, and every other file has nothing.
func checkShards(t *testing.T, dir string, count int, want map[int]guildState) {
	t.Helper()
	var files []string
	for i := range count {
		files = append(files, ShardFileName(i, count))
	}
	if got := dirNames(t, dir); !slices.Equal(got, files) {
		t.Errorf("%s holds %v; want %v", dir, got, files)
	}
	for i := range count {
		path := filepath.Join(dir, ShardFileName(i, count))
		got, configured := readAll(t, path)
		var wantConfigured []quiz.GuildID
		for k := range dueOnlyGuild + 1 {
			w := guildState{Cards: make([][]quiz.Card, 2), Attempts: make([][]quiz.Attempt, 2)} // nothing
			if ShardOf(reshardGuild(k), count) == i {
				w = want[k]
				if w.HasGuild {
					wantConfigured = append(wantConfigured, reshardGuild(k))
				}
			}
			if diff := cmp.Diff(got[k], w, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: guild %d (k=%d) (-got +want):\n%s", ShardFileName(i, count), reshardGuild(k), k, diff)
			}
		}
		if !slices.Equal(configured, wantConfigured) {
			t.Errorf("%s: Guilds() = %v; want %v", ShardFileName(i, count), configured, wantConfigured)
		}
	}
}

func TestReshardSplitAndMerge(t *testing.T) {
	root := t.TempDir()
	srcA := filepath.Join(root, "old", "shard-0-of-2.db")
	srcB := filepath.Join(root, "old", "shard-1-of-2.db")
	if err := os.Mkdir(filepath.Dir(srcA), 0o700); err != nil {
		t.Fatal(err)
	}
	buildReshardSource(t, srcA, []int{0, 2, 4}, false)
	buildReshardSource(t, srcB, []int{1, 3, 5}, true)
	hashA, hashB := hashFile(t, srcA), hashFile(t, srcB)

	// What the sources hold, read through the Store: the reference for every check below.
	want, _ := readAll(t, srcA)
	fromB, _ := readAll(t, srcB)
	for k := range dueOnlyGuild + 1 {
		if k%2 == 1 {
			want[k] = fromB[k]
		}
	}
	for k := range 6 {
		if st := want[k]; !st.HasGuild || len(st.Members) != 2 || len(st.Sessions) != 2 || len(st.Due) != 1 ||
			len(st.Reports) != 1 || len(st.History) != 1 || len(st.Cards[1]) != 1 || len(st.Attempts[1]) != 1 {
			t.Fatalf("source state of guild k=%d is incomplete: %+v", k, st)
		}
	}
	if len(want[dueOnlyGuild].Due) != 1 || want[dueOnlyGuild].HasGuild {
		t.Fatalf("source state of the due-only guild: %+v", want[dueOnlyGuild])
	}

	// Split 2 → 3, one guild per transaction.
	dir3 := filepath.Join(root, "three")
	rep, err := Reshard(t.Context(), []string{srcA, srcB}, dir3, 3, ReshardOptions{TxBytes: 1})
	if err != nil {
		t.Fatalf("Reshard 2→3: %v", err)
	}
	if hashFile(t, srcA) != hashA || hashFile(t, srcB) != hashB {
		t.Errorf("Reshard changed a source file")
	}
	wantSources := []ReshardSource{{Path: srcA, Guilds: 3, Due: 3}, {Path: srcB, Guilds: 3, Due: 4}}
	if diff := cmp.Diff(rep.Sources, wantSources); diff != "" {
		t.Errorf("report sources (-got +want):\n%s", diff)
	}
	// Shard i of 3 gets guilds k ≡ i (mod 3); guild 7 (due only) is on shard 1.
	wantShards := []ReshardShard{
		{Shard: 0, Path: filepath.Join(dir3, "shard-0-of-3.db"), Guilds: 2, Due: 2},
		{Shard: 1, Path: filepath.Join(dir3, "shard-1-of-3.db"), Guilds: 2, Due: 3},
		{Shard: 2, Path: filepath.Join(dir3, "shard-2-of-3.db"), Guilds: 2, Due: 2},
	}
	if diff := cmp.Diff(rep.Shards, wantShards, cmpopts.IgnoreFields(ReshardShard{}, "Size")); diff != "" {
		t.Errorf("report shards (-got +want):\n%s", diff)
	}
	for _, sh := range rep.Shards {
		if fi, err := os.Stat(sh.Path); err != nil || fi.Size() != sh.Size || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: stat = %v, %v; want size %d, mode 0600", sh.Path, fi, err, sh.Size)
		}
	}
	if rep.Dir != dir3 || rep.Count != 3 {
		t.Errorf("report Dir, Count = %q, %d; want %q, 3", rep.Dir, rep.Count, dir3)
	}
	checkShards(t, dir3, 3, want)

	// Merge 3 → 1, with the default transaction size.
	dir1 := filepath.Join(root, "one")
	var threeFiles []string
	for _, sh := range rep.Shards {
		threeFiles = append(threeFiles, sh.Path)
	}
	rep1, err := Reshard(t.Context(), threeFiles, dir1, 1, ReshardOptions{})
	if err != nil {
		t.Fatalf("Reshard 3→1: %v", err)
	}
	if len(rep1.Shards) != 1 || rep1.Shards[0].Guilds != 6 || rep1.Shards[0].Due != 7 {
		t.Errorf("Reshard 3→1 shards = %+v; want one with 6 guilds and 7 due entries", rep1.Shards)
	}
	checkShards(t, dir1, 1, want)

	checkSequencesContinue(t, want, dir1, dir3)
}

// checkSequencesContinue: in the resharded files the next ids follow the last ones given out,
// not the last ones stored.
func checkSequencesContinue(t *testing.T, want map[int]guildState, dir1, dir3 string) {
	for _, c := range []struct {
		path string
		ks   []int
	}{
		{filepath.Join(dir1, ShardFileName(0, 1)), []int{0, 1, 2, 3, 4, 5}},
		{filepath.Join(dir3, ShardFileName(2, 3)), []int{2, 5}},
	} {
		s := openTest(t, c.path, Options{})
		err := s.Update(t.Context(), func(tx quiz.Tx) error {
			for _, k := range c.ks {
				sid, err := tx.NextSessionID(reshardGuild(k))
				if err != nil {
					return err
				}
				maxStored := want[k].Sessions[len(want[k].Sessions)-1].ID
				if wantID := quiz.SessionID(k + 4); sid != wantID || sid <= maxStored {
					t.Errorf("%s: NextSessionID(k=%d) = %d; want %d (> %d stored)", c.path, k, sid, wantID, maxStored)
				}
				rid, err := tx.NextReportID(reshardGuild(k))
				if err != nil {
					return err
				}
				if rid != 3 {
					t.Errorf("%s: NextReportID(k=%d) = %d; want 3", c.path, k, rid)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReshardDuplicateGuild(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	buildReshardSource(t, a, []int{0, 1}, false)
	dueOnly := filepath.Join(dir, "due.db")
	buildReshardSource(t, dueOnly, nil, true)
	b := filepath.Join(dir, "b.db")
	data, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c := filepath.Join(dir, "c.db")
	buildReshardSource(t, c, []int{2, dueOnlyGuild}, false) // only a sub-tree of guild 7
	for _, tc := range []struct {
		name  string
		srcs  []string
		want  error
		names []string // in the error message
	}{
		{"Copy", []string{a, b}, ErrDuplicateGuild, []string{a, b, fmt.Sprint(reshardGuild(0))}},
		{"DueAndSubTree", []string{c, dueOnly}, ErrDuplicateGuild, []string{c, dueOnly, fmt.Sprint(reshardGuild(dueOnlyGuild))}},
		{"SameFile", []string{a, filepath.Join(dir, ".", "a.db")}, nil, []string{"same file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, err := Reshard(t.Context(), tc.srcs, out, 2, ReshardOptions{})
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Reshard = %v; want %v", err, tc.want)
			}
			for _, s := range tc.names {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if _, serr := os.Stat(out); !errors.Is(serr, fs.ErrNotExist) {
				t.Errorf("Reshard left %s behind (stat: %v)", out, serr)
			}
		})
	}
}

func TestReshardExistingDestination(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	buildReshardSource(t, src, []int{0, 1, 2}, false)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(out, ShardFileName(1, 3))
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Reshard(t.Context(), []string{src}, out, 3, ReshardOptions{})
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), existing) {
		t.Fatalf("Reshard = %v; want fs.ErrExist naming %s", err, existing)
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Errorf("existing destination now holds %q", got)
	}
	if names := dirNames(t, out); !slices.Equal(names, []string{ShardFileName(1, 3)}) {
		t.Errorf("%s holds %v; want only the existing file", out, names)
	}
	// A file of another count does not collide.
	if _, err := Reshard(t.Context(), []string{src}, out, 2, ReshardOptions{}); err != nil {
		t.Errorf("Reshard into 2 beside shard-1-of-3.db: %v", err)
	}
}

// TestReshardCleansUp fails Reshard at each step after it has created files, and checks that
// it removes exactly what it created.
func TestReshardCleansUp(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	buildReshardSource(t, src, []int{0, 1, 2, 3}, true)
	boom := errors.New("boom")

	t.Run("AfterWriting", func(t *testing.T) {
		out := t.TempDir()
		_, err := reshard(t.Context(), []string{src}, out, 3, ReshardOptions{}, reshardHooks{
			written: func(i int) error {
				if i == 1 {
					if n := len(dirNames(t, out)); n != 2 {
						t.Errorf("after writing shards 0 and 1, %s holds %d files; want 2 temporary ones", out, n)
					}
					return boom
				}
				return nil
			},
		})
		if !errors.Is(err, boom) {
			t.Fatalf("reshard = %v; want boom", err)
		}
		if names := dirNames(t, out); len(names) != 0 {
			t.Errorf("%s holds %v after a failure; want nothing", out, names)
		}
	})
	t.Run("RaceForName", func(t *testing.T) {
		out := t.TempDir()
		racer := filepath.Join(out, ShardFileName(2, 3))
		_, err := reshard(t.Context(), []string{src}, out, 3, ReshardOptions{}, reshardHooks{
			publish: func(i int) error {
				if i == 2 {
					return os.WriteFile(racer, []byte("racer"), 0o600)
				}
				return nil
			},
		})
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("reshard = %v; want fs.ErrExist", err)
		}
		if got, _ := os.ReadFile(racer); string(got) != "racer" {
			t.Errorf("the other file now holds %q", got)
		}
		if names := dirNames(t, out); !slices.Equal(names, []string{ShardFileName(2, 3)}) {
			t.Errorf("%s holds %v; want only the other file", out, names)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "new")
		ctx, cancel := context.WithCancel(t.Context())
		_, err := reshard(ctx, []string{src}, out, 3, ReshardOptions{TxBytes: 1}, reshardHooks{
			written: func(i int) error {
				cancel()
				return nil
			},
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("reshard = %v; want context.Canceled", err)
		}
		if _, serr := os.Stat(out); !errors.Is(serr, fs.ErrNotExist) {
			t.Errorf("the folder Reshard created is still there (stat: %v)", serr)
		}
	})
}

func TestReshardRefuses(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	buildReshardSource(t, good, []int{0}, false)
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, randomBytes(1, 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(dir, "extra.db")
	buildReshardSource(t, extra, []int{1}, false)
	rawUpdate(t, extra, func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("extra"))
		return err
	})
	extraMeta := filepath.Join(dir, "extra-meta.db")
	buildReshardSource(t, extraMeta, []int{1}, false)
	rawUpdate(t, extraMeta, func(tx *bolt.Tx) error { return tx.Bucket(bucketKeyMeta).Put([]byte("shard"), []byte("0")) })
	held := filepath.Join(dir, "held.db")
	openTest(t, held, Options{}) // a running bot

	for _, c := range []struct {
		name  string
		srcs  []string
		count int
		want  error
		text  string
	}{
		{"NoSources", nil, 2, nil, "no source"},
		{"ZeroCount", []string{good}, 0, nil, "outside"},
		{"HugeCount", []string{good}, MaxReshardCount + 1, nil, "outside"},
		{"Missing", []string{filepath.Join(dir, "missing.db")}, 2, fs.ErrNotExist, ""},
		{"Garbage", []string{good, garbage}, 2, ErrNotDatabase, garbage},
		{"InUse", []string{good, held}, 2, ErrInUse, held},
		{"UnknownBucket", []string{good, extra}, 2, nil, `"extra"`},
		{"UnknownMeta", []string{extraMeta}, 2, nil, `meta/"shard"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, err := Reshard(t.Context(), c.srcs, out, c.count, ReshardOptions{Timeout: 50 * time.Millisecond})
			if err == nil || c.want != nil && !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("Reshard = %v; want %v mentioning %q", err, c.want, c.text)
			}
			t.Logf("Reshard: %v", err)
			if _, serr := os.Stat(out); !errors.Is(serr, fs.ErrNotExist) {
				t.Errorf("Reshard created %s (stat: %v)", out, serr)
			}
		})
	}
}
