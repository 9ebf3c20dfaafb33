package quiz

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestCatalogue walks the catalogue: every id has an English and a Chinese text that take the
// same arguments, every id is used somewhere in the code, and every id the code names exists.
func TestCatalogue(t *testing.T) {
	idRule := regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	areas := map[string]bool{}
	for id, txt := range catalogue {
		areas[strings.Split(string(id), ".")[0]] = true
		if !idRule.MatchString(string(id)) {
			t.Errorf("id %q: ids are area.what, lower case", id)
		}
		if strings.TrimSpace(txt.EN) == "" || strings.TrimSpace(txt.ZH) == "" {
			t.Errorf("%s: English %q, Chinese %q: both are needed", id, txt.EN, txt.ZH)
			continue
		}
		if en, zh := verbs(txt.EN), verbs(txt.ZH); !verbsAgree(en, zh, txt.EN, txt.ZH) {
			t.Errorf("%s: English takes %v, Chinese %v:\n  %q\n  %q", id, en, zh, txt.EN, txt.ZH)
		}
	}
	literals, named := sourceIDs(t, areas)
	for _, id := range slices.Sorted(maps.Keys(catalogue)) {
		if !literals[string(id)] {
			t.Errorf("%s is in the catalogue but no code uses it: remove it", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(named)) {
		if _, ok := catalogue[MsgID(id)]; !ok {
			where := named[id]
			t.Errorf("%s: %q is not in the catalogue: add it to a messages/*.json table with en and zh", where, id)
		}
	}
}

// sourceIDs reads every non-test Go file of the module. literals
// holds every string literal; named, the ones the code uses as ids (with where): the id
// argument of Msg and Errorf, a MsgID conversion, and any literal shaped like an id of a known
// area, which catches ids passed through a helper's MsgID parameter.
func sourceIDs(t *testing.T, areas map[string]bool) (literals map[string]bool, named map[string]string) {
	literals, named = map[string]bool{}, map[string]string{}
	idShape := regexp.MustCompile(`^([a-z][a-z0-9_]*)\.[a-z0-9_.]+$`)
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.Contains(path, "testdata") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		name := func(e ast.Expr) {
			if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				named[s] = fset.Position(lit.Pos()).String()
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					s, _ := strconv.Unquote(n.Value)
					literals[s] = true
					if m := idShape.FindStringSubmatch(s); m != nil && areas[m[1]] {
						name(n)
					}
				}
			case *ast.CallExpr:
				switch fn := calleeName(n.Fun); {
				case fn == "Msg" && len(n.Args) > 0, fn == "MsgID" && len(n.Args) == 1:
					name(n.Args[0])
				case fn == "Errorf" && !isFmt(n.Fun) && len(n.Args) > 1:
					name(n.Args[1])
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(literals) < 100 {
		t.Fatalf("read only %d string literals: is the walk in the right place?", len(literals))
	}
	return literals, named
}

func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func isFmt(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == "fmt"
}

// verbs maps each argument a format takes to its verb, so a translation may reorder them with
// explicit indexes (%[2]s).
func verbs(format string) map[int]string {
	re := regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)
	out := map[int]string{}
	next := 1
	for _, m := range re.FindAllStringSubmatch(format, -1) {
		if m[4] == "%" {
			continue
		}
		if m[2] != "" {
			next, _ = strconv.Atoi(m[2])
		}
		out[next] += m[4]
		next++
	}
	return out
}

// verbsAgree: an argument both languages use takes the same verb in both, and together they
// use arguments 1 to n with none left out. A language may leave an argument out only with
// explicit indexes, on purpose (English names a grade by its value, Chinese by its label).
func verbsAgree(en, zh map[int]string, enText, zhText string) bool {
	n := 0
	for i, v := range en {
		if w, ok := zh[i]; ok && w != v {
			return false
		}
		n = max(n, i)
	}
	for i := range zh {
		n = max(n, i)
	}
	for i := 1; i <= n; i++ {
		switch {
		case en[i] == "" && zh[i] == "":
			return false
		case en[i] == "" && !strings.Contains(enText, "%["), zh[i] == "" && !strings.Contains(zhText, "%["):
			return false
		}
	}
	return true
}

func TestMsgRendersBothLanguages(t *testing.T) {
	e := Errorf(EINVALID, "answer.too_long", 5000, 4000)
	if got := ErrorMessageIn(e, Chinese); got != "你的回答有 5000 个字符，上限是 4000。" {
		t.Errorf("ErrorMessageIn(zh) = %q", got)
	}
	if got, want := ErrorMessageIn(e, English), "Your answer is 5000 characters; the limit is 4000."; got != want || e.Message != want {
		t.Errorf("ErrorMessageIn(en) = %q, Message %q; want %q", got, e.Message, want)
	}
	// A nested id is rendered in the same language; a missing one renders as written.
	if got := Chinese.Msg("settings.lang_is_own", MsgID("settings.chinese")); got != "题目以中文显示（你自己选择的）。用 `/设置 语言` 修改，或选择“自动（跟随客户端）”跟随你的 Discord 语言。" {
		t.Errorf("nested = %q", got)
	}
	if got := Chinese.Msg("Not in the catalogue %d%%.", 5); got != "Not in the catalogue 5%." {
		t.Errorf("missing id = %q", got)
	}
	if got := English.Msg("settings.retention_nan", "x", 0.5, 0.99); !strings.Contains(got, "90%") {
		t.Errorf("retention = %q", got)
	}
}

// TestProblemsInChinese: a moderator reading in Chinese sees what is wrong with a question in
// Chinese; the field names stay as they are in the file.
func TestProblemsInChinese(t *testing.T) {
	q := Question{ID: "Bad ID", Topic: "tcp", Level: Mid, Tags: []string{"tcp"},
		Prompt: Text{EN: "Why?", ZH: ""}, Answer: Text{EN: "a", ZH: "答"},
		KeyPoints: TextList{EN: []string{"a", "b", "c"}, ZH: []string{"一", "二"}}}
	err := checkQuestion(q)
	zh, en := ErrorMessageIn(err, Chinese), ErrorMessageIn(err, English)
	for _, want := range []string{"题目无效", "id 必须符合", "question.zh: 必须填写", "key_points.zh: 需要 3 到 8 项，现有 2 项"} {
		if !strings.Contains(zh, want) {
			t.Errorf("in Chinese: %q lacks %q", zh, want)
		}
	}
	for _, want := range []string{"The question is not valid", "question.zh: text is required", "key_points: en has 3 items but zh has 2"} {
		if !strings.Contains(en, want) {
			t.Errorf("in English: %q lacks %q", en, want)
		}
	}
}

// TestCatalogueTables: no id is written twice, in one table (where JSON would keep the last
// silently) or in two (where loading refuses).
func TestCatalogueTables(t *testing.T) {
	names, err := fs.Glob(catalogueFiles, "messages/*.json")
	if err != nil || len(names) < 2 {
		t.Fatalf("tables %v, %v", names, err)
	}
	for _, name := range names {
		data, _ := fs.ReadFile(catalogueFiles, name)
		dec := json.NewDecoder(bytes.NewReader(data))
		seen := map[string]bool{}
		depth := 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			switch tok {
			case json.Delim('{'):
				depth++
				continue
			case json.Delim('}'):
				depth--
				continue
			}
			if key, ok := tok.(string); ok && depth == 1 && dec.More() {
				if seen[key] {
					t.Errorf("%s: %s is written twice", name, key)
				}
				seen[key] = true
				var v Text
				if err := dec.Decode(&v); err != nil {
					t.Fatalf("%s: %s: %v", name, key, err)
				}
			}
		}
	}
	twice := fstest.MapFS{
		"messages/a.json": {Data: []byte(`{"x.y": {"en": "A", "zh": "甲"}}`)},
		"messages/b.json": {Data: []byte(`{"x.y": {"en": "B", "zh": "乙"}}`)},
	}
	defer func() {
		if recover() == nil {
			t.Error("loadCatalogue accepted an id in two tables")
		}
	}()
	loadCatalogue(twice)
}

// TestMomentsInMessages: a moment in a message reads in the member's zone by default, and each
// adapter can render it its own way (Discord: a timestamp), in either language.
func TestMomentsInMessages(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)
	err = Errorf(ENOTFOUND, "review.none_due", At{due, shanghai})
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
