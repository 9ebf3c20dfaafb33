// Package boltstore implements quiz.Store in a single bbolt file. It is the only package that
// imports bbolt.
//
// # Layout (schema version 2)
//
// Update this tree, migrations.go and the migration tests in the same change as any layout
// change. *Italics* are variable keys; ‖ is concatenation; integers are big-endian so that
// byte order is numeric order.
//
//	├──meta            app : "interviewbot"          (marks the file as ours)
//	│                  schema_version : u64          (the last migration applied)
//	├──due             ╘══*reveal_at unix-ms u64 ‖ guild u64 ‖ session u64* : ∅
//	│                                                (range scan from the first key up to now)
//	└──guilds
//	   ╘══*guild id u64*                             (all buckets made on the guild's first write;
//	      │                                           v2's four on its first write under v2)
//	      ├──config          guild : JSON quiz.Guild (the key exists iff the guild is configured)
//	      ├──members         ╘══*user id u64* : JSON quiz.Member
//	      ├──cards           ╘══*user id u64*        (one bucket per member; DeleteBucket on delete)
//	      │                     ╘══*question id* : binary quiz.Card v2 (codec.go: topic, SM-2
//	      │                                        history, FSRS stability/difficulty/state/last review)
//	      ├──attempts        ╘══*user id u64 ‖ session id u64* : binary quiz.Attempt
//	      │                                          (codec_records.go; a member's attempts are one
//	      │                                           prefix scan; kept until /privacy delete)
//	      ├──sessions        ╘══*session id u64* : binary quiz.Session (codec_records.go; ids:
//	      │                                          the bucket's sequence, one at a time or in
//	      │                                          reserved blocks of 1,000 (ReserveSessionIDs),
//	      │                                          growing with time; pruned 7 days after their
//	      │                                          reveal by quiz's Prune)
//	      ├──posts           ╘══*day "2006-01-02"* : JSON quiz.Post
//	      ├──overlay         ╘══*question id* : JSON quiz.OverlayEntry
//	      ├──overlay_topics  ╘══*topic slug* : JSON quiz.TopicOverlay
//	      ├──history         ╘══*question id ‖ 0x00 ‖ version u32* : JSON quiz.HistoryEntry
//	      │                                          (one question's changes are one prefix scan)
//	      ├──reports         ╘══*report id u64* : JSON quiz.Report     (ids: NextSequence)
//	      ├──mocks           ╘══*mock id u64* : JSON quiz.Mock          (ids: NextSequence)
//	      ├──mock_index      ╘══*user id u64 ‖ created unix-ms u64 ‖ mock id u64* : ∅
//	      │                                          (candidate and interviewer; newest last)
//	      ├──awards          ╘══*month "2006-01"* : JSON quiz.Award
//	      └──recaps          ╘══*week's first day "2006-01-02"* : JSON quiz.Recap
//
// Choices:
//   - Days are "2006-01-02" strings (readable with `bbolt keys`, and they sort for years 1-9999,
//     the only years accepted); months are "2006-01".
//   - Due.At and mock_index times are kept in milliseconds (truncated); times before 1970 are
//     rejected there.
//   - Question ids, slugs and history ids must be non-empty and, for history, NUL-free.
//   - Configuration-like values are JSON with the quiz types' tags: add fields compatibly (old
//     readers ignore unknown fields, new readers get zero values); anything else needs a
//     migration. Cards, sessions and attempts, the bulk of the file, are binary with a version
//     byte: a card is about 55 bytes instead of 300, an attempt about 40 bytes plus its text
//     (times are milliseconds since 2020 in one uvarint: codec.go).
//     Session and attempt readers also accept schema v1's JSON (a value starting with '{').
//   - Schema v2 (migrateV2) re-encoded sessions and attempts and rebuilt every card's review
//     state with FSRS from the member's graded attempts (quiz.RebuildCard), which is why Open
//     takes Options.Scheduler.
//   - There is no version bucket at the root (unlike containerd's v1): meta/schema_version and
//     the migration list carry the version, and the file is ours only if meta/app says so.
//
// # Opening
//
// Open never writes to a file it has not recognised: an existing file is inspected through a
// read-only bbolt handle first (shared lock), and rejected with ErrNotDatabase (not bbolt,
// damaged, or another application's bbolt file) or ErrTooNew without a byte changed. Only then
// is it reopened read-write (exclusive lock) and migrated. A bbolt file with no buckets at all
// is treated as new: that is what an interrupted first Open leaves.
//
// # Writes and the commit path
//
// Store.Update is one bbolt write transaction, committed (fsync'd) before it returns. Store.Batch,
// the path of the use cases members wait on (Ask, Answer, ...), is a group commit of our own
// (batch.go) rather than bbolt's DB.Batch, which waits MaxBatchDelay before every commit even
// when nobody else writes; no MaxBatchDelay or MaxBatchSize setting is used:
//
//   - A caller that finds no Batch commit in flight leads: it starts a write transaction at once
//     and runs its fn, then the fns of the callers that queued while it ran, then commits. A
//     member alone pays one commit and no wait.
//   - Callers that arrive while a commit is in flight queue. When the commit is on disk the
//     leader answers its group and hands the commit path to the oldest waiter, which leads the
//     next transaction with every queued fn, up to 1,000. No goroutine of its own, no timer:
//     many members at once share commits, and each waits for at most the commit in flight and
//     its own.
//   - Every caller returns only after the commit holding its fn returned, so an acknowledged
//     write survives a process crash (crash_test.go kills writers with SIGKILL).
//   - A fn that fails after other fns in its transaction is taken out; the others run again
//     without it, and it runs again alone (bbolt has no savepoints; bbolt's Batch does the
//     same). fn may therefore run more than once: it must only read and write through tx.
//   - A caller whose ctx ends before its fn first runs gets ctx.Err() and its fn never runs.
//     Close fails the callers still queued and waits for the commit in flight.
//
// # Operations
//
// Store.Backup and Store.BackupFile take hot backups; Store.Check verifies the page structure;
// Store.Compact rewrites the file.
//
// Deleted data: bbolt never clears a page it frees, so a deleted value stays readable in the
// file until its page is reused, and tx.WriteTo, a page-for-page copy, carries it along (issue
// 18: 19 of 30 erased 4,000-character answers were still in the file and in a backup). So no
// copy here is a page copy. Backups, compaction and Reshard copy the live keys, bucket by
// bucket and with their sequences, into a fresh file (copy.go), from one read transaction:
//
//   - Backup and BackupFile build the copy in a temporary file (beside the database for
//     Backup, beside the destination for BackupFile and so `bot backup -db`), check it like
//     WriteBackup, then stream or rename it. A backup holds nothing deleted before it began.
//   - Compact copies from a read transaction while transactions run, keeping that transaction
//     open; then it shuts Store.gate (every View, Update and Batch transaction passes it, Batch's
//     leader included): new transactions wait, running ones finish. It re-copies what was
//     committed since (syncTree walks both files side by side and writes only differences,
//     skipping every bucket whose root page is the one it had at the copy: bbolt reuses no page
//     the open copy transaction can see, and a write to a bucket rewrites its root page;
//     nothing at all when the transaction id did not move), fsyncs, renames the copy over the
//     database, fsyncs the folder, switches to the copy's bbolt handle (which has held the
//     copy's lock since it was created, so the name is locked throughout) and reopens the gate.
//     A crash leaves the old or the new file under the name, both complete; Open removes
//     leftover copies.
//   - A writer that must grow bbolt's memory map waits for every read transaction, the copy's
//     too, so the gate may not shut while Compact holds it: after 100 ms (doubling, 4 tries)
//     Compact reopens the gate, lets the copy transaction go, re-syncs outside the gate and
//     tries again; the last try waits without holding any read transaction and re-compares
//     the files whole (CompactStats.Retries counts the tries given up).
//   - Figures: BenchmarkCompactPause (about 100 MB) and BenchmarkYearOfAnswers (a year of a
//     busy server, 330 MB); see the README's Benchmarks.
//   - Store.maint serializes Compact with the backup copies (a backup's long read transaction
//     would otherwise keep Compact's gate from shutting) and with Close.
//
// The bot compacts at start-up, every COMPACT_EVERY (24 h) and after each member erasure (at
// most once per 10 minutes: quiz.Options.AfterErase), so an erased answer is gone from the file
// within 10 minutes and from every backup taken after the erasure. Data deleted while a
// compaction copies is removed from the copy by the re-copy, but its bytes can remain in the
// copy's freed pages: the erasure's own compaction, up to 10 minutes later, removes them.
//
// With the bot stopped, the bbolt CLI (go.etcd.io/bbolt/cmd/bbolt) reads the file:
//
//	bbolt check quiz.db
//	bbolt buckets quiz.db
//	bbolt keys --format=hex quiz.db guilds       # guild ids
//	bbolt get --format=hex quiz.db meta schema_version
//	bbolt compact -o quiz.compact.db quiz.db
package boltstore
