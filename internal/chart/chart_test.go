package chart

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

var update = flag.Bool("update", false, "rewrite testdata/progress.png")

const samplePath = "testdata/progress.png"

// sample is the Progress the README's picture shows: a member with a few months of practice,
// ten topics and one topic not started.
func sample() quiz.Progress {
	to := quiz.Date(2025, time.September, 10) // a Wednesday
	from := to - quiz.ProgressWeeks*7 + 1
	daily := map[quiz.Day]int{}
	seed := uint32(7)
	for d := from; d <= to; d++ {
		seed = seed*1664525 + 1013904223 // a fixed LCG: the same picture every time
		r := int(seed >> 24)
		switch {
		case d < from+40: // a slow start
			if r < 40 {
				daily[d] = 1
			}
		case r < 100:
		default:
			daily[d] = 1 + r%6
		}
	}
	for d := to - 11; d <= to; d++ { // the current streak
		daily[d] = max(daily[d], 1)
	}
	topic := func(slug string, seen, total, graded int, recall float64) quiz.TopicProgress {
		return quiz.TopicProgress{Topic: quiz.Topic{Slug: slug}, Seen: seen, Total: total, Graded: graded, Recall: recall}
	}
	answered := 0
	for _, n := range daily {
		answered += n
	}
	return quiz.Progress{
		Name: "Ada Lovelace", Lang: quiz.English, Zone: "Europe/London",
		From: from, To: to, Daily: daily,
		Streak:   quiz.Streak{Current: 12, Best: 19, DaysActive: len(daily), LastDay: to, Freezes: 1},
		Answered: answered + 23, // and some before the calendar
		Due:      7,
		Topics: []quiz.TopicProgress{
			topic("distributed", 6, 13, 5, 0.41),
			topic("concurrency", 9, 13, 8, 0.58),
			topic("redis", 4, 13, 4, 0.66),
			topic("os", 11, 13, 10, 0.74),
			topic("databases", 8, 13, 8, 0.81),
			topic("http", 13, 13, 13, 0.88),
			topic("tcp", 12, 13, 12, 0.93),
			topic("go", 3, 13, 3, 0.97),
			topic("python", 2, 13, 0, 0),
			topic("networking", 0, 13, 0, 0),
		},
	}
}

// busy is the largest picture: every day answered, more topics than are drawn, long names.
func busy() quiz.Progress {
	p := sample()
	p.Name = strings.Repeat("A very long member name ", 8)
	p.Zone = "America/Argentina/ComodRivadavia"
	for d := p.From; d <= p.To; d++ {
		p.Daily[d] = 1 + int(d)%9
	}
	p.Topics = nil
	for i := range 20 {
		slug := fmt.Sprintf("%02d-%s", i, strings.Repeat("abcdefghij", 3))[:32]
		p.Topics = append(p.Topics, quiz.TopicProgress{Topic: quiz.Topic{Slug: slug}, Seen: 99 - i, Total: 120, Graded: i, Recall: float64(i) / 20})
	}
	return p
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

func render(t *testing.T, p quiz.Progress) image.Image {
	t.Helper()
	b, err := Render(p)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return decode(t, b)
}

func TestRenderDecodes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      quiz.Progress
		height int
	}{
		{"sample", sample(), height(10, false)},
		{"busy", busy(), height(MaxTopics, true)},
		{"no topics", func() quiz.Progress { p := sample(); p.Topics = nil; return p }(), height(0, false)},
		{"empty history", func() quiz.Progress { p := sample(); p.Daily, p.Streak, p.Answered = nil, quiz.Streak{}, 0; return p }(), height(10, false)},
		{"zero", quiz.Progress{}, height(0, false)},
		{"CJK name", func() quiz.Progress { p := sample(); p.Name, p.Lang = "小明", quiz.Chinese; return p }(), height(10, false)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := render(t, tc.p)
			if got, want := img.Bounds().Size(), image.Pt(Width, tc.height); got != want {
				t.Errorf("size = %v; want %v", got, want)
			}
		})
	}
}

func TestRenderBusyUnder200KB(t *testing.T) {
	b, err := Render(busy())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= 200<<10 {
		t.Errorf("busy render is %d bytes; want < 200 KB", len(b))
	}
	t.Logf("busy render: %d bytes", len(b))
}

// TestRenderPaletted checks that the picture keeps few enough colours to be encoded as a
// paletted PNG (the fast, small path), and that more colours fall back to full colour.
func TestRenderPaletted(t *testing.T) {
	b, err := Render(busy())
	if err != nil {
		t.Fatal(err)
	}
	if img := decode(t, b); reflect.TypeOf(img) != reflect.TypeOf(&image.Paletted{}) {
		t.Errorf("Render encoded a %T; want a paletted PNG", img)
	}
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, 300, 1))}
	for x := range 300 {
		c.img.SetRGBA(x, 0, color.RGBA{uint8(x), uint8(x / 256), 0, 0xff})
	}
	if got := c.encodable(); got != image.Image(c.img) {
		t.Errorf("encodable with 300 colours = %T; want the RGBA picture itself", got)
	}
}

func TestRenderDeterministic(t *testing.T) {
	a, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same Progress differ")
	}
}

// centre is the colour at the centre of day d's square, located from the layout constants: the
// columns are Monday-to-Sunday weeks from the week of from, the rows Monday to Sunday.
func centre(img image.Image, from, d quiz.Day) color.RGBA {
	firstMonday := from - quiz.Day((int(from.Weekday())+6)%7)
	col, row := int(d-firstMonday)/7, int(d-firstMonday)%7
	x := gridX + col*cellPitch + cellSize/2
	y := gridY + row*cellPitch + cellSize/2
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func TestRenderCalendarPixels(t *testing.T) {
	to := quiz.Date(2025, time.September, 10) // a Wednesday: the last column ends after to
	from := to - quiz.ProgressWeeks*7 + 1     // a Thursday: the first column starts before from
	if from.Weekday() == time.Monday || to.Weekday() == time.Sunday {
		t.Fatal("the test needs partial first and last weeks")
	}
	days := map[quiz.Day]int{
		from:      1,
		from + 1:  2,
		from + 30: 3,
		from + 31: 4,
		from + 60: 5,
		from + 61: 40,
		to:        1,
		from - 1:  9, // outside the range: not drawn, not counted
		to + 1:    9,
	}
	p := quiz.Progress{Name: "pixels", From: from, To: to, Daily: days}
	img := render(t, p)
	for d, n := range days {
		want := levels[level(n)]
		if d < from || d > to {
			want = background
		}
		if got := centre(img, from, d); got != want {
			t.Errorf("day %s (%d answers): centre pixel %v; want %v", d, n, got, want)
		}
	}
	for _, d := range []quiz.Day{from + 2, from + 100, to - 1} {
		if got := centre(img, from, d); got != levels[0] {
			t.Errorf("empty day %s: centre pixel %v; want the empty colour %v", d, got, levels[0])
		}
	}
	for n, want := range []int{0, 1, 2, 3, 3, 4, 4, 4} {
		if got := level(n); got != want {
			t.Errorf("level(%d) = %d; want %d", n, got, want)
		}
	}
	if f := factsOf(p); f.active != 7 || f.inRange != 1+2+3+4+5+40+1 {
		t.Errorf("factsOf: %d active days, %d answers; want 7 and %d (days outside the range ignored)", f.active, f.inRange, 1+2+3+4+5+40+1)
	}
}

func TestRenderOversizedRange(t *testing.T) {
	to := quiz.Date(2025, time.September, 10)
	p := quiz.Progress{From: to - 400, To: to, Daily: map[quiz.Day]int{to - 300: 3}}
	f := factsOf(p)
	if f.weeks > maxWeeks || f.from <= to-300 {
		t.Errorf("factsOf(400 days) = %d weeks from %s; want at most %d weeks, not reaching %s", f.weeks, f.from, maxWeeks, to-300)
	}
	render(t, p)
}

// TestGlyphs checks that the Go fonts draw every rune the picture's fixed labels use, and that
// drawable drops what they cannot draw.
func TestGlyphs(t *testing.T) {
	fc, err := newFaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, face := range []font.Face{fc.title, fc.body, fc.small, fc.label} {
		for _, s := range []string{"12-day streak • Mar 13, 2025 – Sep 10, 2025 (Europe/London)", "tcp-handshake…", "Answers a day: 3-4 5+ 100%"} {
			if got := drawable(face, s); got != s {
				t.Errorf("drawable(%q) = %q; the Go fonts lack a rune the picture uses", s, got)
			}
		}
		if got, want := drawable(face, "小明 Ming 🙂"), "Ming"; got != want {
			t.Errorf("drawable(CJK and emoji) = %q; want %q", got, want)
		}
	}
}

func TestRenderTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	p := busy()
	if _, err := Render(p); err != nil { // parse the fonts outside the timing
		t.Fatal(err)
	}
	var runs []time.Duration
	for range 5 {
		start := time.Now()
		if _, err := Render(p); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, time.Since(start))
	}
	slices.Sort(runs)
	limit := 50 * time.Millisecond
	if raceEnabled {
		limit *= 50 // the race detector slows these pixel loops about 40 times; still catches a blow-up
	}
	if median := runs[len(runs)/2]; median > limit {
		t.Errorf("median render of 5: %v; want under %v (all: %v)", median, limit, runs)
	} else {
		t.Logf("median render of 5: %v (all: %v)", median, runs)
	}
}

func BenchmarkRender(b *testing.B) {
	p := busy()
	var size int
	for b.Loop() {
		out, err := Render(p)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(size)/1024, "KB")
}

// TestSample keeps testdata/progress.png, the picture the README shows, in step with Render:
// go test ./internal/chart -update (or UPDATE_TESTDATA=1) rewrites it.
func TestSample(t *testing.T) {
	got, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	if *update || os.Getenv("UPDATE_TESTDATA") == "1" {
		if err := os.WriteFile(samplePath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", filepath.FromSlash(samplePath), len(got))
		return
	}
	want, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatalf("%v; run go test ./internal/chart -update", err)
	}
	gi, wi := decode(t, got), decode(t, want)
	if gi.Bounds() != wi.Bounds() {
		t.Fatalf("%s is %v; Render draws %v: run go test ./internal/chart -update", samplePath, wi.Bounds(), gi.Bounds())
	}
	for y := gi.Bounds().Min.Y; y < gi.Bounds().Max.Y; y++ {
		for x := gi.Bounds().Min.X; x < gi.Bounds().Max.X; x++ {
			if g, w := color.RGBAModel.Convert(gi.At(x, y)), color.RGBAModel.Convert(wi.At(x, y)); g != w {
				t.Fatalf("%s differs from Render at (%d,%d): %v, now %v; run go test ./internal/chart -update", samplePath, x, y, w, g)
			}
		}
	}
}
