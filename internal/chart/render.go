// Package chart draws a member's /progress as a PNG and says the same as text.
//
// The picture is drawn with the standard library's image and image/png and the Go fonts from
// golang.org/x/image: no browser, no cgo. The Go fonts have no CJK glyphs, so the picture's
// labels are English in every language (topic slugs, numbers, month abbreviations); Text says
// the same facts in the member's language, for the embed and for screen readers.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/interviewbot/interviewbot/internal/quiz"
)

// Width is the picture's width in pixels; its height grows with the topics drawn.
const Width = 900

// MaxTopics is how many topics the picture draws, weakest first; Text lists the rest.
const MaxTopics = 16

// Layout, in pixels.
const (
	pad = 24

	// The calendar: one column per week, one row per weekday (Monday at the top).
	gridX     = pad + 36 // after the weekday labels
	gridY     = 122
	cellSize  = 20
	cellGap   = 4
	cellPitch = cellSize + cellGap
	gridH     = 7*cellPitch - cellGap

	sideX = gridX + maxWeeks*cellPitch + 28 // the numbers beside the calendar

	legendY = gridY + gridH + 14

	// The topics: one row each, under their heading.
	topicsHeadY = legendY + 50 // baseline
	topicsY     = topicsHeadY + 12
	topicRowH   = 28
	slugW       = 176
	seenBarX    = pad + slugW + 10
	seenBarW    = 200
	recallBarX  = seenBarX + seenBarW + 90
	recallBarW  = 250
	barH        = 12
)

// Colours.
var (
	background = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink        = color.RGBA{0x1f, 0x23, 0x28, 0xff}
	muted      = color.RGBA{0x59, 0x63, 0x6e, 0xff}
	track      = color.RGBA{0xea, 0xee, 0xf2, 0xff}
	seenFill   = color.RGBA{0x09, 0x69, 0xda, 0xff}
	recallLow  = color.RGBA{0xcf, 0x22, 0x2e, 0xff} // under 50%
	recallMid  = color.RGBA{0xbf, 0x87, 0x00, 0xff} // under 80%
	recallHigh = color.RGBA{0x1a, 0x7f, 0x37, 0xff}

	// levels colours a day by its answers; levels[0] is a day without any.
	levels = [5]color.RGBA{
		{0xeb, 0xed, 0xf0, 0xff},
		{0x9b, 0xe9, 0xa8, 0xff},
		{0x40, 0xc4, 0x63, 0xff},
		{0x30, 0xa1, 0x4e, 0xff},
		{0x21, 0x6e, 0x39, 0xff},
	}
	levelNames = [5]string{"0", "1", "2", "3-4", "5+"}
)

// level is the colour level of a day with n answers.
func level(n int) int {
	switch {
	case n <= 0:
		return 0
	case n <= 2:
		return n
	case n <= 4:
		return 3
	}
	return 4
}

// height is the picture's height for n topic rows, plus a footer when some were left out.
func height(n int, more bool) int {
	h := topicsY + topicRowH*max(n, 1) + 14
	if more {
		h += 22
	}
	return h
}

// cellAt is the calendar square in column col (a week) and row row (Monday 0 to Sunday 6).
func cellAt(col, row int) image.Rectangle {
	x, y := gridX+col*cellPitch, gridY+row*cellPitch
	return image.Rect(x, y, x+cellSize, y+cellSize)
}

// Render draws p as a PNG: a title line, the calendar of answers from p.From to p.To, and the
// first MaxTopics of p.Topics (weakest first) with how much of each was seen and how well it is
// recalled. The same Progress always gives the same bytes.
func Render(p quiz.Progress) ([]byte, error) {
	fc, err := newFaces()
	if err != nil {
		return nil, err
	}
	f := factsOf(p)
	topics := p.Topics[:min(len(p.Topics), MaxTopics)]
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, Width, height(len(topics), len(p.Topics) > len(topics))))}
	c.fill(c.img.Rect, background)

	c.header(fc, p, f)
	c.calendar(fc, p, f)
	c.side(fc, f)
	c.topics(fc, p.Topics, topics)

	var buf bytes.Buffer
	if err := png.Encode(&buf, c.encodable()); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// encodable is the picture as a paletted image when it has at most 256 colours, as it does
// unless glyphs overlap a lot: a paletted PNG is a third of the pixels to compress, and PNG
// filters are not tried on it, which makes encoding several times faster and the file smaller.
func (c *canvas) encodable() image.Image {
	pal := make(color.Palette, 0, 256)
	index := make(map[color.RGBA]uint8, 64)
	out := image.NewPaletted(c.img.Rect, nil)
	var last color.RGBA
	var lastIndex uint8
	for i, o := 0, 0; i < len(c.img.Pix); i, o = i+4, o+1 {
		px := color.RGBA{c.img.Pix[i], c.img.Pix[i+1], c.img.Pix[i+2], c.img.Pix[i+3]}
		if px != last || len(pal) == 0 {
			k, ok := index[px]
			if !ok {
				if len(pal) == 256 {
					return c.img
				}
				k = uint8(len(pal))
				index[px] = k
				pal = append(pal, px)
			}
			last, lastIndex = px, k
		}
		out.Pix[o] = lastIndex
	}
	out.Palette = pal
	return out
}

type canvas struct {
	img  *image.RGBA
	mask image.Alpha // reused by text for each glyph
}

func (c *canvas) fill(r image.Rectangle, col color.RGBA) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// square fills r with its corners rounded off by one pixel.
func (c *canvas) square(r image.Rectangle, col color.RGBA) {
	c.fill(r, col)
	for _, p := range []image.Point{r.Min, {r.Max.X - 1, r.Min.Y}, {r.Min.X, r.Max.Y - 1}, r.Max.Sub(image.Pt(1, 1))} {
		c.img.SetRGBA(p.X, p.Y, background)
	}
}

// text draws s with its baseline at y, starting at x, and returns where it ends. Like
// font.Drawer, but with each glyph's coverage rounded to alphaLevels steps, so the picture keeps
// few enough colours for a paletted PNG.
func (c *canvas) text(face font.Face, x, y int, col color.RGBA, s string) int {
	src := image.NewUniform(col)
	dot := fixed.P(x, y)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		dr, mask, mp, adv, ok := face.Glyph(dot, r)
		if ok {
			draw.DrawMask(c.img, dr, src, image.Point{}, c.quantize(mask, mp, dr.Size()), image.Point{}, draw.Over)
		}
		dot.X += adv
		prev = r
	}
	return dot.X.Ceil()
}

// alphaLevels is how many levels of coverage text is drawn with: enough for smooth edges.
const alphaLevels = 16

// quantize copies the size-sized part of mask at mp into c.mask, its coverage rounded to
// alphaLevels steps.
func (c *canvas) quantize(mask image.Image, mp image.Point, size image.Point) *image.Alpha {
	if need := size.X * size.Y; cap(c.mask.Pix) < need {
		c.mask.Pix = make([]uint8, need)
	}
	c.mask.Pix, c.mask.Stride, c.mask.Rect = c.mask.Pix[:size.X*size.Y], size.X, image.Rectangle{Max: size}
	const step = 255 / (alphaLevels - 1)
	for y := range size.Y {
		for x := range size.X {
			var a uint8
			if m, ok := mask.(*image.Alpha); ok {
				a = m.AlphaAt(mp.X+x, mp.Y+y).A
			} else {
				_, _, _, a32 := mask.At(mp.X+x, mp.Y+y).RGBA()
				a = uint8(a32 >> 8)
			}
			c.mask.Pix[y*size.X+x] = uint8((int(a) + step/2) / step * step)
		}
	}
	return &c.mask
}

func textWidth(face font.Face, s string) int { return font.MeasureString(face, s).Ceil() }

// fit shortens s with an ellipsis until it is at most w pixels wide.
func fit(face font.Face, s string, w int) string {
	if textWidth(face, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(face, string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// drawable keeps the runes face has glyphs for: a member's name may be in a script the Go
// fonts lack, and a row of empty boxes says nothing.
func drawable(face font.Face, s string) string {
	var b strings.Builder
	for _, r := range s {
		if _, ok := face.GlyphAdvance(r); ok {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func shortDate(d quiz.Day) string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%s %d, %d", m.String()[:3], dd, y)
}

func (c *canvas) header(fc faces, p quiz.Progress, f facts) {
	name := drawable(fc.title, p.Name)
	if name == "" {
		name = "Progress"
	}
	c.text(fc.title, pad, 50, ink, fit(fc.title, name, Width-2*pad))

	parts := []string{
		fmt.Sprintf("%d-day streak", f.streak),
		plural(f.answered, "answer", "answers"),
		fmt.Sprintf("%d due for review", f.due),
	}
	span := shortDate(f.from) + " – " + shortDate(f.to)
	if z := drawable(fc.body, p.Zone); z != "" {
		span += " (" + z + ")"
	}
	parts = append(parts, span)
	c.text(fc.body, pad, 78, muted, fit(fc.body, strings.Join(parts, "   •   "), Width-2*pad))
}

func (c *canvas) calendar(fc faces, p quiz.Progress, f facts) {
	for row, name := range []string{0: "Mon", 2: "Wed", 4: "Fri"} {
		if name != "" {
			c.text(fc.small, pad, gridY+row*cellPitch+15, muted, name)
		}
	}

	// Month names over the column holding the month's first day, and over the first column
	// unless that would crowd the next name.
	type label struct {
		col int
		m   time.Month
	}
	var months []label
	for col := 1; col < f.weeks; col++ {
		if _, m, dd := (f.first + quiz.Day(7*col+6)).Civil(); dd <= 7 {
			months = append(months, label{col, m})
		}
	}
	if _, m, _ := f.from.Civil(); len(months) == 0 || months[0].col >= 3 {
		months = append([]label{{0, m}}, months...)
	}
	for _, l := range months {
		c.text(fc.small, gridX+l.col*cellPitch, gridY-10, muted, l.m.String()[:3])
	}

	for col := range f.weeks {
		for row := range 7 {
			d := f.first + quiz.Day(7*col+row)
			if d < f.from || d > f.to {
				continue
			}
			c.square(cellAt(col, row), levels[level(p.Daily[d])])
		}
	}

	x := c.text(fc.small, gridX, legendY+11, muted, "Answers a day:") + 10
	for i, col := range levels {
		c.square(image.Rect(x, legendY, x+12, legendY+12), col)
		x = c.text(fc.small, x+16, legendY+11, muted, levelNames[i]) + 12
	}
}

func (c *canvas) side(fc faces, f facts) {
	busiest := "busiest week"
	if f.busiest > 0 {
		_, m, d := f.busiestFrom.Civil()
		busiest = fmt.Sprintf("busiest week, %s %d", m.String()[:3], d)
	}
	items := []struct {
		value int
		label string
	}{
		{f.active, "active days"},
		{f.busiest, busiest},
		{f.best, "best streak"},
		{f.freezes, "streak freezes"},
	}
	for i, it := range items {
		top := gridY + i*43
		c.text(fc.stat, sideX, top+18, ink, fmt.Sprint(it.value))
		c.text(fc.small, sideX, top+33, muted, fit(fc.small, it.label, Width-pad-sideX))
	}
}

func (c *canvas) topics(fc faces, all, shown []quiz.TopicProgress) {
	c.text(fc.heading, pad, topicsHeadY, ink, "Topics, weakest first")
	c.text(fc.small, seenBarX, topicsHeadY, muted, "questions seen")
	c.text(fc.small, recallBarX, topicsHeadY, muted, "recall (FSRS retrievability)")
	if len(shown) == 0 {
		c.text(fc.body, pad, topicsY+19, muted, "No topics yet.")
	}
	for i, t := range shown {
		top := topicsY + i*topicRowH
		c.text(fc.label, pad, top+19, ink, fit(fc.label, t.Topic.Slug, slugW))

		barY := top + (topicRowH-barH)/2
		c.bar(seenBarX, barY, seenBarW, t.Coverage(), seenFill)
		c.text(fc.body, seenBarX+seenBarW+10, top+19, ink, fmt.Sprintf("%d/%d", t.Seen, t.Total))

		if t.Graded == 0 {
			c.bar(recallBarX, barY, recallBarW, 0, track)
			c.text(fc.body, recallBarX+recallBarW+10, top+19, muted, "not graded")
			continue
		}
		col := recallHigh
		switch {
		case t.Recall < 0.5:
			col = recallLow
		case t.Recall < 0.8:
			col = recallMid
		}
		c.bar(recallBarX, barY, recallBarW, t.Recall, col)
		c.text(fc.body, recallBarX+recallBarW+10, top+19, ink, fmt.Sprintf("%d%%", percent(t.Recall)))
	}
	if more := len(all) - len(shown); more > 0 {
		c.text(fc.small, pad, topicsY+len(shown)*topicRowH+16, muted,
			fmt.Sprintf("+ %s, listed in the text", plural(more, "more topic", "more topics")))
	}
}

// bar draws a w-pixel track filled to share v (0 to 1) with col.
func (c *canvas) bar(x, y, w int, v float64, col color.RGBA) {
	c.fill(image.Rect(x, y, x+w, y+barH), track)
	if fw := int(math.Round(float64(w) * clamp01(v))); fw > 0 {
		c.fill(image.Rect(x, y, x+max(fw, 2), y+barH), col)
	}
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return min(max(v, 0), 1)
}

// percent is v (0 to 1) as a whole percentage.
func percent(v float64) int { return int(math.Round(clamp01(v) * 100)) }
