package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"

	"gongshang/internal/errs"
)

// code returns the field code of a sheet error on "file".
func code(t *testing.T, err error) (string, string) {
	t.Helper()
	e, ok := err.(*errs.Error)
	if !ok || len(e.Fields) != 1 || e.Fields[0].Field != "file" {
		t.Fatalf("want one field error on file, got %T %v", err, err)
	}
	return e.Fields[0].Code, e.Fields[0].Message
}

// template is a real one-sheet workbook.
func template(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, "导入", [][]string{{"身份证号码", "姓名"}, {"370811198803150012", "孙明"}}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// repeat streams n bytes of one sheet row repeated, a worksheet that
// deflates about a thousandfold.
type repeat struct{ n, done int64 }

const bombRow = `<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>`

func (r *repeat) Read(p []byte) (int, error) {
	if r.done >= r.n {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.done < r.n {
		c := copy(p[n:], bombRow[r.done%int64(len(bombRow)):])
		n += c
		r.done += int64(c)
	}
	return n, nil
}

// bomb rewrites the template with a worksheet of size uncompressed bytes.
// With lie, the part declares a small size, as a crafted file would.
func bomb(t *testing.T, size int64, lie bool) []byte {
	t.Helper()
	src, err := zip.NewReader(bytes.NewReader(template(t)), int64(len(template(t))))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range src.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		body := io.MultiReader(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`),
			&repeat{n: size}, strings.NewReader(`</sheetData></worksheet>`))
		var comp bytes.Buffer
		crc := crc32.NewIEEE()
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		n, err := io.Copy(io.MultiWriter(fw, crc), body)
		if err != nil {
			t.Fatal(err)
		}
		fw.Close()
		declared := uint64(n)
		if lie {
			declared = 4096
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestZipBombRefused: a small .xlsx whose sheet expands to 400 MB is
// refused before it is parsed, with little memory, whether it declares its
// size honestly or lies about it.
func TestZipBombRefused(t *testing.T) {
	for _, lie := range []bool{false, true} {
		t.Run(fmt.Sprintf("lie=%v", lie), func(t *testing.T) {
			data := bomb(t, 400<<20, lie)
			if len(data) > 4<<20 {
				t.Fatalf("the bomb is %d bytes on disk; it should be small", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Read(context.Background(), "bomb.xlsx", data)
			runtime.ReadMemStats(&after)
			c, msg := code(t, err)
			want := "xlsx_too_large"
			if lie {
				want = "xlsx_open" // archive/zip stops at the declared size
			}
			if c != want || !strings.Contains(msg, "bomb.xlsx") || strings.Contains(msg, "zip:") {
				t.Fatalf("code %s, message %q; want %s naming the file, without Go error text", c, msg, want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Fatalf("reading the bomb allocated %d MB", alloc>>20)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	ctx := context.Background()
	lim := Limits{Uncompressed: 1 << 20, SharedStrings: 1 << 20, Strings: 100, Parts: 50, Rows: 3, Cells: 4}
	var csv strings.Builder
	for i := range 4 {
		fmt.Fprintf(&csv, "a%d,b,c\n", i)
	}
	if _, err := ReadLimited(ctx, "rows.csv", []byte(csv.String()), lim); !hasCode(t, err, "too_many_rows") {
		t.Fatalf("4 rows with a limit of 3: %v", err)
	}
	if _, err := ReadLimited(ctx, "cells.csv", []byte("a,b,c,d,e\n"), lim); !hasCode(t, err, "too_many_cells") {
		t.Fatalf("5 cells with a limit of 4: %v", err)
	}
	if rows, err := ReadLimited(ctx, "ok.xlsx", template(t), lim); err != nil || len(rows) != 2 || rows[1][1] != "孙明" {
		t.Fatalf("the template within limits: %v %v", rows, err)
	}
	lim.Parts = 3
	if _, err := ReadLimited(ctx, "parts.xlsx", template(t), lim); !hasCode(t, err, "xlsx_parts") {
		t.Fatalf("parts limit: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Read(cancelled, "gone.csv", []byte("a,b\n")); !hasCode(t, err, "import_cancelled") {
		t.Fatalf("cancelled request: %v", err)
	}
}

func hasCode(t *testing.T, err error, want string) bool {
	t.Helper()
	if err == nil {
		return false
	}
	c, _ := code(t, err)
	return c == want
}

// TestMessagesWithoutGoErrors: broken files are explained in Chinese,
// naming the file and row, never with the Go error text.
func TestMessagesWithoutGoErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, data, want string
	}{
		{"broken.xlsx", "PK\x03\x04 not really a zip", "不是有效的Excel"},
		{"old.xlsx", "\xd0\xcf\x11\xe0 an .xls renamed", "另存为.xlsx"},
		{"bad1.csv", "姓名,电话\n张\"三,1\n", "第2行未用引号括起的字段中出现了英文双引号"},
		{"bad2.csv", "姓名,电话\n\"张三,1\n", "引号没有配对"},
	}
	for _, tt := range tests {
		_, err := Read(ctx, tt.name, []byte(tt.data))
		_, msg := code(t, err)
		if !strings.Contains(msg, tt.want) || !strings.Contains(msg, tt.name) {
			t.Errorf("%s: %q, want it to contain %q and the file name", tt.name, msg, tt.want)
		}
		for _, goText := range []string{"zip:", "bare", "quote", "extraneous", "parse error"} {
			if strings.Contains(msg, goText) {
				t.Errorf("%s: message %q embeds Go error text %q", tt.name, msg, goText)
			}
		}
	}
}

// An old .xls — by name, or renamed to .xlsx — is answered with what to do.
func TestOldExcelAnswered(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	for _, name := range []string{"职工.xls", "职工.XLS", "职工.xlsx"} {
		_, err := Read(context.Background(), name, ole)
		c, msg := code(t, err)
		if c != "file_xls" || !strings.Contains(msg, "请另存为 .xlsx 后再导入") {
			t.Errorf("%s: %s %s", name, c, msg)
		}
	}
}
