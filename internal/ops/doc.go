// Package ops serves what an operator reads from a running bot over HTTP: /healthz (the
// process is alive), /readyz (Discord is connected and the database answers), /metrics
// (Prometheus, through client_golang, with the Go runtime and process collectors) and /backup
// (a consistent copy of the database, only with a bearer token).
//
// It is an adapter like the others: it knows nothing of Discord or bbolt, only the small
// interfaces below, which bot/ fills with the real ones.
package ops
