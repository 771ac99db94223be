package blob

import (
	"bytes"
	"math"
	"strconv"

	"gongshang/internal/errs"
)

// tailLen is how many trailing bytes the end check looks at. PDF readers
// look for %%EOF in the last 1024 bytes, and the same window tolerates the
// few padding bytes some scanners and cameras write after a PNG's IEND chunk
// or a JPEG's end-of-image marker.
const tailLen = 1024

// endMarks holds the mark each type's last bytes must contain: PDF's %%EOF
// comment, PNG's IEND chunk type with its fixed CRC, JPEG's EOI marker.
var endMarks = map[string]struct {
	mark []byte
	name string
}{
	PDF:  {[]byte("%%EOF"), "PDF文件缺少结尾标记%%EOF"},
	PNG:  {[]byte("IEND\xAE\x42\x60\x82"), "PNG文件缺少结束块IEND"},
	JPEG: {[]byte{0xFF, 0xD9}, "JPEG文件缺少结束标记"},
}

// checkEnd is the minimal structural check: a file of typ must end (within
// its last tailLen bytes) with the type's end mark, so a bare header or a
// cut-off upload is refused. It does not parse the file.
func checkEnd(typ string, tail []byte) error {
	m, ok := endMarks[typ]
	if !ok || bytes.Contains(tail, m.mark) {
		return nil
	}
	return errs.Field("file", "file_damaged", "文件不完整或已损坏：%s，请重新扫描或导出后上传", m.name)
}

// errTooLarge names the limit in MB (in KB below 1 MB, for small limits).
func errTooLarge(limit int64) error {
	msg := "文件过大：不得超过" + limitText(limit)
	return &errs.Error{Kind: errs.TooLarge, Message: msg,
		Fields: []errs.FieldError{{Field: "file", Code: "file_too_large", Message: msg}}}
}

// limitText writes a byte count as "10 MB", "1.5 MB" or "200 KB".
func limitText(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	if n >= mb {
		return decimal(float64(n)/mb) + " MB"
	}
	if n >= kb {
		return decimal(float64(n)/kb) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// decimal writes x with at most two decimals, trailing zeros dropped.
func decimal(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}
