package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interviewbot/interviewbot/internal/boltstore"
)

const reshardUsage = `usage: bot reshard -to DIR -count N FILE...
       bot reshard -to DIR -count N -from DIR

Splits or merges database files by server when the shard count changes. Discord serves guild G
on shard (G >> 22) % N; every server's data, with its pending reveals, goes to
DIR/shard-<i>-of-<N>.db for its new shard i. Stop every bot process first: a file a bot holds
is refused as in use. The sources are opened read-only and never changed. Either all N files
are written, fsynced and checked, or none is left; an existing file is never overwritten.
A server found in two sources is an error.

Exit status: 0 done, 1 failed, 2 usage error.

Flags:
`

// runReshard is `bot reshard`: boltstore.Reshard over the files given.
func runReshard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := newFlags("reshard", reshardUsage, stdout, stderr)
	to := fl.String("to", "", "folder to write shard-<i>-of-<N>.db into; created if missing (required)")
	count := fl.Int("count", 0, fmt.Sprintf("the new shard count N, 1-%d; 1 merges everything into one file (required)", boltstore.MaxReshardCount))
	from := fl.String("from", "", "read every *.db file in this folder, instead of the FILEs listed")
	wait := fl.Duration("wait", time.Second, "how long to wait for a source file another process holds")
	srcs, err := fl.parse(args)
	if err != nil {
		return exitCode(err)
	}
	var problems []string
	if *to == "" {
		problems = append(problems, "-to DIR is required")
	}
	if *count < 1 || *count > boltstore.MaxReshardCount {
		problems = append(problems, fmt.Sprintf("-count must be 1-%d, not %d", boltstore.MaxReshardCount, *count))
	}
	switch {
	case *from == "" && len(srcs) == 0:
		problems = append(problems, "name the source FILEs, or a folder with -from")
	case *from != "" && len(srcs) > 0:
		problems = append(problems, "give either -from DIR or FILEs, not both")
	}
	if *wait <= 0 {
		problems = append(problems, "-wait must be positive")
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "bot reshard: %s\n", p)
		}
		fmt.Fprintln(stderr, "run 'bot reshard -help' for usage")
		return 2
	}

	if *from != "" {
		if srcs, err = dbFiles(*from); err != nil {
			fmt.Fprintf(stderr, "bot reshard: -from: %v\n", err)
			return 1
		}
		if len(srcs) == 0 {
			fmt.Fprintf(stderr, "bot reshard: no *.db files in %s\n", *from)
			return 1
		}
	}
	rep, err := boltstore.Reshard(ctx, srcs, *to, *count, boltstore.ReshardOptions{Timeout: *wait})
	if err != nil {
		fmt.Fprintf(stderr, "bot reshard: %v\n", err)
		fmt.Fprintln(stderr, "bot reshard: no file was written")
		return 1
	}
	printReshard(stdout, rep)
	return 0
}

// dbFiles lists the regular *.db files in dir, by name.
func dbFiles(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

func printReshard(w io.Writer, rep boltstore.ReshardReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "read %d file(s):\n  FILE\tSERVERS\tDUE\n", len(rep.Sources))
	guilds, due := 0, 0
	for _, s := range rep.Sources {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", s.Path, s.Guilds, s.Due)
		guilds, due = guilds+s.Guilds, due+s.Due
	}
	_ = tw.Flush()
	fmt.Fprintf(tw, "wrote %d shard file(s) to %s, each checked:\n  FILE\tSERVERS\tDUE\tBYTES\n", rep.Count, rep.Dir)
	for _, s := range rep.Shards {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\n", filepath.Base(s.Path), s.Guilds, s.Due, s.Size)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "total: %d servers, %d due entries\n", guilds, due)
	fmt.Fprintf(w, "the bot of shard i of %d now uses -db %s\n", rep.Count,
		filepath.Join(rep.Dir, fmt.Sprintf("shard-<i>-of-%d.db", rep.Count)))
}
