package main

import (
	"log/slog"
	"net/http"
)

// opsHandler serves the operator endpoints: /healthz (the process is alive), /readyz (the
// gateway is connected and the database answers), /metrics (Prometheus text format) and
// /backup (a consistent copy of the database, streamed).
func opsHandler(a *app, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
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
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="interviewbot-backup.db"`)
		if _, err := a.store.Backup(w); err != nil {
			log.Error("backup over http failed", "err", err)
			// Abort the connection so the client sees a broken transfer, not a short file.
			panic(http.ErrAbortHandler)
		}
	})
	return mux
}
