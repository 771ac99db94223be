// Package blob stores uploaded case materials by content. A file is named by
// the SHA-256 of its bytes, so the same document uploaded twice is stored
// once, and a stored file can never change under its name. Store is the seam
// an object store can fill; Dir is the default, a folder under the data
// directory.
//
// Only PDF, JPEG and PNG files are accepted. The type is read from the
// file's first bytes (never from a name or a client's Content-Type), and a
// minimal structural check refuses a file that is only a header: see Sniff
// and checkEnd.
package blob

import (
	"context"
	"io"
	"strings"

	"gongshang/internal/errs"
)

// The accepted media types.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// Ref names one stored file.
type Ref struct {
	SHA256 string // lower-case hex SHA-256 of the bytes, 64 characters
	Size   int64  // bytes
	Type   string // PDF, JPEG or PNG
}

// Store keeps uploaded files by content.
type Store interface {
	// Put streams r into the store, hashing it and checking its type and
	// size on the way. Equal content gives the equal Ref and is stored once.
	// Errors: errs.Invalid (field "file": empty, wrong type, damaged),
	// errs.TooLarge (over the store's limit).
	Put(ctx context.Context, r io.Reader) (Ref, error)
	// Open returns the stored bytes. Errors: errs.Invalid (field "sha256":
	// not a SHA-256 in hex), errs.NotFound.
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)
	// Exists reports whether a file is stored. Errors: errs.Invalid as Open.
	Exists(ctx context.Context, sha256 string) (bool, error)
}

// allowedText names the accepted types in user messages.
const allowedText = "PDF、JPEG或PNG"

// magic lists each type's leading bytes.
var magic = []struct {
	prefix string
	typ    string
}{
	{"%PDF-", PDF},
	{"\x89PNG\r\n\x1a\n", PNG},
	{"\xFF\xD8\xFF", JPEG},
}

// SniffLen is how many leading bytes Sniff needs at most.
const SniffLen = 8

// Sniff returns the media type of a file from its leading bytes (at least
// SniffLen of them when the file is that long). Anything but PDF, JPEG or PNG
// is an errs field error on "file" naming the accepted types.
func Sniff(head []byte) (string, error) {
	if len(head) == 0 {
		return "", errEmpty()
	}
	for _, m := range magic {
		if strings.HasPrefix(string(head), m.prefix) {
			return m.typ, nil
		}
	}
	return "", errs.Field("file", "file_type", "文件类型不支持：只接受%s格式", allowedText)
}

// errEmpty is the error for a file with no bytes.
func errEmpty() error {
	return errs.Field("file", "file_empty", "文件为空：请选择%s格式的文件", allowedText)
}
