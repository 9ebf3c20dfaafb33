package discord

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// noise is n bytes that gzip cannot shrink much.
func noise(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

func TestFitUploads(t *testing.T) {
	small := upload{"a.yaml", "application/yaml", []byte("topic: tcp\n")}
	text := upload{"b.json", "application/json", []byte(strings.Repeat(`{"answer":"the same words again"},`, 200))}
	random := upload{"c.json", "application/json", noise(2500)}
	const limit = 1000

	got, split := fitUploads([]upload{small}, limit)
	if split || len(got) != 1 || got[0].name != "a.yaml" {
		t.Errorf("fitUploads(small) = %v, %v; want it unchanged", got, split)
	}

	got, split = fitUploads([]upload{small, text}, limit)
	if !split || len(got) != 2 || got[1].name != "b.json.gz" || len(got[1].data) > limit || !bytes.Equal(gunzip(t, got[1].data), text.data) {
		t.Errorf("fitUploads(compressible) = %d files, split %v; want a.yaml and b.json.gz within %d bytes holding the original", len(got), split, limit)
	}

	got, split = fitUploads([]upload{random}, limit)
	var joined []byte
	for i, f := range got {
		if want := "c.json.gz.00" + string(rune('1'+i)); f.name != want || len(f.data) > limit {
			t.Errorf("part %d = %s, %d bytes; want %s within %d", i, f.name, len(f.data), want, limit)
		}
		joined = append(joined, f.data...)
	}
	if !split || len(got) != 3 || !bytes.Equal(gunzip(t, joined), random.data) {
		t.Errorf("fitUploads(incompressible 2500 bytes) = %d parts; want 3 that join (cat | gunzip) to the original", len(got))
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUploadBatches(t *testing.T) {
	f := func(n int) upload { return upload{"f", "x", make([]byte, n)} }
	sizes := func(bs [][]upload) [][]int {
		var out [][]int
		for _, b := range bs {
			var s []int
			for _, u := range b {
				s = append(s, len(u.data))
			}
			out = append(out, s)
		}
		return out
	}
	for _, c := range []struct {
		in   []upload
		want string
	}{
		{nil, "[]"},
		{[]upload{f(400), f(400), f(400)}, "[[400 400] [400]]"},
		{[]upload{f(1000), f(1), f(999)}, "[[1000] [1 999]]"},
		{[]upload{f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1)}, "[[1 1 1 1 1 1 1 1 1 1] [1]]"},
	} {
		if got := sizes(uploadBatches(c.in, 1000)); fmt.Sprint(got) != c.want {
			t.Errorf("uploadBatches(%d files) = %v; want %s", len(c.in), got, c.want)
		}
	}
}
