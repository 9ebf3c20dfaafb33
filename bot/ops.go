package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/interviewbot/interviewbot/internal/boltstore"
)

// runBackup writes a consistent copy of the database to DEST and verifies it before DEST is
// replaced: DEST is either the previous file or a complete copy that opens and passes Check.
//
// bbolt allows one process per file, so while the bot runs it holds the file's lock and a second
// process cannot read it. Then the copy comes from the running bot's own GET /backup on its
// operator address (-http, or HTTP_ADDR as the bot itself reads it). With -http given on the
// command line the file is not opened at all: that is how an operator on another machine, or
// outside the container, takes a backup.
func runBackup(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	// run does not hand its context to this subcommand; a long copy must still stop (and leave
	// no temporary file behind) on Ctrl-C or SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fl := flag.NewFlagSet("backup", flag.ContinueOnError)
	fl.SetOutput(stderr)
	def := getenv("DB_PATH")
	if def == "" {
		def = "interviewbot.db"
	}
	db := fl.String("db", def, "database file to copy (env DB_PATH)")
	addr := fl.String("http", getenv("HTTP_ADDR"), "the running bot's operator address, such as :8080 or http://host:8080 (env HTTP_ADDR).\n"+
		"The copy is fetched from its /backup when another process holds the database; given as a\n"+
		"flag, always, without opening the file")
	wait := fl.Duration("wait", 5*time.Second, "how long to wait for the database if another process holds it")
	tokenFile := fl.String("token-file", getenv("BACKUP_TOKEN_FILE"), "file holding the bearer token the running bot's /backup requires (env BACKUP_TOKEN_FILE)")
	fl.Usage = func() {
		fmt.Fprint(stderr, `usage: bot backup [-db FILE] [-http ADDR] [-token-file FILE] [-wait 5s] DEST

Writes a consistent copy of the database to DEST (atomically, via a temporary file in DEST's
folder) and verifies it. While the bot runs it holds the database, so the copy is fetched from
its /backup endpoint on -http or HTTP_ADDR instead, with the bearer token in -token-file or
BACKUP_TOKEN_FILE (the bot serves /backup only when it was started with that token).

`)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	explicitHTTP := false
	fl.Visit(func(f *flag.Flag) { explicitHTTP = explicitHTTP || f.Name == "http" })
	if explicitHTTP && *addr == "" {
		fmt.Fprintln(stderr, "bot backup: -http: empty address")
		return 2
	}
	dest := fl.Arg(0)
	if err := notTheDatabase(dest, *db); err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n", err)
		return 1
	}

	token := ""
	if *tokenFile != "" {
		t, err := readBackupToken(func(string) string { return *tokenFile })
		if err != nil {
			fmt.Fprintf(stderr, "bot backup: %v\n", err)
			return 2
		}
		token = t
	}
	from, err := backup(ctx, *db, *addr, token, explicitHTTP, *wait, dest, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "backed up %s to %s (verified)\n", from, dest)
	return 0
}

// backup copies the database to dest, from the file or from the bot at addr, and returns where
// the copy came from.
func backup(ctx context.Context, db, addr, token string, viaHTTP bool, wait time.Duration, dest string, stderr io.Writer) (string, error) {
	if !viaHTTP {
		st, err := boltstore.Open(db, boltstore.Options{Timeout: wait, ReadOnly: true})
		switch {
		case err == nil:
			defer st.Close()
			return db, boltstore.WriteBackup(dest, func(w io.Writer) error {
				_, err := st.Backup(w)
				return err
			})
		case !errors.Is(err, boltstore.ErrInUse):
			return "", err
		case addr == "":
			return "", fmt.Errorf("%w\nIf the bot is running, it holds the file: give its operator address with "+
				"-http ADDR or HTTP_ADDR to fetch the copy from its /backup endpoint, or stop the bot first", err)
		}
		fmt.Fprintf(stderr, "bot backup: %s is in use, presumably by the running bot; fetching the copy from %s\n", db, backupURL(addr))
	}
	u := backupURL(addr)
	return u, fetchBackup(ctx, u, token, dest)
}

// fetchBackup downloads a backup from a running bot's /backup endpoint to dest.
func fetchBackup(ctx context.Context, url, token, dest string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return boltstore.WriteBackup(dest, func(w io.Writer) error {
		// A body shorter than its Content-Length fails here with io.ErrUnexpectedEOF.
		if _, err := io.Copy(w, resp.Body); err != nil {
			return fmt.Errorf("GET %s: %w", url, err)
		}
		return nil
	})
}

// notTheDatabase refuses a backup destination that is the live database file: renaming a copy
// over it would cut the running bot off from its data.
func notTheDatabase(dest, db string) error {
	d, err := os.Stat(dest)
	if err != nil {
		return nil
	}
	if live, err := os.Stat(db); err == nil && os.SameFile(d, live) {
		return fmt.Errorf("%s is the database itself; choose another destination", dest)
	}
	return nil
}

// backupURL turns an operator address (":8080", "127.0.0.1:8080" or a base URL) into the URL
// of its /backup endpoint.
func backupURL(addr string) string {
	if strings.Contains(addr, "://") {
		base := strings.TrimRight(addr, "/")
		if strings.HasSuffix(base, "/backup") {
			return base
		}
		return base + "/backup"
	}
	return "http://" + hostPort(addr) + "/backup"
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

// hostPort turns a listen address (":8080", "0.0.0.0:8080", "[::]:8080") into one to dial.
func hostPort(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
