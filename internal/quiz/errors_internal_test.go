package quiz

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestChineseErrorsMatch: every translated message takes the same arguments as its English
// format, and every English format it translates is still used somewhere.
func TestChineseErrorsMatch(t *testing.T) {
	var src strings.Builder
	// Adapters raise quiz errors too (a forged button, say), so their sources count.
	var files []string
	for _, pattern := range []string{"*.go", "../discord/*.go", "../console/*.go"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "errors.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	for en, zh := range zhErrors {
		if strings.Count(en, "%") != strings.Count(zh, "%") {
			t.Errorf("%q and its translation %q take different arguments", en, zh)
		}
		quoted := strings.ReplaceAll(en, "\n", `\n`)
		if !strings.Contains(src.String(), `"`+quoted+`"`) {
			t.Errorf("translated message %q is not used any more", en)
		}
	}
	e := Errorf(EINVALID, "Your answer is %d characters; the limit is %d.", 5000, 4000)
	if got := ErrorMessageIn(e, Chinese); got != "你的回答有 5000 个字符，上限是 4000。" {
		t.Errorf("ErrorMessageIn = %q", got)
	}
	if got := ErrorMessageIn(e, English); got != e.Message {
		t.Errorf("English = %q", got)
	}
}

// TestMomentsInMessages: a moment in a message reads in the member's zone by default, and each
// adapter can render it its own way (Discord: a timestamp), in either language.
func TestMomentsInMessages(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)
	err = Errorf(ENOTFOUND, "Nothing is due for review. The next review is due %s.", At{due, shanghai})
	if got, want := ErrorMessageIn(err, English), "Nothing is due for review. The next review is due 2026-03-02 21:00 Asia/Shanghai."; got != want {
		t.Errorf("ErrorMessageIn = %q; want %q", got, want)
	}
	stamp := func(a At) string { return "<t:" + strconv.FormatInt(a.Time.Unix(), 10) + ">" }
	if got, want := ErrorMessageWith(err, Chinese, stamp), "暂无到期的复习。下次复习时间：<t:1772456400>。"; got != want {
		t.Errorf("ErrorMessageWith(zh, timestamp) = %q; want %q", got, want)
	}
	if got, want := ErrorMessageWith(err, English, stamp), "Nothing is due for review. The next review is due <t:1772456400>."; got != want {
		t.Errorf("ErrorMessageWith(en, timestamp) = %q; want %q", got, want)
	}
}
