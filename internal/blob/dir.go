package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gongshang/internal/errs"
)

// Dir is a Store in a folder: a file with hash abcd… lives at
// root/ab/cd/abcd…. Uploads are written to root/tmp first, synced, and
// renamed into place, so a crash never leaves a partial file under a final
// name (a leftover temp file is harmless and may be deleted at any time).
// Two Puts of the same content may race: both write equal bytes and the
// later rename replaces the earlier atomically.
type Dir struct {
	root    string
	maxSize int64
}

var _ Store = (*Dir)(nil)

// NewDir opens (creating if needed) a store under root that accepts files
// of at most maxSize bytes.
func NewDir(root string, maxSize int64) (*Dir, error) {
	if maxSize <= 0 {
		return nil, fmt.Errorf("blob: max size %d must be positive", maxSize)
	}
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Dir{root: root, maxSize: maxSize}, nil
}

// MaxSize is the largest file the store accepts, in bytes.
func (d *Dir) MaxSize() int64 { return d.maxSize }

// Put implements Store.
func (d *Dir) Put(ctx context.Context, r io.Reader) (ref Ref, err error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "put-*")
	if err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	ref, err = d.write(ctx, tmp, r)
	if err != nil {
		return Ref{}, err
	}
	if err := tmp.Close(); err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	moved, err := d.place(tmp.Name(), ref.SHA256)
	if err != nil {
		return Ref{}, err
	}
	if moved {
		tmp = nil // renamed: nothing to clean up
	}
	return ref, nil
}

// write copies r into tmp, at most maxSize bytes, and checks what it copied.
func (d *Dir) write(ctx context.Context, tmp *os.File, r io.Reader) (Ref, error) {
	h := sha256.New()
	s := &scan{}
	n, err := io.Copy(io.MultiWriter(tmp, h, s), io.LimitReader(ctxReader{ctx, r}, d.maxSize+1))
	if err != nil {
		return Ref{}, fmt.Errorf("blob: copying upload: %w", err)
	}
	if n > d.maxSize {
		return Ref{}, errTooLarge(d.maxSize)
	}
	typ, err := s.check()
	if err != nil {
		return Ref{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	return Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: typ}, nil
}

// place moves the synced temp file to its final name and reports whether it
// did. An existing file of that name already holds the same bytes, so it is
// kept and the temp file is left for the caller to remove.
func (d *Dir) place(tmpName, sum string) (bool, error) {
	final := d.path(sum)
	if _, err := os.Stat(final); err == nil {
		return false, nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return false, fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(tmpName, final); err != nil {
		return false, fmt.Errorf("blob: %w", err)
	}
	return true, syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blob: syncing %s: %w", dir, err)
	}
	return nil
}

// Open implements Store.
func (d *Dir) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := checkSum(sum); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return f, nil
}

// Exists implements Store.
func (d *Dir) Exists(ctx context.Context, sum string) (bool, error) {
	if err := checkSum(sum); err != nil {
		return false, err
	}
	_, err := os.Stat(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob: %w", err)
	}
	return true, nil
}

// path is the final name of a checked hash.
func (d *Dir) path(sum string) string {
	return filepath.Join(d.root, sum[:2], sum[2:4], sum)
}

// checkSum accepts exactly 64 lower-case hex digits, which also keeps any
// path element ("..", "/") out of a file name.
func checkSum(sum string) error {
	if len(sum) != 2*sha256.Size {
		return errBadSum()
	}
	for i := 0; i < len(sum); i++ {
		c := sum[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return errBadSum()
		}
	}
	return nil
}

func errBadSum() error {
	return errs.Field("sha256", "sha256_format", "文件编号无效：应为64位小写十六进制SHA-256值")
}

func errNotFound() error { return errs.E(errs.NotFound, "文件不存在") }

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// scan keeps a file's first SniffLen and last tailLen bytes as they stream by.
type scan struct {
	head []byte
	tail []byte
}

func (s *scan) Write(p []byte) (int, error) {
	if need := SniffLen - len(s.head); need > 0 {
		s.head = append(s.head, p[:min(need, len(p))]...)
	}
	if len(p) >= tailLen {
		s.tail = append(s.tail[:0], p[len(p)-tailLen:]...)
		return len(p), nil
	}
	s.tail = append(s.tail, p...)
	if over := len(s.tail) - tailLen; over > 0 {
		s.tail = append(s.tail[:0], s.tail[over:]...)
	}
	return len(p), nil
}

// check returns the type of the scanned file, or why it is refused.
func (s *scan) check() (string, error) {
	typ, err := Sniff(s.head)
	if err != nil {
		return "", err
	}
	return typ, checkEnd(typ, s.tail)
}
