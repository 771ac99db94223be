package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gongshang/internal/errs"
)

// The media types of a training's archive (工伤预防培训影音资料): video
// and audio recordings besides photos. They are accepted only through
// PutMedia, so a case material or an audit document can never be a
// recording.
const (
	MP4 = "video/mp4"
	M4A = "audio/mp4"
	MP3 = "audio/mpeg"
)

// MediaSniffLen is how many leading bytes SniffMedia needs at most.
const MediaSniffLen = 12

// mediaText names the accepted types in user messages.
const mediaText = "MP4视频、M4A或MP3音频、JPEG或PNG照片"

// SniffMedia returns the media type of a recording or photo from its
// leading bytes: an ISO base media file (…ftyp, MP4; brand M4A: audio),
// an MP3 (an ID3 tag or an MPEG audio frame sync), JPEG or PNG.
func SniffMedia(head []byte) (string, error) {
	if len(head) == 0 {
		return "", errs.Field("file", "file_empty", "文件为空：请选择%s文件", mediaText)
	}
	h := string(head)
	switch {
	case len(h) >= 12 && h[4:8] == "ftyp" && (h[8:12] == "M4A " || h[8:12] == "M4B "):
		return M4A, nil
	case len(h) >= 8 && h[4:8] == "ftyp":
		return MP4, nil
	case len(h) >= 3 && h[:3] == "ID3",
		len(h) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0 && !isJPEG(head):
		return MP3, nil
	}
	for _, m := range magic {
		if m.typ != PDF && len(h) >= len(m.prefix) && h[:len(m.prefix)] == m.prefix {
			return m.typ, nil
		}
	}
	return "", errs.Field("file", "file_type", "文件类型不支持：只接受%s", mediaText)
}

func isJPEG(head []byte) bool {
	return len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF
}

// IsAudio and IsVideo classify a media type.
func IsAudio(typ string) bool { return typ == M4A || typ == MP3 }

// IsVideo reports whether typ is a video.
func IsVideo(typ string) bool { return typ == MP4 }

// MediaStore is a Store that also keeps recordings. Dir is one.
type MediaStore interface {
	Store
	// PutMedia is Put for recordings and photos (SniffMedia's types);
	// photos get Put's end check, recordings none beyond their header.
	PutMedia(ctx context.Context, r io.Reader) (Ref, error)
}

var _ MediaStore = (*Dir)(nil)

// MaxMediaBytes is the largest recording PutMedia keeps: a day's training
// filmed in 1080p runs to a few gigabytes at most; Put's limit (a scanned
// document) is far below that.
const MaxMediaBytes int64 = 4 << 30

// PutMedia implements MediaStore: a recording may be up to MaxMediaBytes
// (or the store's own limit, if that is larger).
func (d *Dir) PutMedia(ctx context.Context, r io.Reader) (Ref, error) {
	limit := max(d.maxSize, MaxMediaBytes)
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "media-*")
	if err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	s := &mediaScan{}
	n, err := io.Copy(io.MultiWriter(tmp, h, s), io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		return Ref{}, fmt.Errorf("blob: copying upload: %w", err)
	}
	if n > limit {
		return Ref{}, errTooLarge(limit)
	}
	typ, err := SniffMedia(s.head)
	if err != nil {
		return Ref{}, err
	}
	if typ == JPEG || typ == PNG {
		if n > d.maxSize { // a photo keeps Put's limit
			return Ref{}, errTooLarge(d.maxSize)
		}
		if err := checkEnd(typ, s.tail.tail); err != nil {
			return Ref{}, err
		}
	}
	if err := tmp.Sync(); err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Ref{}, fmt.Errorf("blob: %w", err)
	}
	ref := Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: typ}
	moved, err := d.place(tmp.Name(), ref.SHA256)
	if err != nil {
		return Ref{}, err
	}
	if moved {
		tmp = nil
	}
	return ref, nil
}

// mediaScan keeps the first MediaSniffLen bytes and, through scan, the
// last tailLen.
type mediaScan struct {
	head []byte
	tail scan
}

func (m *mediaScan) Write(p []byte) (int, error) {
	if need := MediaSniffLen - len(m.head); need > 0 {
		m.head = append(m.head, p[:min(need, len(p))]...)
	}
	return m.tail.Write(p)
}
