package bankfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Problem is one reason a file is refused: the line (1-based; 0 for the
// whole file), the field ("" for the whole line or file) and a Chinese
// message naming the field.
type Problem struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// String is the problem as one line: 第5行：金额「12.5」应为元，恰好两位小数.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Message
	}
	return fmt.Sprintf("第%d行：%s", p.Line, p.Message)
}

// fileReader is what reading a payment file and a return file share: the
// lines, their text checks, and the problems found.
type fileReader struct {
	lr       *lineReader
	src      *source
	what     string // 回盘文件 or 代发文件, for messages
	problems []Problem
	more     int      // problems beyond maxShown
	fatal    bool     // reading stopped: too large, a line too long, a read error
	tooLarge bool     // over the size limit: the only problem reported
	readErr  bool     // the reader failed: the only problem reported
	fields   []string // the current line, split
	lines    totals   // the detail lines (D or R) so far
}

// newFileReader reads r; limit > 0 stops it after limit bytes.
func newFileReader(r io.Reader, what string, limit int64) *fileReader {
	src := &source{r: r, limit: limit}
	return &fileReader{what: what, src: src, lr: newLineReader(src)}
}

// source is the file's reader, counting bytes against the limit and
// keeping a read error (bufio.Scanner would hand over a line cut short by
// the error as if it were the last line).
type source struct {
	r     io.Reader
	n     int64
	limit int64 // 0: none
	over  bool  // more than limit bytes
	err   error // a read error other than io.EOF
}

func (s *source) Read(p []byte) (int, error) {
	if s.limit > 0 {
		if s.n > s.limit {
			s.over = true
			return 0, io.EOF
		}
		if left := s.limit + 1 - s.n; int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil && err != io.EOF {
		s.err = err
	}
	if s.limit > 0 && s.n > s.limit {
		s.over = true
	}
	return n, err
}

func (f *fileReader) add(line int, field, format string, args ...any) {
	if len(f.problems) >= maxShown {
		f.more++
		return
	}
	f.problems = append(f.problems, Problem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (f *fileReader) line() int { return f.lr.n }

// advance moves to the next line. A file over the limit, a line over
// maxLine bytes or a read error stops the reading for good.
func (f *fileReader) advance() bool {
	if f.fatal {
		return false
	}
	ok := f.lr.next()
	switch {
	case f.src.over:
		f.fatal, f.tooLarge = true, true
	case f.src.err != nil:
		f.fatal, f.readErr = true, true
	case ok:
		return true
	case errors.Is(f.lr.err(), bufio.ErrTooLong):
		f.add(f.lr.n+1, "line", "行长度超过%d字节，已停止读取", maxLine)
		f.fatal = true
	case f.lr.err() != nil: // not expected: the scanner's own errors
		f.fatal, f.readErr = true, true
	}
	return false
}

// next moves to the next line, checks it as text and splits it.
func (f *fileReader) next() bool {
	if !f.advance() {
		return false
	}
	line, n := f.lr.raw, f.lr.n
	if l := len(line); line[l-1] == '\n' {
		line = line[:l-1]
	} else {
		f.add(n, "line", "行末缺少换行符（\\n）")
	}
	if l := len(line); l > 0 && line[l-1] == '\r' {
		f.add(n, "line", "行末有回车符（\\r）：每行只应以\\n结束")
		line = line[:l-1]
	}
	if !utf8.Valid(line) {
		f.add(n, "line", "不是有效的UTF-8文本")
	} else if hasControl(line) {
		f.add(n, "line", "含有控制字符")
	}
	f.fields = strings.Split(string(line), "|")
	return true
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// unknownLine reports a line whose type the file does not have.
func (f *fileReader) unknownLine(kinds string) {
	if len(f.fields) == 1 && f.fields[0] == "" {
		f.add(f.line(), "line", "空行：%s只有%s三种行", f.what, kinds)
		return
	}
	f.add(f.line(), "line", "未知的行类型%s：%s只有%s三种行", quote(f.fields[0]), f.what, kinds)
}

// afterTrailer reports anything after the trailer, without reading on.
func (f *fileReader) afterTrailer() {
	if f.advance() {
		f.add(f.line(), "line", "尾行（T行）之后不能再有内容")
	}
}

// fieldCount reports a line with the wrong number of fields.
func (f *fileReader) fieldCount(name string, want int) bool {
	if len(f.fields) == want {
		return true
	}
	f.add(f.line(), "line", "%s应有%d个字段，实有%d个", name, want, len(f.fields))
	return false
}

// report is the problems as ParseReturn returns them.
func (f *fileReader) report() []Problem {
	switch {
	case f.tooLarge:
		return []Problem{{Message: fmt.Sprintf("%s超过%d MiB，已停止读取", f.what, f.src.limit>>20)}}
	case f.readErr:
		return []Problem{{Message: fmt.Sprintf("读取%s失败，文件未读完", f.what)}}
	}
	if f.more > 0 {
		return append(f.problems, Problem{Message: fmt.Sprintf("另有%d个问题未列出", f.more)})
	}
	return f.problems
}

// totals compares a count and a total read from the header or trailer
// with the lines; a total is compared only if every line's amount was read.
type totals struct {
	count  int
	sum    int64
	broken bool // a line's amount could not be read
}

func (t *totals) add(fen int64) { t.sum = addCapped(t.sum, fen) }

func (f *fileReader) checkCount(line int, where, s string, lines int) (int, bool) {
	n, ok := parseCount(s)
	if !ok {
		f.add(line, "count", "%s笔数%s应为不带前导零的整数，最大%d", where, quote(s), maxCount)
		return 0, false
	}
	if lines >= 0 && n != lines {
		f.add(line, "count", "%s笔数为%d，实有%d条明细", where, n, lines)
	}
	return n, true
}

func (f *fileReader) checkTotal(line int, where, s string, t *totals) (int64, bool) {
	v, ok := parseYuan(s)
	if !ok {
		f.add(line, "total", "%s合计金额%s应为元，恰好两位小数，如1234.56", where, quote(s))
		return 0, false
	}
	if t != nil && !t.broken && v != t.sum {
		f.add(line, "total", "%s合计金额为%s元，明细合计为%s元", where, FormatYuan(v), FormatYuan(t.sum))
	}
	return v, true
}

// checkSum compares the trailer's checksum with the bytes before it.
func (f *fileReader) checkSum(s string) {
	switch {
	case !isHex64(s):
		f.add(f.line(), "checksum", "校验值%s应为64位小写十六进制的SHA-256", quote(s))
	case s != f.lr.checksum():
		f.add(f.line(), "checksum", "校验值不符：尾行之前的内容与尾行的SHA-256不一致，文件被改动或不完整")
	}
}

// seq checks a detail line's sequence number: the lines are numbered
// 000001, 000002, … in file order.
func (f *fileReader) seq(s string) {
	got, ok := parseSeq(s)
	switch {
	case !ok:
		f.add(f.line(), "seq", "序号%s应为6位数字，从000001起", quote(s))
	case got != f.lines.count:
		f.add(f.line(), "seq", "序号应为%06d，实为%s：序号须从000001起逐行加一", f.lines.count, quote(s))
	}
}

// amount reads a detail line's amount into fen and the running sum.
func (f *fileReader) amount(s string, fen *int64) bool {
	v, ok := parseYuan(s)
	switch {
	case !ok:
		f.add(f.line(), "amount", "金额%s应为元，恰好两位小数，如1234.56", quote(s))
		f.lines.broken = true
		return false
	case v == 0:
		f.add(f.line(), "amount", "金额应大于0")
	}
	*fen = v
	f.lines.add(v)
	return true
}
