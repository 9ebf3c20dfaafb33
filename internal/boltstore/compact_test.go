package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// eraseGuild holds the members of the erase tests: users 1..eraseMembers are erased, users
// keepBase+1..keepBase+eraseMembers keep their data.
const (
	eraseGuild   = quiz.GuildID(42)
	eraseMembers = 30
	keepBase     = 1000
	answerLen    = 4000
)

// marker is the distinctive text at the start of user u's answer; erasableAnswer repeats it to
// answerLen characters, so any surviving page of the answer holds it.
func marker(u quiz.UserID) string { return fmt.Sprintf("[answer-of-%05d]", u) }

func erasableAnswer(u quiz.UserID) string {
	m := marker(u)
	return strings.Repeat(m, answerLen/len(m)+1)[:answerLen]
}

// writeAnswers stores, for each user in us, a member, a card and a 4,000-character answer, one
// transaction each, as members answering would.
func writeAnswers(t testing.TB, s *Store, us []quiz.UserID) {
	t.Helper()
	for _, u := range us {
		err := s.Update(context.Background(), func(tx quiz.Tx) error {
			id, err := tx.NextSessionID(eraseGuild)
			if err != nil {
				return err
			}
			return errors.Join(
				tx.PutMember(quiz.Member{Guild: eraseGuild, User: u, Name: fmt.Sprintf("m%d", u), Answered: 1}),
				tx.PutCard(eraseGuild, u, quiz.Card{QuestionID: "tcp-1", Topic: "tcp", Asked: 1}),
				tx.PutAttempt(quiz.Attempt{Guild: eraseGuild, User: u, Session: id, QuestionID: "tcp-1",
					Text: erasableAnswer(u), AnsweredAt: time.Unix(1_700_000_000, 0)}),
				tx.PutSession(quiz.Session{Guild: eraseGuild, ID: id, QuestionID: "tcp-1", State: quiz.SessionOpen}),
			)
		})
		if err != nil {
			t.Fatalf("write answer of %d: %v", u, err)
		}
	}
}

func users(from, n int) []quiz.UserID {
	us := make([]quiz.UserID, n)
	for i := range us {
		us[i] = quiz.UserID(from + i)
	}
	return us
}

// markersIn returns the users of us whose marker occurs in data.
func markersIn(data []byte, us []quiz.UserID) []quiz.UserID {
	var found []quiz.UserID
	for _, u := range us {
		if bytes.Contains(data, []byte(marker(u))) {
			found = append(found, u)
		}
	}
	return found
}

func markersInFile(t *testing.T, path string, us []quiz.UserID) []quiz.UserID {
	t.Helper()
	return markersIn(mustReadFile(t, path), us)
}

// TestEraseLeavesNoTrace is issue 18's test: 30 members' 4,000-character answers are erased;
// the erased bytes survive in the live file until Compact, but no backup taken after the erase
// holds them, and after Compact the live file does not either. The 30 members not erased keep
// everything.
func TestEraseLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "quiz.db"), Options{})
	erased, kept := users(1, eraseMembers), users(keepBase+1, eraseMembers)
	// Interleaved, as real members answer, so that erased and kept answers share pages.
	for i := range eraseMembers {
		writeAnswers(t, s, []quiz.UserID{erased[i], kept[i]})
	}
	if got := markersInFile(t, s.Path(), erased); len(got) != eraseMembers {
		t.Fatalf("before the erase the file holds %d of %d answers; the test cannot see them", len(got), eraseMembers)
	}
	for _, u := range erased {
		if err := s.Update(t.Context(), func(tx quiz.Tx) error { return tx.DeleteMember(eraseGuild, u) }); err != nil {
			t.Fatal(err)
		}
	}

	// The bug: the erased bytes are still in the live file, and tx.WriteTo copies them.
	survivors := markersInFile(t, s.Path(), erased)
	t.Logf("after the erase, before Compact: %d of %d erased answers still readable in the live file", len(survivors), eraseMembers)
	if len(survivors) == 0 {
		t.Errorf("no erased answer left in the live file before Compact: the test no longer shows the problem it guards against")
	}
	var raw bytes.Buffer
	if err := s.db.View(func(tx *bolt.Tx) error { _, err := tx.WriteTo(&raw); return err }); err != nil {
		t.Fatal(err)
	}
	t.Logf("a tx.WriteTo copy (the old Backup) holds %d of them", len(markersIn(raw.Bytes(), erased)))

	// (a) Backups taken right after the erase, before any compaction, hold none of them.
	var streamed bytes.Buffer
	if _, err := s.Backup(&streamed); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "backups", "after-erase.db")
	if err := os.Mkdir(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(file); err != nil {
		t.Fatal(err)
	}
	viaWrite := filepath.Join(dir, "backups", "write-backup.db")
	if err := WriteBackup(viaWrite, func(w io.Writer) error { _, err := s.Backup(w); return err }); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"Backup": streamed.Bytes(), "BackupFile": mustReadFile(t, file), "WriteBackup": mustReadFile(t, viaWrite),
	} {
		if got := markersIn(data, erased); len(got) != 0 {
			t.Errorf("%s after the erase holds the answers of erased members %v", name, got)
		}
		if got := markersIn(data, kept); len(got) != eraseMembers {
			t.Errorf("%s holds %d of the %d kept members' answers", name, len(got), eraseMembers)
		}
	}

	// (b) After Compact the live file holds none of them.
	st, err := s.Compact(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Compact: %+v", st)
	if got := markersInFile(t, s.Path(), erased); len(got) != 0 {
		t.Errorf("after Compact the live file still holds the answers of erased members %v", got)
	}
	// (c) Members not erased keep everything, in the file and through the store.
	if got := markersInFile(t, s.Path(), kept); len(got) != eraseMembers {
		t.Errorf("after Compact the live file holds %d of the %d kept members' answers", len(got), eraseMembers)
	}
	checkAnswers(t, s, erased, kept)

	// Later backups hold none of them either, and the store keeps working on the new file.
	writeAnswers(t, s, users(5000, 3))
	var later bytes.Buffer
	if _, err := s.Backup(&later); err != nil {
		t.Fatal(err)
	}
	if got := markersIn(later.Bytes(), erased); len(got) != 0 {
		t.Errorf("a backup after Compact holds the answers of erased members %v", got)
	}
	if got := markersIn(later.Bytes(), users(5000, 3)); len(got) != 3 {
		t.Errorf("a backup after Compact misses answers written after it: has %v", got)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"backups", "quiz.db"}) {
		t.Errorf("the database's folder holds %v; want no temporary copies left", names)
	}
}

// checkAnswers checks through the store that erased members have nothing and kept members
// everything.
func checkAnswers(t *testing.T, s quiz.Store, erased, kept []quiz.UserID) {
	t.Helper()
	err := s.View(t.Context(), func(tx quiz.Tx) error {
		for _, u := range erased {
			_, ok, err := tx.Member(eraseGuild, u)
			as, aerr := tx.Attempts(eraseGuild, u)
			cs, cerr := tx.Cards(eraseGuild, u)
			if err := errors.Join(err, aerr, cerr); err != nil {
				return err
			}
			if ok || len(as) != 0 || len(cs) != 0 {
				t.Errorf("erased member %d: member %v, %d attempts, %d cards", u, ok, len(as), len(cs))
			}
		}
		for _, u := range kept {
			m, ok, err := tx.Member(eraseGuild, u)
			as, aerr := tx.Attempts(eraseGuild, u)
			cs, cerr := tx.Cards(eraseGuild, u)
			if err := errors.Join(err, aerr, cerr); err != nil {
				return err
			}
			if !ok || m.Answered != 1 || len(as) != 1 || len(cs) != 1 || as[0].Text != erasableAnswer(u) {
				t.Errorf("kept member %d: member %v %+v, %d attempts, %d cards", u, ok, m, len(as), len(cs))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// dump returns every bucket, key, value and sequence of the file, as lines in key order.
func dump(t testing.TB, s *Store) []string {
	t.Helper()
	var out []string
	var walk func(prefix string, b *bolt.Bucket)
	walk = func(prefix string, b *bolt.Bucket) {
		out = append(out, fmt.Sprintf("%s seq=%d", prefix, b.Sequence()))
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil && b.Bucket(k) != nil {
				walk(fmt.Sprintf("%s/%x", prefix, k), b.Bucket(k))
				continue
			}
			out = append(out, fmt.Sprintf("%s/%x = %x", prefix, k, v))
		}
	}
	err := s.viewDB(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			walk(fmt.Sprintf("%x", name), b)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffDumps(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("%s: first difference at line %d:\n got %.200s\nwant %.200s", what, i, g, w)
			return
		}
	}
}

// TestCompactKeepsEverything compacts a store holding a little of everything, with deletions
// behind it: the keys, values, nested buckets and sequences are the same after, and the store
// goes on working (a write after Compact lands in the new file and survives a reopen).
func TestCompactKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	writeAnswers(t, s, users(1, 40))
	for _, u := range users(1, 20) {
		if err := s.Update(t.Context(), func(tx quiz.Tx) error { return tx.DeleteMember(eraseGuild, u) }); err != nil {
			t.Fatal(err)
		}
	}
	before := dump(t, s)
	st, err := s.Compact(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.After >= st.Before {
		t.Errorf("Compact: %d bytes before, %d after; want smaller", st.Before, st.After)
	}
	diffDumps(t, "after Compact", dump(t, s), before)
	checkSeed(t, s)
	writeAnswers(t, s, users(100, 1))
	want := dump(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path, Options{})
	diffDumps(t, "reopened", dump(t, s), want)
}

var errInjected = errors.New("injected failure")

// TestCompactFailures fails Compact between each of its steps: before the rename the store
// goes on with the old file, after it with the new one; either way nothing is lost, nothing is
// left beside the file, and the store keeps working and reopens.
func TestCompactFailures(t *testing.T) {
	for _, step := range []string{"copied", "synced", "renamed", "canceled"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "quiz.db")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			writeAnswers(t, s, users(1, 10))
			for _, u := range users(1, 5) {
				if err := s.Update(t.Context(), func(tx quiz.Tx) error { return tx.DeleteMember(eraseGuild, u) }); err != nil {
					t.Fatal(err)
				}
			}
			before := dump(t, s)
			oldFile := mustReadFile(t, path)
			fail := func() error { return errInjected }
			ctx := t.Context()
			switch step {
			case "copied":
				s.hooks.copied = fail
			case "synced":
				s.hooks.synced = fail
			case "renamed":
				s.hooks.renamed = fail
			case "canceled":
				// Done at the second look: Compact's own check passes, the copy's fails.
				d := &doneAfter{Context: ctx}
				d.n.Store(1)
				ctx = d
			}
			if _, err := s.Compact(ctx); err == nil {
				t.Fatal("Compact succeeded despite the failure")
			}
			s.hooks = compactHooks{}
			switched := !bytes.Equal(mustReadFile(t, path), oldFile)
			if want := step == "renamed"; switched != want {
				t.Errorf("the file was replaced: %v; want %v", switched, want)
			}
			diffDumps(t, "after the failed Compact", dump(t, s), before)
			if names := dirNames(t, dir); !slices.Equal(names, []string{"quiz.db"}) {
				t.Errorf("folder holds %v; want only quiz.db", names)
			}
			writeAnswers(t, s, users(200, 1))
			want := dump(t, s)
			if err := s.Check(); err != nil {
				t.Error(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openTest(t, path, Options{})
			diffDumps(t, "reopened", dump(t, s), want)
			if _, err := s.Compact(t.Context()); err != nil { // and it compacts now
				t.Fatal(err)
			}
			diffDumps(t, "compacted", dump(t, s), want)
		})
	}
}

// doneAfter is a context that reports Canceled once Err was called n times.
type doneAfter struct {
	context.Context
	n atomic.Int32
}

func (c *doneAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// compactChildEnv, when set to "path:step", turns TestCompactKill into the child process that
// compacts path and SIGKILLs itself at step.
const compactChildEnv = "BOLTSTORE_COMPACT_CHILD"

// TestCompactKill SIGKILLs a process in the middle of Compact, at each step: the file it
// leaves opens, passes Check, and holds exactly what it held before (the old file before the
// rename, the compacted one after it); the next Open removes the temporary copy.
func TestCompactKill(t *testing.T) {
	if v := os.Getenv(compactChildEnv); v != "" {
		compactChild(v)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	for _, step := range []string{"copying", "copied", "synced", "renamed"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "quiz.db")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			erased := users(1, 10)
			writeAnswers(t, s, append(slices.Clone(erased), users(keepBase+1, 10)...))
			for _, u := range erased {
				if err := s.Update(t.Context(), func(tx quiz.Tx) error { return tx.DeleteMember(eraseGuild, u) }); err != nil {
					t.Fatal(err)
				}
			}
			want := dump(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if len(markersInFile(t, path, erased)) == 0 {
				t.Fatal("no erased answer in the file before the test: it cannot tell old from new")
			}

			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCompactKill$", "-test.count=1")
			cmd.Env = append(os.Environ(), compactChildEnv+"="+path+":"+step)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed (%v):\n%s", err, out)
			}
			var temps int
			for _, n := range dirNames(t, dir) {
				if strings.Contains(n, ".compact-") {
					temps++
				}
			}
			if step != "renamed" && temps != 1 {
				t.Errorf("the killed child left %d temporary copies; want 1 (the test would not see Open remove it)", temps)
			}

			s = openTest(t, path, Options{})
			diffDumps(t, "after the kill", dump(t, s), want)
			compacted := len(markersInFile(t, path, erased)) == 0
			if want := step == "renamed"; compacted != want {
				t.Errorf("the file is the compacted copy: %v; want %v", compacted, want)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"quiz.db"}) {
				t.Errorf("after Open the folder holds %v; want only quiz.db", names)
			}
		})
	}
}

func compactChild(v string) {
	i := strings.LastIndexByte(v, ':')
	path, step := v[:i], v[i+1:]
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	kill := func() error {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	ctx := context.Background()
	switch step {
	case "copying":
		// Killed while the copy is being written, from another goroutine.
		s.hooks.copied = func() error { select {} }
		go func() {
			for {
				if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.compact-*")); len(m) > 0 {
					_ = kill()
				}
				time.Sleep(time.Millisecond)
			}
		}()
	case "copied":
		s.hooks.copied = kill
	case "synced":
		s.hooks.synced = kill
	case "renamed":
		s.hooks.renamed = kill
	}
	_, err = s.Compact(ctx)
	fmt.Println("compact returned:", err)
	os.Exit(4)
}

// TestCompactConcurrentWriters compacts again and again while writers run through Update and
// Batch (puts, new buckets, deletes of whole members, sequences): every acknowledged write is
// there afterwards, in the store and after a reopen, and the re-copy under the lock did run.
func TestCompactConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	writeAnswers(t, s, users(keepBase+1, 50)) // something to copy
	const writers = 6
	type state struct {
		present  bool
		answered int
		sessions []quiz.SessionID
	}
	models := make([]state, writers)
	var acks atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			u := quiz.UserID(w + 1)
			m := &models[w]
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			do := s.Update
			if w%2 == 1 {
				do = s.Batch
			}
			for n := 1; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if n%7 == 0 {
					if err := do(context.Background(), func(tx quiz.Tx) error { return tx.DeleteMember(eraseGuild, u) }); err != nil {
						errs <- err
						return
					}
					*m = state{}
					acks.Add(1)
					continue
				}
				var sid quiz.SessionID
				text := strings.Repeat(fmt.Sprintf("w%d-n%d ", w, n), 1+rng.IntN(300))
				err := do(context.Background(), func(tx quiz.Tx) error {
					id, err := tx.NextSessionID(eraseGuild)
					if err != nil {
						return err
					}
					sid = id
					return errors.Join(
						tx.PutMember(quiz.Member{Guild: eraseGuild, User: u, Answered: m.answered + 1}),
						tx.PutCard(eraseGuild, u, quiz.Card{QuestionID: fmt.Sprintf("q-%d", n), Asked: n}),
						tx.PutAttempt(quiz.Attempt{Guild: eraseGuild, User: u, Session: id, QuestionID: "q", Text: text}),
					)
				})
				if err != nil {
					errs <- err
					return
				}
				m.present, m.answered = true, m.answered+1
				m.sessions = append(m.sessions, sid)
				acks.Add(1)
			}
		})
	}
	// Let writes land between the first copy and the pause, so that the re-copy has work. Not
	// forever: a write that must grow bbolt's memory map waits for the copy's read
	// transaction, which Compact holds until the pause (shutGate then gives it up).
	s.hooks.copied = func() error {
		target, deadline := acks.Load()+20, time.Now().Add(200*time.Millisecond)
		for acks.Load() < target && time.Now().Before(deadline) {
			time.Sleep(100 * time.Microsecond)
		}
		return nil
	}
	var recopied int
	for range 8 {
		st, err := s.Compact(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		recopied += st.Changes
		t.Logf("Compact: copy %v, pause %v, %d re-copied, %d shuts given up", st.Copy, st.Pause, st.Changes, st.Retries)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if recopied == 0 {
		t.Error("no write was re-copied under the lock: the test did not exercise it")
	}
	check := func(s *Store) {
		t.Helper()
		err := s.View(t.Context(), func(tx quiz.Tx) error {
			for w, m := range models {
				u := quiz.UserID(w + 1)
				got, ok, err := tx.Member(eraseGuild, u)
				if err != nil {
					return err
				}
				as, err := tx.Attempts(eraseGuild, u)
				if err != nil {
					return err
				}
				var ids []quiz.SessionID
				for _, a := range as {
					ids = append(ids, a.Session)
				}
				if ok != m.present || got.Answered != m.answered || !slices.Equal(ids, m.sessions) {
					t.Errorf("writer %d: member %v with %d answers and sessions %v; acknowledged %v, %d, %v",
						w, ok, got.Answered, ids, m.present, m.answered, m.sessions)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(s)
	t.Logf("%d acknowledged writes", acks.Load())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path, Options{})
	check(s)
	checkAnswers(t, s, nil, users(keepBase+1, 50))
}

// TestSyncTree changes a copy's source in every way bbolt allows (puts, overwrites, deletes,
// empty values, nested and deleted buckets, a key turned bucket and back, sequences) and checks
// that syncTree makes the copy equal again: comparing the files whole, and skipping the buckets
// whose root page is the one they had when the copy was made (the copy's read transaction still
// open, as Compact keeps it).
func TestSyncTree(t *testing.T) {
	for seed := range uint64(40) {
		withBase := seed%2 == 1
		dir := t.TempDir()
		// A memory map large enough that the writes below never grow it: a writer that must
		// would wait for the base transaction this goroutine holds.
		src, err := bolt.Open(filepath.Join(dir, "src.db"), 0o600, &bolt.Options{NoSync: true, InitialMmapSize: 256 << 20})
		if err != nil {
			t.Fatal(err)
		}
		dst, err := bolt.Open(filepath.Join(dir, "dst.db"), 0o600, &bolt.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 2))
		mutate := func(n int) {
			err := src.Update(func(tx *bolt.Tx) error {
				for range n {
					top := []byte{'t', byte('0' + rng.IntN(3))}
					b, err := tx.CreateBucketIfNotExists(top)
					if err != nil {
						return err
					}
					if rng.IntN(4) == 0 {
						if nb, err := b.CreateBucketIfNotExists([]byte{'n', byte(rng.IntN(4))}); err == nil {
							b = nb
						}
					}
					k := []byte{'k', byte(rng.IntN(6))}
					switch rng.IntN(8) {
					case 0:
						_ = b.DeleteBucket(k)
						_ = b.Delete(k)
					case 1:
						_ = b.Delete(k)
						_, _ = b.CreateBucketIfNotExists(k)
					case 2:
						_ = b.SetSequence(uint64(rng.IntN(100)))
					case 3:
						if b.Bucket(k) == nil {
							_ = b.Put(k, nil) // an empty value
						}
					case 4:
						if rng.IntN(2) == 0 {
							_ = tx.DeleteBucket(top)
						}
					default:
						if b.Bucket(k) == nil {
							_ = b.Put(k, bytes.Repeat([]byte{byte(rng.IntN(256))}, rng.IntN(5000)))
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		mutate(60)
		base, err := src.Begin(false)
		if err != nil {
			t.Fatal(err)
		}
		if err := copyTree(t.Context(), dst, base, 1000); err != nil {
			t.Fatal(err)
		}
		if !withBase {
			_ = base.Rollback()
			base = nil
		}
		mutate(40)
		err = src.View(func(stx *bolt.Tx) error {
			return dst.Update(func(dtx *bolt.Tx) error { _, err := syncTree(dtx, stx, base); return err })
		})
		if err != nil {
			t.Fatal(err)
		}
		if base != nil {
			_ = base.Rollback()
		}
		got, want := dumpDB(t, dst), dumpDB(t, src)
		diffDumps(t, fmt.Sprintf("seed %d", seed), got, want)
		var n int
		_ = src.View(func(stx *bolt.Tx) error {
			return dst.Update(func(dtx *bolt.Tx) error { n, err = syncTree(dtx, stx, nil); return err })
		})
		if err != nil || n != 0 {
			t.Errorf("seed %d: a second syncTree made %d changes (%v); want none", seed, n, err)
		}
		_ = src.Close()
		_ = dst.Close()
	}
}

func dumpDB(t *testing.T, db *bolt.DB) []string {
	return dump(t, &Store{db: db})
}

// dumpFile is dump of the bbolt file at path, opened read-only, whatever its schema.
func dumpFile(t *testing.T, path string) []string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return dumpDB(t, db)
}

// BenchmarkCompactPause builds a database file of about 100 MB (12,500 answers of 4,000
// characters, each on two 4 KiB pages, with members and cards in 50 guilds) and
// compacts it: idle (nothing written during the copy), and with a writer committing all along
// (so the pause re-copies what it wrote). It reports the first copy's time and the pause.
func BenchmarkCompactPause(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const answers, perTx = 12_500, 500
	text := strings.Repeat("x", answerLen)
	for i := 0; i < answers; i += perTx {
		err := s.Update(context.Background(), func(tx quiz.Tx) error {
			for j := i; j < i+perTx; j++ {
				g := quiz.GuildID(1 + j%50)
				u := quiz.UserID(1 + j%1000)
				id, err := tx.NextSessionID(g)
				if err != nil {
					return err
				}
				if err := errors.Join(
					tx.PutMember(quiz.Member{Guild: g, User: u, Answered: j}),
					tx.PutCard(g, u, quiz.Card{QuestionID: fmt.Sprintf("q-%d", j%200), Asked: j}),
					tx.PutAttempt(quiz.Attempt{Guild: g, User: u, Session: id, QuestionID: "q", Text: text}),
				); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s.noSync, s.db.NoSync = false, false // durable commits from here, as in production
	fi, _ := os.Stat(path)
	b.Logf("database: %.1f MB", float64(fi.Size())/1e6)
	for _, mode := range []string{"idle", "writer"} {
		b.Run(mode, func(b *testing.B) {
			var copyT, pause time.Duration
			var changes int
			for b.Loop() {
				stop := make(chan struct{})
				var wg sync.WaitGroup
				if mode == "writer" {
					wg.Go(func() {
						for n := 0; ; n++ {
							select {
							case <-stop:
								return
							default:
							}
							_ = s.Batch(context.Background(), func(tx quiz.Tx) error {
								return tx.PutAttempt(quiz.Attempt{Guild: 1, User: 1, Session: quiz.SessionID(1<<40 + n), Text: text})
							})
						}
					})
				}
				st, err := s.Compact(context.Background())
				close(stop)
				wg.Wait()
				if err != nil {
					b.Fatal(err)
				}
				if b.N == 1 || st.Changes == 0 || st.Retries > 0 {
					b.Logf("%s: %.1f MB before, %.1f MB after, %d re-copied, %d shuts given up", mode, float64(st.Before)/1e6, float64(st.After)/1e6, st.Changes, st.Retries)
				}
				copyT += st.Copy
				pause += st.Pause
				changes += st.Changes
			}
			b.ReportMetric(float64(copyT.Milliseconds())/float64(b.N), "copy-ms/op")
			b.ReportMetric(float64(pause.Microseconds())/1000/float64(b.N), "pause-ms/op")
			b.ReportMetric(float64(changes)/float64(b.N), "recopied/op")
		})
	}
}

// TestCompactWriterGrowingTheMap: a writer that grows the file past bbolt's memory map while
// Compact holds its copy's read transaction must wait for that transaction to end (bbolt remaps
// only with no reader), so Compact cannot shut the gate on it. It gives up, lets go of the read
// transaction and tries again: the writer commits, and Compact finishes with its write.
func TestCompactWriterGrowingTheMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiz.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	writeAnswers(t, s, users(1, 5))
	big := users(100, 1000) // about 4 MB of answers: far past the memory map of a small file
	wrote := make(chan error, 1)
	s.hooks.copied = func() error {
		inTx := make(chan struct{})
		go func() {
			wrote <- s.Update(context.Background(), func(tx quiz.Tx) error {
				close(inTx)
				for _, u := range big {
					err := tx.PutAttempt(quiz.Attempt{Guild: eraseGuild, User: u, Session: 1, QuestionID: "tcp-1",
						Text: erasableAnswer(u), AnsweredAt: time.Unix(1_700_000_000, 0)})
					if err != nil {
						return err
					}
				}
				return nil
			})
		}()
		<-inTx
		return nil
	}
	type result struct {
		st  CompactStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := s.Compact(context.Background())
		done <- result{st, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.st.Retries == 0 {
			t.Errorf("Compact shut the gate at once (%+v): the writer did not need to grow the map, so the test shows nothing", r.st)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Compact and a writer growing the memory map wait for each other")
	}
	s.hooks = compactHooks{}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	if got := markersInFile(t, path, big[len(big)-3:]); len(got) != 3 {
		t.Errorf("the compacted file lacks the writer's answers: %v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	diffDumps(t, "reopened", dump(t, openTest(t, path, Options{})), want)
}

// TestOpenRemovesLeftoverCopies: the temporary copies a crash can leave beside the database
// (Compact's, Backup's, and the operator endpoint's, named like Backup's) may hold data erased
// since; Open removes them and nothing else.
func TestOpenRemovesLeftoverCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "quiz.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{".quiz.db.compact-1", ".quiz.db.backup-2", ".quiz.db.backup-3.tmp", "other.db", ".other.db.compact-4"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("erased answers"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	openTest(t, path, Options{})
	if names := dirNames(t, dir); !slices.Equal(names, []string{".other.db.compact-4", "other.db", "quiz.db"}) {
		t.Errorf("after Open the folder holds %v", names)
	}
}
