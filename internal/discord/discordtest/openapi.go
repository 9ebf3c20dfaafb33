package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// spec is the official OpenAPI description (v10), loaded once per process.
type spec struct {
	doc *openapi3.T // read-only after loading; validation does not change it

	// Callback bodies are checked as JSON Schema 2020-12 (the spec is OpenAPI 3.1). kin-openapi's
	// VisitJSON compiles the schema again on every call, which was most of the fake's time in
	// the end-to-end tests; each branch is compiled once here, from the spec's own JSON, with
	// the formats kin-openapi asserts.
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	branches map[string]*jsonschema.Schema
}

// specURL names the spec's JSON in the compiler; refs inside it ("#/components/…") resolve there.
const specURL = "https://discord.com/api/v10/openapi.json"

// newSpec keeps doc and prepares the compiler over raw, the same document as JSON.
func newSpec(doc *openapi3.T, raw []byte) (*spec, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	for _, f := range formatsIn(v) {
		c.RegisterFormat(&jsonschema.Format{Name: f, Validate: checkFormat(f)})
	}
	c.AssertFormat()
	if err := c.AddResource(specURL, v); err != nil {
		return nil, err
	}
	return &spec{doc: doc, compiler: c, branches: map[string]*jsonschema.Schema{}}, nil
}

// formatsIn lists the formats the document uses, sorted.
func formatsIn(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if f, ok := x["format"].(string); ok && f != "" {
				seen[f] = true
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return slices.Sorted(maps.Keys(seen))
}

// checkFormat checks a value of format f as kin-openapi does: by its registered string,
// integer and number formats; a format it does not know passes.
func checkFormat(f string) func(any) error {
	return func(v any) error {
		var n float64
		switch x := v.(type) {
		case string:
			if c, ok := openapi3.SchemaStringFormats[f]; ok {
				return c.Validate(x)
			}
			return nil
		case json.Number:
			var err error
			if n, err = x.Float64(); err != nil {
				return nil
			}
		case float64:
			n = x
		default:
			return nil
		}
		if c, ok := openapi3.SchemaIntegerFormats[f]; ok && n == math.Trunc(n) && !math.IsInf(n, 0) {
			return c.Validate(int64(n))
		}
		if c, ok := openapi3.SchemaNumberFormats[f]; ok {
			return c.Validate(n)
		}
		return nil
	}
}

// branch returns the compiled schema of components/schemas/name, compiling it on first use.
func (sp *spec) branch(name string) (*jsonschema.Schema, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sch, ok := sp.branches[name]; ok {
		return sch, nil
	}
	sch, err := sp.compiler.Compile(specURL + "#/components/schemas/" + name)
	if err != nil {
		return nil, err
	}
	sp.branches[name] = sch
	return sch, nil
}

var (
	specOnce   sync.Once
	specLoaded *spec
	specNote   string
	specLogged sync.Once
)

// requireSpecEnv, when set (.ci/run sets it), makes New fail the test instead of skipping
// schema validation when the spec cannot be loaded, so CI never passes without the check.
const requireSpecEnv = "DISCORDTEST_REQUIRE_SPEC"

// specRelPath is where the spec lives relative to the module root.
var specRelPath = filepath.Join("..", "shared", "discord-api-spec", "openapi.json")

// loadSpec returns the spec, or nil and (once per process) a note saying
// why schema validation is skipped.
func loadSpec() (*spec, string) {
	specOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			specNote = fmt.Sprintf("OpenAPI schema validation skipped: %v", err)
			return
		}
		p := filepath.Join(root, specRelPath)
		if _, err := os.Stat(p); err != nil {
			specNote = fmt.Sprintf("OpenAPI schema validation skipped: %s not found", p)
			return
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			specNote = fmt.Sprintf("OpenAPI schema validation skipped: reading %s: %v", p, err)
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err == nil {
			specLoaded, err = newSpec(doc, raw)
		}
		if err != nil {
			specNote = fmt.Sprintf("OpenAPI schema validation skipped: loading %s: %v", p, err)
			specLoaded = nil
		}
	})
	var note string
	if specLoaded == nil {
		specLogged.Do(func() { note = specNote })
	}
	return specLoaded, note
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// callbackBranches maps an interaction callback type to the anyOf branch
// of the callback request body that describes it.
var callbackBranches = map[int]string{
	1: "PongInteractionCallbackRequest",
	4: "CreateMessageInteractionCallbackRequest",
	5: "CreateMessageInteractionCallbackRequest",
	6: "UpdateMessageInteractionCallbackRequest",
	7: "UpdateMessageInteractionCallbackRequest",
	8: "ApplicationCommandAutocompleteCallbackRequest",
	9: "ModalInteractionCallbackRequest",
}

// validate checks the request (path, query and JSON body) against the
// spec, as a v10 request to https://discord.com.
func (sp *spec) validate(rq *restReq) error {
	rt := rq.route
	pathItem := sp.doc.Paths.Value(rt.pattern)
	if pathItem == nil {
		return nil
	}
	op := pathItem.GetOperation(rq.method)
	if op == nil {
		return nil
	}
	var body []byte
	var value any
	if len(bytes.TrimSpace(rq.body)) > 0 {
		if err := json.Unmarshal(rq.body, &value); err != nil {
			return fmt.Errorf("body is not JSON: %w", err)
		}
		value = normalise(value, "")
		body = mustJSON(value)
	}
	u := "https://discord.com/api/v10" + rq.rel
	if q := rq.query.Encode(); q != "" {
		u += "?" + q
	}
	req, err := http.NewRequest(rq.method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	isCallback := strings.HasPrefix(rt.pattern, "/interactions/")
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: rq.params,
		Route: &routers.Route{
			Spec: sp.doc, Path: rt.pattern, PathItem: pathItem, Method: rq.method, Operation: op,
		},
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			ExcludeRequestBody: isCallback,
		},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return err
	}
	if isCallback && value != nil {
		// The body is an anyOf over all callback types; errors from it name
		// the last branch. Validate against the branch the type selects.
		var typ struct {
			Type int `json:"type"`
		}
		_ = json.Unmarshal(body, &typ)
		name, ok := callbackBranches[typ.Type]
		if !ok {
			return fmt.Errorf("callback type %d is not in the spec", typ.Type)
		}
		if ref := sp.doc.Components.Schemas[name]; ref == nil || ref.Value == nil {
			return nil
		}
		sch, err := sp.branch(name)
		if err != nil {
			return fmt.Errorf("compiling %s: %w", name, err)
		}
		if err := sch.Validate(value); err != nil {
			return fmt.Errorf("request body (%s): %w", name, err)
		}
	}
	return nil
}

// validateResponse checks one of the fake's own replies against the spec,
// so the wire objects stay complete enough for strict clients.
func (sp *spec) validateResponse(rq *restReq, rep reply) error {
	pathItem := sp.doc.Paths.Value(rq.route.pattern)
	if pathItem == nil || pathItem.GetOperation(rq.method) == nil {
		return nil
	}
	req, err := http.NewRequest(rq.method, "https://discord.com/api/v10"+rq.rel, nil)
	if err != nil {
		return err
	}
	hdr := rep.hdr.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	if len(rep.body) > 0 {
		hdr.Set("Content-Type", "application/json")
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: rq.params,
			Route: &routers.Route{
				Spec: sp.doc, Path: rq.route.pattern, PathItem: pathItem, Method: rq.method,
				Operation: pathItem.GetOperation(rq.method),
			},
		},
		Status:  rep.status,
		Header:  hdr,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(rep.body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}

var schemaAt = regexp.MustCompile(`at '([^']*)': ([^\n]*)`)

// summarise shortens a kin-openapi error to the failing locations. Errors
// from oneOf/anyOf list every branch; "value must be N" and "missing
// property" lines mostly come from the branches that did not apply, so they
// are dropped when something more specific remains.
func summarise(err error) string {
	msg := err.Error()
	head, _, _ := strings.Cut(msg, ":")
	seen := map[string]bool{}
	var specific, missing, enums []string
	for _, m := range schemaAt.FindAllStringSubmatch(msg, -1) {
		item := m[1] + ": " + strings.TrimSpace(m[2])
		if seen[item] {
			continue
		}
		seen[item] = true
		switch {
		case strings.HasPrefix(m[2], "value must be "):
			enums = append(enums, item)
		case strings.HasPrefix(m[2], "missing propert"):
			missing = append(missing, item)
		default:
			specific = append(specific, item)
		}
	}
	if len(specific) == 0 {
		specific = missing
	}
	if len(specific) == 0 {
		specific = enums
	}
	if len(specific) == 0 {
		first, _, _ := strings.Cut(msg, "\n")
		return truncate(first, 500)
	}
	if len(specific) > 5 {
		specific = append(specific[:5], fmt.Sprintf("(%d more)", len(specific)-5))
	}
	return head + ": " + strings.Join(specific, "; ")
}

// normalise turns int-like strings the API accepts (discordgo sends
// "default_member_permissions":"2048") into numbers, as the spec types them.
func normalise(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalise(e, k)
		}
	case []any:
		for i, e := range x {
			x[i] = normalise(e, key)
		}
	case string:
		if key == "default_member_permissions" {
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return float64(n)
			}
		}
	}
	return v
}
