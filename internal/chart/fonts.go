package chart

import (
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// goFonts holds the parsed Go fonts. Parsing takes longer than a whole render, so it happens
// once per process; an *opentype.Font is safe for concurrent use, while the faces made from it
// are not, so each render makes its own.
var goFonts = sync.OnceValues(func() (fontSet, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return fontSet{}, fmt.Errorf("chart: parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return fontSet{}, fmt.Errorf("chart: parse Go Bold: %w", err)
	}
	return fontSet{regular: regular, bold: bold}, nil
})

type fontSet struct{ regular, bold *opentype.Font }

// faces are the sizes one render uses.
type faces struct {
	title, stat, heading, label, body, small font.Face
}

func newFaces() (faces, error) {
	fs, err := goFonts()
	if err != nil {
		return faces{}, err
	}
	var fc faces
	for _, s := range []struct {
		dst  *font.Face
		f    *opentype.Font
		size float64
	}{
		{&fc.title, fs.bold, 26},
		{&fc.stat, fs.bold, 20},
		{&fc.heading, fs.bold, 16},
		{&fc.label, fs.bold, 14},
		{&fc.body, fs.regular, 15},
		{&fc.small, fs.regular, 12},
	} {
		face, err := opentype.NewFace(s.f, &opentype.FaceOptions{Size: s.size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return faces{}, fmt.Errorf("chart: font face: %w", err)
		}
		*s.dst = face
	}
	return fc, nil
}
