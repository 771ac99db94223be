package pdf

import (
	"testing"
	"time"

	"gongshang/internal/errs"
)

// TestFontCoverage checks that the embedded font prints what letters use
// (GBK, 〇, the ideographic space of indents, ASCII) and that a character
// outside it is refused by name.
func TestFontCoverage(t *testing.T) {
	ranges, err := fontCoverage()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"〇\u3000（）〔〕《》“”、，。；：？！…—·", "济宁曲阜兖州邹城嘉祥汶上泗水梁山", "AZaz09 -./()%#@", "镕堃喆昇玥"} {
		if r, bad := unprintable(ranges, s); bad {
			t.Errorf("font lacks %q (U+%04X)", r, r)
		}
	}
	for _, r := range []rune{'\t', 0x20BB7, 0xE000} { // tab, 𠮷 (CJK Extension B), private use
		if covered(ranges, r) {
			t.Errorf("U+%04X reported as printable", r)
		}
	}
	l := Letter{Title: "受理决定书", To: "吉\U00020BB7先生：", Date: time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC)}
	_, err = Render(l)
	if fe, ok := errs.First(err); !ok || fe.Field != "to" || fe.Code != "glyph" {
		t.Errorf("error %v, want a glyph error on to", err)
	}
}
