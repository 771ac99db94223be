package bankfile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"strconv"
)

// lineWriter writes a file's lines through a small buffer and hashes every
// byte it writes, so the trailer's checksum needs neither a second pass nor
// a copy of the file. Building a line allocates nothing.
type lineWriter struct {
	out *bufio.Writer
	sum hash.Hash
	buf []byte
	err error // the first write error; every later call returns it
}

func newLineWriter(w io.Writer) *lineWriter {
	return &lineWriter{out: bufio.NewWriterSize(w, 32<<10), sum: sha256.New(), buf: make([]byte, 0, 1024)}
}

// start begins a line of a kind ('H', 'D', 'R', 'T').
func (lw *lineWriter) start(kind byte) { lw.buf = append(lw.buf[:0], kind) }

func (lw *lineWriter) text(s string) {
	lw.buf = append(lw.buf, '|')
	lw.buf = append(lw.buf, s...)
}

func (lw *lineWriter) count(n int) {
	lw.buf = append(lw.buf, '|')
	lw.buf = strconv.AppendInt(lw.buf, int64(n), 10)
}

func (lw *lineWriter) yuan(fen int64) {
	lw.buf = append(lw.buf, '|')
	lw.buf = appendYuan(lw.buf, fen)
}

// seq writes a sequence number as six digits, zero padded.
func (lw *lineWriter) seq(n int) {
	lw.buf = append(lw.buf, '|')
	for d := 100000; d > 0; d /= 10 {
		lw.buf = append(lw.buf, byte('0'+n/d%10))
	}
}

// end finishes the line and writes it; the line goes into the checksum.
func (lw *lineWriter) end() error {
	lw.buf = append(lw.buf, '\n')
	lw.sum.Write(lw.buf)
	return lw.write()
}

func (lw *lineWriter) write() error {
	if lw.err != nil {
		return lw.err
	}
	if _, err := lw.out.Write(lw.buf); err != nil {
		lw.err = err
	}
	return lw.err
}

// trailer writes T|count|total|checksum and flushes.
func (lw *lineWriter) trailer(count int, total int64) error {
	lw.start('T')
	lw.count(count)
	lw.yuan(total)
	lw.buf = append(lw.buf, '|')
	lw.buf = hex.AppendEncode(lw.buf, lw.sum.Sum(nil))
	lw.buf = append(lw.buf, '\n')
	if err := lw.write(); err != nil {
		return err
	}
	return lw.flush()
}

func (lw *lineWriter) flush() error {
	if lw.err == nil {
		lw.err = lw.out.Flush()
	}
	return lw.err
}

// lineReader reads a file line by line, keeping each line's "\n" so a
// missing final newline shows and the checksum covers the exact bytes.
// Lines longer than maxLine stop it with bufio.ErrTooLong.
type lineReader struct {
	sc  *bufio.Scanner
	sum hash.Hash // every line before the current one
	n   int       // the current line's number, 1-based
	raw []byte    // the current line with its "\n", if it has one
}

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLine+1), maxLine+1) // a larger buffer would raise the limit
	sc.Split(splitLines)
	return &lineReader{sc: sc, sum: sha256.New()}
}

func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// next moves to the next line; the current one joins the checksum first.
func (lr *lineReader) next() bool {
	if lr.raw != nil {
		lr.sum.Write(lr.raw)
		lr.raw = nil
	}
	if !lr.sc.Scan() {
		return false
	}
	lr.n++
	lr.raw = lr.sc.Bytes()
	return true
}

func (lr *lineReader) err() error { return lr.sc.Err() }

// checksum is the SHA-256, in lower-case hex, of every byte before the
// current line.
func (lr *lineReader) checksum() string { return hex.EncodeToString(lr.sum.Sum(nil)) }

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
