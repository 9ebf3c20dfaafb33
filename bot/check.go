package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/interviewbot/interviewbot/internal/bank"
	"github.com/interviewbot/interviewbot/internal/quiz"
	"github.com/interviewbot/interviewbot/questions"
)

// checkSummary is the output of `bot check -json`.
type checkSummary struct {
	Questions int            `json:"questions"`
	Topics    map[string]int `json:"topics"`
	Languages []quiz.Lang    `json:"languages"`
	Problems  []string       `json:"problems,omitempty"`
	Warnings  []string       `json:"warnings,omitempty"`
}

// runCheck validates a bank folder (default: the embedded bank) and exits 1 on any problem.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("check", `usage: bot check [-json] [DIR]

Validates a question bank: the folder DIR, or the embedded one. Problems are printed as
FILE:LINE: message, with FILE relative to where the command runs.

Exit status: 0 valid, 1 problems found, 2 usage error or no such folder.

Flags:
`, stdout, stderr)
	asJSON := fl.Bool("json", false, "print a JSON summary")
	pos, err := fl.parse(args)
	if err != nil {
		return exitCode(err)
	}
	var fsys fs.FS = questions.FS
	name, dir := "embedded bank", ""
	switch len(pos) {
	case 0:
	case 1:
		dir = pos[0]
		fi, err := os.Stat(dir)
		if err != nil {
			fmt.Fprintf(stderr, "bot check: cannot open the folder %s: %v\n", dir, errors.Unwrap(err))
			return 2
		}
		if !fi.IsDir() {
			fmt.Fprintf(stderr, "bot check: %s is not a folder\n", dir)
			return 2
		}
		fsys, name = os.DirFS(dir), dir
	default:
		fmt.Fprintf(stderr, "bot check: one folder at most, got %d arguments\n", len(pos))
		fl.usage(stderr)
		return 2
	}
	b, warnings, err := bank.LoadWarn(fsys)
	if err != nil {
		err = bankError(err, dir)
		var ps bank.Problems
		lines := []string{err.Error()}
		if errors.As(err, &ps) {
			lines = lines[:0]
			for _, p := range ps {
				lines = append(lines, p.String())
			}
		}
		if *asJSON {
			writeJSON(stdout, checkSummary{Topics: map[string]int{}, Languages: quiz.Langs, Problems: lines})
		} else {
			for _, l := range lines {
				fmt.Fprintln(stdout, l)
			}
			fmt.Fprintf(stderr, "%s: %d problem(s)\n", name, len(lines))
		}
		return 1
	}
	sum := checkSummary{Questions: b.Len(), Topics: b.Counts(), Languages: quiz.Langs}
	if dir != "" {
		warnings, _ = bankError(warnings, dir).(bank.Problems)
	}
	for _, w := range warnings {
		sum.Warnings = append(sum.Warnings, w.String())
	}
	if *asJSON {
		writeJSON(stdout, sum)
		return 0
	}
	for _, w := range sum.Warnings {
		fmt.Fprintln(stdout, "warning: "+w)
	}
	fmt.Fprintf(stdout, "%s: OK, %s in %s (languages: en, zh)", name, quiz.Count(quiz.English, sum.Questions, "question", "questions", ""),
		quiz.Count(quiz.English, len(sum.Topics), "topic", "topics", ""))
	if n := len(sum.Warnings); n > 0 {
		fmt.Fprintf(stdout, ", %s", quiz.Count(quiz.English, n, "warning", "warnings", ""))
	}
	fmt.Fprintln(stdout)
	slugs := make([]string, 0, len(sum.Topics))
	for s := range sum.Topics {
		slugs = append(slugs, s)
	}
	slices.Sort(slugs)
	for _, s := range slugs {
		fmt.Fprintf(stdout, "  %-14s %d\n", s, sum.Topics[s])
	}
	return 0
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
