package main

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// opsHandler serves the operator endpoints: /healthz (the process is alive), /readyz (the
// gateway is connected and the database answers), /metrics (Prometheus text format) and
// /backup (a consistent copy of the database, streamed).
func opsHandler(a *app, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	// Copies left by a crash during an earlier /backup would fill the volume over time.
	if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(a.store.Path()), ".backup-*.tmp")); len(stale) > 0 {
		for _, f := range stale {
			_ = os.Remove(f)
		}
		log.Info("removed leftover backup copies", "count", len(stale))
	}
	var backupMu sync.Mutex // one copy at a time: each takes the database's size on its disk
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !a.bot.Ready() {
			http.Error(w, "gateway not connected", http.StatusServiceUnavailable)
			return
		}
		if err := a.store.Ping(r.Context()); err != nil {
			http.Error(w, "database not available", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		a.metrics.writeText(w)
	})
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		if !backupMu.TryLock() {
			http.Error(w, "a backup is already running; try again when it is done", http.StatusServiceUnavailable)
			return
		}
		defer backupMu.Unlock()
		// Copy to a file beside the database first (fast), then stream the file: a slow client
		// must not hold a read transaction open, which would stop bbolt reusing pages.
		f, err := os.CreateTemp(filepath.Dir(a.store.Path()), ".backup-*.tmp")
		if err != nil {
			log.Error("backup over http: temp file", "err", err)
			http.Error(w, "backup failed", http.StatusInternalServerError)
			return
		}
		defer os.Remove(f.Name())
		defer f.Close()
		n, err := a.store.Backup(f)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			log.Error("backup over http failed", "err", err)
			http.Error(w, "backup failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		w.Header().Set("Content-Disposition", `attachment; filename="interviewbot-backup.db"`)
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Minute))
		if _, err := io.Copy(w, f); err != nil {
			log.Warn("backup over http: the client did not take the whole copy", "err", err)
		}
	})
	return mux
}
