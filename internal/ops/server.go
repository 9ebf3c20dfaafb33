package ops

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Database is what the endpoints need of the store.
type Database interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Backup writes a consistent copy of the database to w.
	Backup(w io.Writer) (int64, error)
	// Path is the database file; backups are staged beside it.
	Path() string
}

// Options configures a Server.
type Options struct {
	// Ready reports whether the bot is connected to Discord.
	Ready   func() bool
	DB      Database
	Metrics *Metrics
	Logger  *slog.Logger
	// BackupToken, if set, turns /backup on for requests that carry it as a bearer token.
	// Without it /backup is off: it hands out every member's answers.
	BackupToken string
	// MaxConns bounds open connections (default 64), so idle clients cannot pile up.
	MaxConns int
}

// Timeouts of the operator server. A backup may take long to stream, so it extends its own
// write deadline; everything else answers at once.
const (
	readHeaderTimeout = 5 * time.Second
	idleTimeout       = 60 * time.Second
	writeTimeout      = 30 * time.Second
	backupTimeout     = 10 * time.Minute
)

// Server serves the operator endpoints.
type Server struct {
	opts     Options
	log      *slog.Logger
	backupMu sync.Mutex // one copy at a time: each takes the database's size on its disk
	token    [sha256.Size]byte
}

// New returns a Server; it removes backup copies that a crash left beside the database.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 64
	}
	s := &Server{opts: o, log: o.Logger}
	if o.BackupToken != "" {
		s.token = sha256.Sum256([]byte(o.BackupToken))
	}
	if o.DB != nil {
		if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(o.DB.Path()), ".backup-*.tmp")); len(stale) > 0 {
			for _, f := range stale {
				_ = os.Remove(f)
			}
			s.log.Info("removed leftover backup copies", "count", len(stale))
		}
	}
	return s
}

// Handler routes the endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.opts.Metrics != nil {
		mux.Handle("GET /metrics", s.opts.Metrics.Handler())
	}
	mux.HandleFunc("GET /backup", s.backup)
	return mux
}

// Serve serves on ln until ctx ends, then shuts down gracefully (2 s at most).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		WriteTimeout:      writeTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	err := srv.Serve(limitListener(ln, s.opts.MaxConns))
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready == nil || !s.opts.Ready() {
		http.Error(w, "gateway not connected", http.StatusServiceUnavailable)
		return
	}
	if s.opts.DB == nil || s.opts.DB.Ping(r.Context()) != nil {
		http.Error(w, "database not available", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// authorized compares the bearer token in constant time (of equal-length hashes, so neither
// the token's content nor its length leaks through timing).
func (s *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	sum := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(sum[:], s.token[:]) == 1
}

func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	if s.opts.BackupToken == "" || s.opts.DB == nil {
		http.Error(w, "backup over HTTP is off: start the bot with BACKUP_TOKEN_FILE to turn it on", http.StatusNotFound)
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="interviewbot backup"`)
		http.Error(w, "a valid bearer token is required (the content of BACKUP_TOKEN_FILE)", http.StatusUnauthorized)
		return
	}
	if !s.backupMu.TryLock() {
		http.Error(w, "a backup is already running; try again when it is done", http.StatusServiceUnavailable)
		return
	}
	defer s.backupMu.Unlock()
	// Copy to a file beside the database first (fast), then stream the file: a slow client
	// must not hold a read transaction open, which would stop bbolt reusing pages.
	// Named like the store's own temporary copies (".<db name>.backup-"), which the store
	// removes when it opens: one left by a crash would keep data members erase later.
	db := s.opts.DB.Path()
	f, err := os.CreateTemp(filepath.Dir(db), "."+filepath.Base(db)+".backup-*.tmp")
	if err != nil {
		s.log.Error("backup over http: temp file", "err", err)
		http.Error(w, "backup failed", http.StatusInternalServerError)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := s.opts.DB.Backup(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		s.log.Error("backup over http failed", "err", err)
		http.Error(w, "backup failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="interviewbot-backup.db"`)
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(backupTimeout))
	if _, err := io.Copy(w, f); err != nil {
		s.log.Warn("backup over http: the client did not take the whole copy", "err", err)
	}
}

// limitListener accepts at most n connections at once; the next waits for one to close.
func limitListener(l net.Listener, n int) net.Listener {
	return &limited{Listener: l, sem: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	sem chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.sem })}, nil
}

type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
