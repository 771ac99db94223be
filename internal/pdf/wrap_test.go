package pdf

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fixedWidth measures every non-ASCII character as 1 and ASCII as 0.5, like
// a CJK font in em units.
func fixedWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// TestWrap checks the three promises of wrap on texts that put punctuation
// at each break, and pins the lines for a few of them.
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     string
		width float64
		want  []string // nil: check the promises only
	}{
		{"fits", "认定工伤决定书", 10, []string{"认定工伤决定书"}},
		{"plain", "一二三四五六七八九十", 4, []string{"一二三四", "五六七八", "九十"}},
		{"comma at break", "一二三四，五六", 4, []string{"一二三", "四，五六"}},
		{"two closers", "一二三四」。五六", 4, []string{"一二三", "四」。五", "六"}},
		{"closer after closer", "一二三」。四", 4, []string{"一二", "三」。四"}},
		{"opener at end", "一二三（四五）", 4, []string{"一二三", "（四五）"}},
		{"number kept whole", "编号GS370881-2025-000123号", 11, []string{"编号", "GS370881-2025-000123号"}},
		{"word wider than line", "ABCDEFGHIJ", 2, []string{"ABCD", "EFGH", "IJ"}},
		{"newline", "一二\n三四", 10, []string{"一二", "三四"}},
		{"crlf and cr", "一二\r\n三四\r五", 10, []string{"一二", "三四", "五"}},
		{"empty", "", 5, []string{""}},
		{"letter number", "济人社工认〔2025〕000123号", 7, nil},
		{"long", strings.Repeat("经查，张三在车间操作设备时受伤（右手）。“离断伤”；", 20), 13, nil},
		{"narrow", strings.Repeat("一，。", 5), 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := wrap(tc.s, tc.width, fixedWidth)
			if got := strings.Join(lines, ""); got != strings.NewReplacer("\n", "", "\r", "").Replace(tc.s) {
				t.Errorf("lines join to %q, want %q", got, tc.s)
			}
			for i, l := range lines {
				if fixedWidth(l) > tc.width && utf8.RuneCountInString(l) > 1 {
					t.Errorf("line %d %q is %.1f wide, more than %.1f", i, l, fixedWidth(l), tc.width)
				}
				if i > 0 && isClosing(l) && tc.width > 1 {
					t.Errorf("line %d %q starts with closing punctuation", i, l)
				}
				if i < len(lines)-1 && l != "" && isOpening(l) {
					t.Errorf("line %d %q ends with opening punctuation", i, l)
				}
			}
			if tc.want != nil && strings.Join(lines, "|") != strings.Join(tc.want, "|") {
				t.Errorf("lines %q, want %q", lines, tc.want)
			}
		})
	}
}
