package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/signal"
	"path/filepath"
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

	fl := newFlags("backup", `usage: bot backup [-db FILE] [-http ADDR] [-token-file FILE] [-wait 5s] DEST

Writes a consistent copy of the database to DEST (atomically, via a temporary file in DEST's
folder) and verifies it. DEST may be a folder (an existing one, or a name ending in /): the copy
is then DEST/interviewbot-YYYY-MM-DD.db, dated today. Missing folders are created.
While the bot runs it holds the database, so the copy is fetched from its /backup endpoint on
-http or HTTP_ADDR instead (host:port, :port or a URL), with the bearer token in -token-file or
BACKUP_TOKEN_FILE (the bot serves /backup only when it was started with that token).

Exit status: 0 DEST holds a verified backup, 1 failed, 2 usage error.

Flags:
`, stdout, stderr)
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
	pos, err := fl.parse(args)
	if err != nil {
		return exitCode(err)
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "bot backup: name one destination, DEST")
		fl.usage(stderr)
		return 2
	}
	explicitHTTP := false
	fl.Visit(func(f *flag.Flag) { explicitHTTP = explicitHTTP || f.Name == "http" })
	if explicitHTTP && *addr == "" {
		fmt.Fprintln(stderr, "bot backup: -http: empty address")
		return 2
	}
	dest, err := backupDest(pos[0], time.Now(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bot backup: %v\n", err)
		return 1
	}
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
		fmt.Fprintf(stderr, "bot backup: %v\n", destError(err, dest))
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
			// Copied into a fresh file beside dest, checked, then renamed over it.
			return db, st.BackupFile(dest)
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

// backupDest resolves the destination the operator named: a folder (existing, or named with a
// final separator) gets a dated file in it, and missing folders are created (mode 0700: a backup
// holds members' data).
func backupDest(dest string, now time.Time, stderr io.Writer) (string, error) {
	name := "interviewbot-" + now.Format("2006-01-02") + ".db"
	dir := filepath.Dir(dest)
	if strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, string(filepath.Separator)) {
		dir, dest = filepath.Clean(dest), filepath.Join(dest, name)
	} else if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		return filepath.Join(dest, name), nil
	}
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return "", fmt.Errorf("cannot write %s: %s is not a folder", dest, dir)
		}
		return dest, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create the folder %s for %s: %w", dir, dest, errors.Unwrap(err))
	}
	fmt.Fprintf(stderr, "bot backup: created the folder %s\n", dir)
	return dest, nil
}

// destError names the destination, not the temporary file beside it, in a failure to write it.
func destError(err error, dest string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.Contains(filepath.Base(pe.Path), ".tmp-") {
		return fmt.Errorf("cannot write %s (through a temporary file in %s): %w", dest, filepath.Dir(dest), pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("cannot replace %s with the new copy: %w", dest, le.Err)
	}
	return err
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
// have a container health check. ADDR takes the forms of `bot backup -http`.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fl := newFlags("healthcheck", `usage: bot healthcheck [-http ADDR | ADDR]

Asks a running bot's /readyz and exits 0 if it answers 200, else 1: the container health check.
ADDR is host:port, :port or a URL (http://host:8080, or a full URL such as .../readyz); the
default is HTTP_ADDR, else 127.0.0.1:8080.

Flags:
`, stdout, stderr)
	def := getenv("HTTP_ADDR")
	if def == "" {
		def = "127.0.0.1:8080"
	}
	addr := fl.String("http", def, "the bot's operator address (env HTTP_ADDR)")
	timeout := fl.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	pos, err := fl.parse(args)
	if err != nil {
		return exitCode(err)
	}
	switch len(pos) {
	case 0:
	case 1:
		*addr = pos[0]
	default:
		fmt.Fprintln(stderr, "healthcheck: one address at most")
		fl.usage(stderr)
		return 2
	}
	url := endpointURL(*addr, "/readyz")
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 2
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

// endpointURL turns an operator address (":8080", "127.0.0.1:8080" or a base URL) into the URL
// of one of its endpoints; a URL that already has a path is used as it is.
func endpointURL(addr, path string) string {
	if strings.Contains(addr, "://") {
		base := strings.TrimRight(addr, "/")
		if u, err := neturl.Parse(base); err == nil && u.Path != "" {
			return base
		}
		return base + path
	}
	return "http://" + hostPort(addr) + path
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
