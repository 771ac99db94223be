package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestRenderGolden pins the sample letter's bytes by their SHA-256; the PDF
// itself is written next to the golden file with -update, and committed so
// a review can look at what changed.
func TestRenderGolden(t *testing.T) {
	got, err := Render(sampleLetter())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(got)
	hash := hex.EncodeToString(sum[:]) + "\n"
	path := filepath.Join("testdata", "sample.sha256.golden")
	if *update {
		if err := os.WriteFile(path, []byte(hash), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "sample.pdf"), got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/pdf/ -update)", err)
	}
	if hash != string(want) {
		t.Errorf("sample letter's SHA-256 is %s, golden %s (look at testdata/sample.pdf after -update)", hash, want)
	}
}

// TestRenderDeterministic renders the same letter twice.
func TestRenderDeterministic(t *testing.T) {
	a, err := Render(sampleLetter())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(sampleLetter())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one letter differ")
	}
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// TestRenderPages checks the PDF header, the page count of short and long
// letters and the document dates.
func TestRenderPages(t *testing.T) {
	short := Letter{Title: "受理决定书", Paragraphs: []string{"你的申请已受理。"}, Date: time.Date(2025, 6, 9, 15, 4, 5, 0, time.UTC)}
	long := sampleLetter()
	long.Paragraphs = append(long.Paragraphs, long.Paragraphs...)
	for _, tc := range []struct {
		name  string
		l     Letter
		pages int
	}{{"short", short, 1}, {"sample", sampleLetter(), 2}, {"long", long, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Render(tc.l)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("starts with %q", b[:8])
			}
			if n := len(pageObject.FindAll(b, -1)); n != tc.pages {
				t.Errorf("%d pages, want %d", n, tc.pages)
			}
			if !bytes.Contains(b, []byte("(D:20250609000000)")) {
				t.Error("creation date is not the letter's date")
			}
		})
	}
}

// TestRenderRefuses checks the Chinese messages for letters Render cannot
// print.
func TestRenderRefuses(t *testing.T) {
	day := time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, field string
		l           Letter
	}{
		{"no title", "title", Letter{Date: day}},
		{"no date", "date", Letter{Title: "受理决定书"}},
		{"bad utf-8", "items[1]", Letter{Title: "受理决定书", Date: day, Items: []string{"一", "\xff"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(tc.l)
			fe, ok := errs.First(err)
			if !errs.Is(err, errs.Invalid) || !ok || fe.Field != tc.field {
				t.Fatalf("error %v, want an Invalid error on %s", err, tc.field)
			}
			if !strings.ContainsAny(fe.Message, "文书") {
				t.Errorf("message %q is not the Chinese one", fe.Message)
			}
		})
	}
}

// TestChineseDate covers single and two-digit months and days and 〇.
func TestChineseDate(t *testing.T) {
	for _, tc := range []struct {
		y, m, d int
		want    string
	}{
		{2025, 6, 9, "二〇二五年六月九日"},
		{2020, 10, 10, "二〇二〇年十月十日"},
		{2031, 11, 20, "二〇三一年十一月二十日"},
		{2024, 12, 31, "二〇二四年十二月三十一日"},
		{2000, 1, 19, "二〇〇〇年一月十九日"},
	} {
		got := ChineseDate(time.Date(tc.y, time.Month(tc.m), tc.d, 23, 0, 0, 0, time.UTC))
		if got != tc.want {
			t.Errorf("%d-%d-%d: %s, want %s", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
}
