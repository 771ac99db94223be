package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
)

// collection builds a TTC whose faces each have the given tables (tag →
// content), laid out one after another.
func collection(faces ...map[string]string) []byte {
	tags := []string{"head", "name", "zzzz"}
	header := 12 + 4*len(faces)
	var dirs, data []byte
	dirLen := 0
	for _, f := range faces {
		dirLen += 12 + 16*len(f)
	}
	offsets := make([]uint32, len(faces))
	for i, f := range faces {
		offsets[i] = uint32(header + len(dirs))
		dir := make([]byte, 12, 12+16*len(f))
		binary.BigEndian.PutUint32(dir, 0x00010000)
		binary.BigEndian.PutUint16(dir[4:], uint16(len(f)))
		for _, tag := range tags {
			content, ok := f[tag]
			if !ok {
				continue
			}
			rec := make([]byte, 16)
			copy(rec, tag)
			binary.BigEndian.PutUint32(rec[8:], uint32(header+dirLen+len(data)))
			binary.BigEndian.PutUint32(rec[12:], uint32(len(content)))
			dir = append(dir, rec...)
			data = append(data, content...)
		}
		dirs = append(dirs, dir...)
	}
	out := []byte("ttcf\x00\x01\x00\x00")
	out = binary.BigEndian.AppendUint32(out, uint32(len(faces)))
	for _, o := range offsets {
		out = binary.BigEndian.AppendUint32(out, o)
	}
	return append(append(out, dirs...), data...)
}

// TestExtract takes the second face out of a two-face collection and checks
// the standalone font's directory, tables, alignment and checksum.
func TestExtract(t *testing.T) {
	head := string(make([]byte, 54))
	ttc := collection(map[string]string{"head": head, "name": "first"},
		map[string]string{"head": head, "name": "second!", "zzzz": "xyz"})
	ttf, err := Extract(ttc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := binary.BigEndian.Uint16(ttf[4:]); n != 3 {
		t.Fatalf("%d tables, want 3", n)
	}
	want := map[string]string{"head": head, "name": "second!", "zzzz": "xyz"}
	for i := 0; i < 3; i++ {
		rec := ttf[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if off%4 != 0 {
			t.Errorf("%s at %d, not 4-byte aligned", tag, off)
		}
		got := ttf[off : off+length]
		if tag == "head" {
			got = append([]byte{}, got...)
			copy(got[8:12], make([]byte, 4)) // checkSumAdjustment is rewritten
		}
		if string(got) != want[tag] {
			t.Errorf("%s holds %q, want %q", tag, got, want[tag])
		}
	}
	if sum := checksum(ttf); sum != checksumMagic {
		t.Errorf("file checksum %#x, want %#x", sum, checksumMagic)
	}
}

// TestExtractRefuses covers inputs that are not collections or lack the face.
func TestExtractRefuses(t *testing.T) {
	ttc := collection(map[string]string{"head": string(make([]byte, 54))})
	for name, tc := range map[string]struct {
		in   []byte
		face int
	}{
		"not a collection": {[]byte("\x00\x01\x00\x00 a plain font"), 0},
		"no such face":     {ttc, 1},
		"negative face":    {ttc, -1},
		"truncated":        {ttc[:30], 0},
		"no head table":    {collection(map[string]string{"name": "x"}), 0},
	} {
		if _, err := Extract(tc.in, tc.face); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestCommittedFont re-extracts the shipped font from Debian's collection,
// when it is installed, and compares it with the committed file.
func TestCommittedFont(t *testing.T) {
	ttc, err := os.ReadFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
	if err != nil {
		t.Skip("fonts-wqy-microhei is not installed")
	}
	committed, err := os.ReadFile("../../font/wqy-microhei.ttf")
	if err != nil {
		t.Fatal(err)
	}
	ttf, err := Extract(ttc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ttf, committed) {
		t.Error("internal/pdf/font/wqy-microhei.ttf differs from a fresh extraction")
	}
}
