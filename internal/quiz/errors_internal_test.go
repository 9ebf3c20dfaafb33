package quiz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
