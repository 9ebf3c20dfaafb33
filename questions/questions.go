// Package questions embeds the shipped question bank: one YAML file per topic.
package questions

import "embed"

// FS holds the bank files at its root (tcp.yaml, http.yaml, ...).
//
//go:embed *.yaml
var FS embed.FS
