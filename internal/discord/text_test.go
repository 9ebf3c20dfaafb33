package discord

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestNoInlineText: the adapters show no sentence of their own. A literal with letters in a
// message's content, title, label or placeholder, in a button or embed, or printed by the
// console, must come from the catalogue (quiz/messages/*.json) instead, so it has its Chinese.
func TestNoInlineText(t *testing.T) {
	var files []string
	for _, pattern := range []string{"*.go", "../console/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || strings.HasPrefix(filepath.Base(path), "commands") {
			continue // commands carry Discord's own localizations
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			for _, lit := range shownLiterals(n) {
				if s, _ := strconv.Unquote(lit.Value); hasWords(s) {
					t.Errorf("%s: %q is shown as it is: add it to the catalogue and render it with Lang.Msg", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}

// shownLiterals returns the string literals n shows a person: the values of Content, Title,
// Label and Placeholder fields, the label of button, the title and text of infoEmbed, and what
// the console prints.
func shownLiterals(n ast.Node) []*ast.BasicLit {
	var out []*ast.BasicLit
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			out = append(out, lit)
		}
	}
	switch n := n.(type) {
	case *ast.KeyValueExpr:
		if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "Content" || k.Name == "Title" || k.Name == "Label" || k.Name == "Placeholder") {
			add(n.Value)
		}
	case *ast.CallExpr:
		name := ""
		switch fn := n.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		switch {
		case name == "button" && len(n.Args) > 1:
			add(n.Args[1])
		case name == "infoEmbed":
			for _, a := range n.Args {
				add(a)
			}
		case name == "printf" && len(n.Args) > 0:
			add(n.Args[0])
		}
	}
	return out
}

// hasWords reports whether s holds a word: two letters in a row.
func hasWords(s string) bool {
	prev := false
	for _, r := range s {
		l := unicode.IsLetter(r)
		if l && prev {
			return true
		}
		prev = l
	}
	return false
}
