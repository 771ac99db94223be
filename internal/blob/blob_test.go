package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/errs"
)

// samplePDF is a small but complete PDF: header, one object, trailer, %%EOF.
func samplePDF(body string) []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + body +
		"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")
}

func sampleImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 2, color.RGBA{200, 10, 10, 255})
	return img
}

func samplePNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, sampleImage()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, sampleImage(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newDir(t *testing.T, max int64) (*Dir, string) {
	t.Helper()
	root := t.TempDir()
	d, err := NewDir(root, max)
	if err != nil {
		t.Fatal(err)
	}
	return d, root
}

// storedFiles lists the files under root outside tmp/.
func storedFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && !strings.HasPrefix(p, filepath.Join(root, "tmp")) {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tmpFiles(t *testing.T, root string) int {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(root, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fieldCode returns the kind and first field code of err.
func fieldCode(err error) (errs.Kind, string) {
	f, _ := errs.First(err)
	return errs.KindOf(err), f.Code
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, head, want, code string
	}{
		{"pdf", "%PDF-1.7\n", PDF, ""},
		{"png", "\x89PNG\r\n\x1a\n", PNG, ""},
		{"jpeg", "\xFF\xD8\xFF\xE0", JPEG, ""},
		{"gif", "GIF89a", "", "file_type"},
		{"zip or docx", "PK\x03\x04", "", "file_type"},
		{"text", "hello", "", "file_type"},
		{"short pdf prefix", "%PD", "", "file_type"},
		{"empty", "", "", "file_empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff([]byte(tt.head))
			if tt.code == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Sniff = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if kind, code := fieldCode(err); kind != errs.Invalid || code != tt.code {
				t.Fatalf("Sniff err = %v (%s %s); want Invalid %s", err, kind, code, tt.code)
			}
		})
	}
}

func TestSniffMessageNamesTypes(t *testing.T) {
	_, err := Sniff([]byte("GIF89a"))
	f, ok := errs.First(err)
	if !ok || f.Field != "file" || f.Message != "文件类型不支持：只接受PDF、JPEG或PNG格式" {
		t.Fatalf("got %+v", f)
	}
}

func TestPutTypes(t *testing.T) {
	pdf, pngB, jpg := samplePDF("x"), samplePNG(t), sampleJPEG(t)
	tests := []struct {
		name string
		data []byte
		want string // type, or "" for an error
		code string
	}{
		{"pdf", pdf, PDF, ""},
		{"png", pngB, PNG, ""},
		{"jpeg", jpg, JPEG, ""},
		{"pdf with trailing newlines after %%EOF", append(append([]byte{}, pdf...), "\r\n\r\n"...), PDF, ""},
		{"pdf header only", []byte("%PDF-1.4\n"), "", "file_damaged"},
		{"pdf cut off", pdf[:len(pdf)-8], "", "file_damaged"},
		{"pdf with %%EOF beyond the last KiB", append(append([]byte{}, pdf...), bytes.Repeat([]byte{' '}, tailLen)...), "", "file_damaged"},
		{"png header only", []byte("\x89PNG\r\n\x1a\n"), "", "file_damaged"},
		{"png cut off", pngB[:len(pngB)-12], "", "file_damaged"},
		{"jpeg header only", []byte("\xFF\xD8\xFF\xE0"), "", "file_damaged"},
		{"jpeg cut off", jpg[:len(jpg)-2], "", "file_damaged"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00;"), "", "file_type"},
		{"text", []byte("不是文件"), "", "file_type"},
		{"empty", nil, "", "file_empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, root := newDir(t, 1<<20)
			ref, err := d.Put(context.Background(), bytes.NewReader(tt.data))
			if tt.code != "" {
				if kind, code := fieldCode(err); kind != errs.Invalid || code != tt.code {
					t.Fatalf("Put err = %v (%s %s); want Invalid %s", err, kind, code, tt.code)
				}
				if got := storedFiles(t, root); len(got) != 0 || tmpFiles(t, root) != 0 {
					t.Fatalf("refused upload left files: %v", got)
				}
				return
			}
			want := Ref{SHA256: hexSum(tt.data), Size: int64(len(tt.data)), Type: tt.want}
			if err != nil || ref != want {
				t.Fatalf("Put = %+v, %v; want %+v", ref, err, want)
			}
			s := ref.SHA256
			if got := storedFiles(t, root); len(got) != 1 || got[0] != filepath.Join(s[:2], s[2:4], s) {
				t.Fatalf("stored files = %v", got)
			}
		})
	}
}

func TestPutSizeLimit(t *testing.T) {
	pdf := samplePDF(strings.Repeat("a", 2000))
	size := int64(len(pdf))
	tests := []struct {
		name string
		max  int64
		ok   bool
	}{
		{"limit one above", size + 1, true},
		{"exactly at the limit", size, true},
		{"one byte over", size - 1, false},
		{"far over", 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, root := newDir(t, tt.max)
			ref, err := d.Put(context.Background(), bytes.NewReader(pdf))
			if tt.ok {
				if err != nil || ref.Size != size {
					t.Fatalf("Put = %+v, %v", ref, err)
				}
				return
			}
			if !errs.Is(err, errs.TooLarge) {
				t.Fatalf("Put err = %v; want TooLarge", err)
			}
			if f, _ := errs.First(err); f.Field != "file" || !strings.Contains(err.Error(), limitText(tt.max)) {
				t.Fatalf("message %q (field %q) does not name the limit %s", err, f.Field, limitText(tt.max))
			}
			if len(storedFiles(t, root)) != 0 || tmpFiles(t, root) != 0 {
				t.Fatal("refused upload left files")
			}
		})
	}
}

func TestTooLargeMessage(t *testing.T) {
	tests := []struct {
		limit int64
		want  string
	}{
		{10 << 20, "文件过大：不得超过10 MB"},
		{3 << 19, "文件过大：不得超过1.5 MB"},
		{10_000_000, "文件过大：不得超过9.54 MB"},
		{512 << 10, "文件过大：不得超过512 KB"},
		{100, "文件过大：不得超过100 字节"},
	}
	for _, tt := range tests {
		if got := errTooLarge(tt.limit).Error(); got != tt.want {
			t.Errorf("errTooLarge(%d) = %q; want %q", tt.limit, got, tt.want)
		}
	}
}

func TestPutIdempotentAndOpen(t *testing.T) {
	d, root := newDir(t, 1<<20)
	ctx := context.Background()
	data := samplePNG(t)
	first, err := d.Put(ctx, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	second, err := d.Put(ctx, bytes.NewReader(data))
	if err != nil || second != first {
		t.Fatalf("second Put = %+v, %v; want %+v", second, err, first)
	}
	if got := storedFiles(t, root); len(got) != 1 || tmpFiles(t, root) != 0 {
		t.Fatalf("stored %v, %d temp files; want one file", got, tmpFiles(t, root))
	}
	if ok, err := d.Exists(ctx, first.SHA256); !ok || err != nil {
		t.Fatalf("Exists = %v, %v", ok, err)
	}
	rc, err := d.Open(ctx, first.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Open read %d bytes, %v; want the %d put", len(got), err, len(data))
	}
}

func TestOpenMissing(t *testing.T) {
	d, _ := newDir(t, 1<<20)
	sum := hexSum([]byte("never stored"))
	if _, err := d.Open(context.Background(), sum); !errs.Is(err, errs.NotFound) {
		t.Fatalf("Open err = %v; want NotFound", err)
	}
	if ok, err := d.Exists(context.Background(), sum); ok || err != nil {
		t.Fatalf("Exists = %v, %v; want false, nil", ok, err)
	}
}

func TestBadSum(t *testing.T) {
	d, root := newDir(t, 1<<20)
	// A file an escaping name could reach, to prove it is not read.
	if err := os.WriteFile(filepath.Join(root, "x"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := hexSum([]byte("a"))
	for _, sum := range []string{
		"", "../x", "../../etc/passwd", "ab/../../x", strings.Repeat("a", 63),
		strings.Repeat("a", 65), strings.ToUpper(good), good[:62] + "/x", good[:60] + "../x",
		good[:63] + "g", good[:63] + "\x00", "tmp",
	} {
		t.Run(sum, func(t *testing.T) {
			if _, err := d.Open(context.Background(), sum); !isSumErr(err) {
				t.Errorf("Open(%q) err = %v; want sha256 field error", sum, err)
			}
			if _, err := d.Exists(context.Background(), sum); !isSumErr(err) {
				t.Errorf("Exists(%q) err = %v; want sha256 field error", sum, err)
			}
		})
	}
}

func isSumErr(err error) bool {
	f, ok := errs.First(err)
	return ok && errs.Is(err, errs.Invalid) && f.Field == "sha256" && f.Code == "sha256_format"
}

func TestConcurrentPut(t *testing.T) {
	d, root := newDir(t, 1<<20)
	same := samplePDF(strings.Repeat("same ", 5000))
	other := sampleJPEG(t)
	const n = 16
	refs := make([]Ref, n)
	errsOut := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := same
			if i%4 == 3 {
				data = other
			}
			refs[i], errsOut[i] = d.Put(context.Background(), bytes.NewReader(data))
		}()
	}
	wg.Wait()
	for i := range n {
		want := hexSum(same)
		if i%4 == 3 {
			want = hexSum(other)
		}
		if errsOut[i] != nil || refs[i].SHA256 != want {
			t.Fatalf("Put %d = %+v, %v", i, refs[i], errsOut[i])
		}
	}
	if got := storedFiles(t, root); len(got) != 2 || tmpFiles(t, root) != 0 {
		t.Fatalf("stored %v with %d temp files; want two files", got, tmpFiles(t, root))
	}
	rc, err := d.Open(context.Background(), hexSum(same))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); !bytes.Equal(got, same) {
		t.Fatal("content changed under concurrent Puts")
	}
}

// failAfter yields some bytes of data, then fails, like a dropped upload.
type failAfter struct {
	data []byte
	n    int
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := copy(p, f.data[:min(f.n, len(f.data))])
	f.data, f.n = f.data[k:], f.n-k
	return k, nil
}

func TestPutInterrupted(t *testing.T) {
	data := samplePDF(strings.Repeat("b", 100_000))
	d, root := newDir(t, 1<<20)
	if _, err := d.Put(context.Background(), &failAfter{data: data, n: 50_000}); err == nil || errs.KindOf(err) != "" {
		t.Fatalf("Put err = %v; want an internal error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Put(ctx, bytes.NewReader(data)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with cancelled context err = %v", err)
	}
	if got := storedFiles(t, root); len(got) != 0 || tmpFiles(t, root) != 0 {
		t.Fatalf("interrupted uploads left %v", got)
	}
	// A crash leaves at most a temp file, which never counts as stored.
	if err := os.WriteFile(filepath.Join(root, "tmp", "put-123"), data[:100], 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := d.Exists(context.Background(), hexSum(data)); ok || err != nil {
		t.Fatalf("Exists after crash = %v, %v", ok, err)
	}
	if _, err := d.Put(context.Background(), bytes.NewReader(data)); err != nil {
		t.Fatalf("Put after crash: %v", err)
	}
}

func TestNewDir(t *testing.T) {
	if _, err := NewDir(t.TempDir(), 0); err == nil {
		t.Fatal("NewDir with max size 0 succeeded")
	}
	root := filepath.Join(t.TempDir(), "data", "blobs")
	d, err := NewDir(root, 1<<20)
	if err != nil || d.MaxSize() != 1<<20 {
		t.Fatalf("NewDir = %v, %v", d, err)
	}
	if _, err := os.Stat(filepath.Join(root, "tmp")); err != nil {
		t.Fatal(err)
	}
}
