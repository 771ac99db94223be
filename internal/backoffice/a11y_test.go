package backoffice

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
)

// The palette's text/background pairs pass WCAG 2.1 AA: 4.5:1 for text
// (3:1 for the large figures). Colours are read from app.css, so a change
// of a variable is checked here.
func TestContrastAA(t *testing.T) {
	t.Parallel()
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"white": "#ffffff"}
	for _, m := range regexp.MustCompile(`--([a-z]+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	color := func(name string) string {
		if c, ok := vars[name]; ok {
			return c
		}
		return name
	}
	for _, p := range []struct{ fg, bg, where string }{
		{"ink", "white", "body text on cards and tables"},
		{"ink", "bg", "body text on the page"},
		{"ink", "#eef2f6", "table headers"},
		{"muted", "white", "muted text on cards"},
		{"muted", "bg", "muted text on the page"},
		{"brand", "white", "links and secondary buttons"},
		{"brand", "bg", "links on the page"},
		{"white", "brand", "primary buttons"},
		{"#d6e4f5", "#0b3d6e", "header navigation"},
		{"white", "#155a9c", "active navigation item"},
		{"bad", "#fef3f2", "error alerts"},
		{"bad", "#fff6f5", "invalid fields"},
		{"ok", "#ecfdf3", "success alerts"},
		{"warn", "#fffaeb", "warnings and 未确认 tags"},
		{"#222222", "white", "chart labels"},
		{"#555555", "white", "chart captions"},
	} {
		if r := contrast(color(p.fg), color(p.bg)); r < 4.5 {
			t.Errorf("%s: %s on %s is %.2f:1, below 4.5:1", p.where, p.fg, p.bg, r)
		}
	}
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			panic(fmt.Sprintf("colour %q", hex))
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func TestContrastFormula(t *testing.T) {
	t.Parallel()
	if r := contrast("#000000", "#ffffff"); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white %.2f, want 21", r)
	}
	if r := contrast("#767676", "#ffffff"); math.Abs(r-4.54) > 0.01 {
		t.Errorf("#767676 on white %.2f, want 4.54", r)
	}
}
