// Package pdf prints letters (决定书, 通知书, 结论书) as A4 PDFs in Chinese.
// It knows nothing of cases: the caller fills a Letter and Render lays it
// out. The same Letter always gives the same bytes, so a letter stored with
// a case downloads identically every time.
//
// The font, WenQuanYi Micro Hei, is embedded (font/README.md), so Render
// needs neither a system font nor a browser. Text is wrapped here, not by
// fpdf (whose MultiCell drops a CJK character at each automatic break),
// following the Chinese rule that closing punctuation never starts a line.
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"gongshang/internal/errs"
)

//go:embed font/wqy-microhei.ttf
var fontTTF []byte

// fontFamily is the name the font is registered under in each document.
const fontFamily = "wqy"

// Field is one row of a letter's table of facts: 姓名 | 张三.
type Field struct{ Label, Value string }

// Letter is the content of one letter, top to bottom. Only Title and Date
// are required; empty parts are left out.
type Letter struct {
	Authority  string    // issuing body, centred at the top: 济宁市人力资源和社会保障局
	Title      string    // centred under it: 认定工伤决定书
	Number     string    // letter number, centred under the title: 济人社工认〔2025〕000123号
	To         string    // addressee line, flush left: 张三、济宁某某有限公司：
	Paragraphs []string  // body text, one string per paragraph, first line indented two characters
	Fields     []Field   // table of facts, printed after the paragraphs
	Items      []string  // numbered list (1. 2. 3.), printed after the table
	Notice     string    // rights notice (复议/诉讼 bodies and time limits), after the list
	Signer     string    // at the bottom right: 济宁市人力资源和社会保障局（工伤认定专用章）
	Date       time.Time // civil date under the signer, printed as 二〇二五年六月九日
	Footer     string    // small print at the foot of every page, left of "第 n 页 共 m 页"
}

// Render lays out l as an A4 portrait PDF of as many pages as it needs.
// Identical letters give identical bytes: the document's dates are l.Date
// and nothing random is written. A letter without a title or a date, or
// with text that is not UTF-8 or has a character the font lacks, is
// refused with an Invalid *errs.Error naming the field.
func Render(l Letter) ([]byte, error) {
	ranges, err := fontCoverage()
	if err != nil {
		return nil, err
	}
	if err := l.validate(ranges); err != nil {
		return nil, err
	}
	f := newDocument(l)
	d := &layout{f: f, footer: l.Footer}
	d.letter(l)
	d.footers()
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: render %q: %w", l.Title, err)
	}
	return buf.Bytes(), nil
}

// newDocument starts an fpdf document with the embedded font and fixed
// metadata.
func newDocument(l Letter) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetAutoPageBreak(false, 0) // layout breaks pages itself
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.AddUTF8FontFromBytes(fontFamily, "", fontTTF)
	day := time.Date(l.Date.Year(), l.Date.Month(), l.Date.Day(), 0, 0, 0, 0, time.UTC)
	f.SetCreationDate(day)
	f.SetModificationDate(day)
	f.SetCatalogSort(true)
	f.SetTitle(l.Title, true)
	f.SetAuthor(l.Authority, true)
	f.SetCreator("gongshang", false)
	f.SetProducer("gongshang", false)
	f.SetLang("zh-CN")
	return f
}

// validate checks what Render cannot do without: a title, a date, and text
// the font can print (line breaks aside).
func (l Letter) validate(ranges []charRange) error {
	var fs errs.Fields
	if l.Title == "" {
		fs.Add("title", "required", "文书标题不能为空")
	}
	if l.Date.IsZero() {
		fs.Add("date", "required", "文书落款日期不能为空")
	}
	for name, s := range l.texts() {
		if !utf8.ValidString(s) {
			fs.Add(name, "encoding", "文书内容（%s）含有无法识别的字符", name)
		} else if r, ok := unprintable(ranges, s); ok {
			fs.Add(name, "glyph", "文书内容（%s）含有字库中没有的字符“%c”（U+%04X），无法打印", name, r, r)
		}
	}
	return fs.Err()
}

// unprintable returns the first character of s the font cannot print.
func unprintable(ranges []charRange, s string) (rune, bool) {
	for _, r := range s {
		if r != '\n' && r != '\r' && !covered(ranges, r) {
			return r, true
		}
	}
	return 0, false
}

// texts lists every string of l by field name, in a fixed order.
func (l Letter) texts() func(yield func(string, string) bool) {
	return func(yield func(string, string) bool) {
		fixed := [][2]string{{"authority", l.Authority}, {"title", l.Title}, {"number", l.Number},
			{"to", l.To}, {"notice", l.Notice}, {"signer", l.Signer}, {"footer", l.Footer}}
		for _, p := range fixed {
			if !yield(p[0], p[1]) {
				return
			}
		}
		for i, p := range l.Paragraphs {
			if !yield(fmt.Sprintf("paragraphs[%d]", i), p) {
				return
			}
		}
		for i, fl := range l.Fields {
			if !yield(fmt.Sprintf("fields[%d].label", i), fl.Label) || !yield(fmt.Sprintf("fields[%d].value", i), fl.Value) {
				return
			}
		}
		for i, it := range l.Items {
			if !yield(fmt.Sprintf("items[%d]", i), it) {
				return
			}
		}
	}
}
