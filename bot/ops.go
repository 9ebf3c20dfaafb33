package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/interviewbot/interviewbot/internal/boltstore"
)

// runBackup writes a consistent copy of the database. It works while the bot runs only from
// inside the bot's process (bbolt allows one process); from outside, stop the bot or use the
// running bot's copy. See the README's backup section.
func runBackup(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("backup", flag.ContinueOnError)
	fl.SetOutput(stderr)
	def := getenv("DB_PATH")
	if def == "" {
		def = "interviewbot.db"
	}
	db := fl.String("db", def, "database file to copy (env DB_PATH)")
	wait := fl.Duration("wait", 5*time.Second, "how long to wait for the database if another process holds it")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: bot backup [-db FILE] [-wait 5s] DEST\n\nWrites a consistent copy of the database to DEST.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	st, err := boltstore.Open(*db, boltstore.Options{Timeout: *wait, ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n", err)
		return 1
	}
	defer st.Close()
	if err := st.BackupFile(fl.Arg(0)); err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *db, fl.Arg(0))
	return 0
}

// runHealthcheck asks a running bot's /readyz, so an image without a shell or curl can still
// have a container health check.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	url := "http://127.0.0.1:8080/readyz"
	if addr := getenv("HTTP_ADDR"); addr != "" {
		url = "http://" + hostPort(addr) + "/readyz"
	}
	if len(args) > 0 {
		url = args[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s: %s %s\n", url, resp.Status, body)
		return 1
	}
	fmt.Fprintf(stdout, "ok %s\n", url)
	return 0
}

// hostPort turns a listen address (":8080", "0.0.0.0:8080") into one to dial.
func hostPort(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "127.0.0.1" + addr
	}
	if len(addr) > 8 && addr[:8] == "0.0.0.0:" {
		return "127.0.0.1" + addr[7:]
	}
	return addr
}
