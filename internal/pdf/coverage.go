package pdf

import (
	"encoding/binary"
	"errors"
	"sort"
	"sync"
)

// charRange is a run of characters the font has glyphs for.
type charRange struct{ lo, hi rune }

// fontCoverage is what the embedded font can print, read once from its
// cmap table.
var fontCoverage = sync.OnceValues(func() ([]charRange, error) { return cmapRanges(fontTTF) })

// covered reports whether the font has a glyph for r; fpdf would print a
// blank or a box for any other character, silently.
func covered(ranges []charRange, r rune) bool {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i].hi >= r })
	return i < len(ranges) && ranges[i].lo <= r
}

// cmapRanges reads the Windows full-Unicode subtable (platform 3, encoding
// 10, format 12: sorted groups of start code, end code, start glyph) of a
// TrueType font's cmap.
func cmapRanges(ttf []byte) ([]charRange, error) {
	cmap, err := findTable(ttf, "cmap")
	if err != nil {
		return nil, err
	}
	if len(cmap) < 4 {
		return nil, errors.New("pdf: font cmap is truncated")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := 0; i < n && 4+8*i+8 <= len(cmap); i++ {
		rec := cmap[4+8*i:]
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		if platform == 3 && encoding == 10 {
			return format12(cmap, int(binary.BigEndian.Uint32(rec[4:])))
		}
	}
	return nil, errors.New("pdf: font has no full-Unicode cmap subtable")
}

// format12 reads the groups of the format 12 subtable at off in cmap.
func format12(cmap []byte, off int) ([]charRange, error) {
	if off < 0 || off+16 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 12 {
		return nil, errors.New("pdf: font cmap subtable is not format 12")
	}
	n := int(binary.BigEndian.Uint32(cmap[off+12:]))
	if off+16+12*n > len(cmap) {
		return nil, errors.New("pdf: font cmap subtable is truncated")
	}
	var ranges []charRange
	for i := 0; i < n; i++ {
		g := cmap[off+16+12*i:]
		lo, hi := rune(binary.BigEndian.Uint32(g)), rune(binary.BigEndian.Uint32(g[4:]))
		if binary.BigEndian.Uint32(g[8:]) == 0 { // the first code maps to .notdef
			lo++
		}
		if lo <= hi {
			ranges = append(ranges, charRange{lo, hi})
		}
	}
	return ranges, nil
}

// findTable returns the bytes of the table tag of a TrueType font.
func findTable(ttf []byte, tag string) ([]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("pdf: font is truncated")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n && 12+16*i+16 <= len(ttf); i++ {
		rec := ttf[12+16*i:]
		if string(rec[:4]) == tag {
			off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
			if uint64(off)+uint64(length) > uint64(len(ttf)) {
				break
			}
			return ttf[off : off+length], nil
		}
	}
	return nil, errors.New("pdf: font has no " + tag + " table")
}
