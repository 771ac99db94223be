package blob

import (
	"context"
	"strings"
	"testing"

	"gongshang/internal/errs"
)

func TestSniffMedia(t *testing.T) {
	cases := []struct {
		name, head, want string
	}{
		{"mp4 isom", "\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", MP4},
		{"mp4 mp42", "\x00\x00\x00\x18ftypmp42", MP4},
		{"m4a", "\x00\x00\x00\x20ftypM4A \x00\x00", M4A},
		{"mp3 id3", "ID3\x04\x00\x00\x00\x00", MP3},
		{"mp3 frame", "\xFF\xFB\x90\x64\x00", MP3},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", JPEG},
		{"png", "\x89PNG\r\n\x1a\n\x00", PNG},
		{"pdf refused", "%PDF-1.7\n", ""},
		{"text refused", "hello world!", ""},
	}
	for _, c := range cases {
		got, err := SniffMedia([]byte(c.head))
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q %v, want %q", c.name, got, err, c.want)
		}
	}
	if _, err := SniffMedia(nil); !errs.Is(err, errs.Invalid) {
		t.Errorf("empty: %v", err)
	}
}

func TestPutMedia(t *testing.T) {
	d, err := NewDir(t.TempDir(), 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mp4 := "\x00\x00\x00\x18ftypmp42" + strings.Repeat("\x00", 100)
	ref, err := d.PutMedia(ctx, strings.NewReader(mp4))
	if err != nil || ref.Type != MP4 || ref.Size != int64(len(mp4)) {
		t.Fatalf("mp4: %+v %v", ref, err)
	}
	if ok, _ := d.Exists(ctx, ref.SHA256); !ok {
		t.Fatal("mp4 not stored")
	}
	// Put (case materials) still refuses a recording
	if _, err := d.Put(ctx, strings.NewReader(mp4)); !errs.Is(err, errs.Invalid) {
		t.Fatalf("Put took an mp4: %v", err)
	}
	// a photo without its end is refused as by Put
	if _, err := d.PutMedia(ctx, strings.NewReader("\xFF\xD8\xFF\xE0 cut off")); !errs.Is(err, errs.Invalid) {
		t.Fatalf("cut jpeg: %v", err)
	}
	if _, err := d.PutMedia(ctx, strings.NewReader("%PDF-1.4\n%%EOF\n")); !errs.Is(err, errs.Invalid) {
		t.Fatalf("pdf as media: %v", err)
	}
	// a recording may be far larger than a document (MaxMediaBytes); a
	// photo keeps Put's limit
	long := "\x00\x00\x00\x18ftypmp42" + strings.Repeat("x", 2000)
	if ref, err := d.PutMedia(ctx, strings.NewReader(long)); err != nil || ref.Size != int64(len(long)) {
		t.Fatalf("a recording above the documents' limit: %+v %v", ref, err)
	}
	big := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 2000) + "\x00\x00\x00\x00IEND\xaeB`\x82"
	if _, err := d.PutMedia(ctx, strings.NewReader(big)); !errs.Is(err, errs.TooLarge) {
		t.Fatalf("a photo over the limit: %v", err)
	}
}
