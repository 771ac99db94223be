package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese line breaking (a simple form of GB/T 15834's and W3C clreq's
// rules): closing punctuation never starts a line and opening punctuation
// never ends one. Runs of ASCII letters, digits and symbols (numbers, case
// numbers, dates like 2025-06-09) are kept whole unless wider than a line.
const (
	noLineStart = "，。、；：？！）」』》〕】〉”’…—·％,.;:?!)]}%"
	noLineEnd   = "（「『《〔【〈“‘([{"
)

// tolerance absorbs rounding: a line measured piece by piece may come out
// a hair wider than the same line measured whole. In mm, far below a dot.
const tolerance = 1e-6

// newlines turns every line break into "\n".
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// wrap breaks s into lines no wider than width, measuring with measure
// (fpdf's GetStringWidth in production). A line break ("\n", "\r\n" or
// "\r") in s forces a break and is dropped; every other character is kept,
// in order, so the lines joined give s without its line breaks. At widths
// of only a few characters the punctuation rules yield rather than
// overflow the line.
func wrap(s string, width float64, measure func(string) float64) []string {
	var lines []string
	for _, part := range strings.Split(newlines.Replace(s), "\n") {
		lines = append(lines, wrapLine(part, width, measure)...)
	}
	return lines
}

// wrapLine wraps one paragraph without newlines. An empty paragraph gives
// one empty line.
func wrapLine(s string, width float64, measure func(string) float64) []string {
	var lines [][]string
	var cur []string
	curW := 0.0
	for _, u := range units(s, width, measure) {
		w := measure(u)
		if len(cur) == 0 || curW+w <= width+tolerance {
			cur, curW = append(cur, u), curW+w
			continue
		}
		done, next := keepPunctuation(cur, []string{u}, width, measure)
		lines = append(lines, done)
		cur, curW = next, measure(strings.Join(next, ""))
	}
	lines = append(lines, cur)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Join(l, "")
	}
	return out
}

// keepPunctuation moves units from the end of line to the start of next
// while next would start with closing punctuation or line would end with
// opening punctuation, keeping at least one unit on line and next within
// width. If no such move works, the lines stay as they were.
func keepPunctuation(line, next []string, width float64, measure func(string) float64) ([]string, []string) {
	l, n := line, next
	for len(l) > 1 && (isClosing(n[0]) || isOpening(l[len(l)-1])) {
		n = append([]string{l[len(l)-1]}, n...)
		l = l[:len(l)-1]
		if measure(strings.Join(n, "")) > width+tolerance {
			return line, next
		}
	}
	if isClosing(n[0]) || isOpening(l[len(l)-1]) {
		return line, next
	}
	return l, n
}

// units splits s into the pieces a line may break between: each non-ASCII
// character alone, each space alone, and each run of other ASCII characters
// as one piece unless it is wider than width (then character by character).
func units(s string, width float64, measure func(string) float64) []string {
	var out []string
	for s != "" {
		n := asciiRun(s)
		if n == 0 {
			_, n = utf8.DecodeRuneInString(s)
		}
		u := s[:n]
		if n > 1 && measure(u) > width {
			out = append(out, strings.Split(u, "")...)
		} else {
			out = append(out, u)
		}
		s = s[n:]
	}
	return out
}

// asciiRun is the length of the run of printable, non-space ASCII at the
// start of s.
func asciiRun(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == ' ' || !unicode.IsPrint(rune(c)) {
			return i
		}
	}
	return len(s)
}

// isClosing reports whether unit u starts with punctuation that may not
// start a line.
func isClosing(u string) bool {
	r, _ := utf8.DecodeRuneInString(u)
	return strings.ContainsRune(noLineStart, r)
}

// isOpening reports whether unit u ends with punctuation that may not end a
// line.
func isOpening(u string) bool {
	r, _ := utf8.DecodeLastRuneInString(u)
	return strings.ContainsRune(noLineEnd, r)
}
