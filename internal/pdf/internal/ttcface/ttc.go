package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// The layout used here (OpenType specification, "Font Collections" and
// "Organization of an OpenType Font"):
//
//	TTC header: "ttcf", version (4 bytes), numFonts (uint32), then numFonts
//	uint32 offsets from the start of the file, one per face, each to a table
//	directory.
//	Table directory: sfntVersion (uint32), numTables (uint16), searchRange,
//	entrySelector, rangeShift (uint16 each), then numTables records of 16
//	bytes: tag, checksum, offset (from the start of the file), length.
//
// A standalone font is the face's table directory followed by its tables,
// each padded to 4 bytes, with the offsets rewritten to the new positions and
// head.checkSumAdjustment recomputed over the new file.

const (
	dirHeaderLen = 12
	recordLen    = 16
	// checksumMagic is the constant from which head.checkSumAdjustment is
	// subtracted (OpenType "head" table).
	checksumMagic = 0xB1B0AFBA
)

// table is one table record of a face.
type table struct {
	tag            [4]byte
	checksum       uint32
	offset, length uint32
}

// Extract returns face number face (from 0) of the collection ttc as a
// standalone TrueType font.
func Extract(ttc []byte, face int) ([]byte, error) {
	dir, err := faceOffset(ttc, face)
	if err != nil {
		return nil, err
	}
	tables, err := readDirectory(ttc, dir)
	if err != nil {
		return nil, err
	}
	return assemble(ttc, ttc[dir:dir+4], tables)
}

// faceOffset reads the collection header and returns where face's table
// directory starts.
func faceOffset(ttc []byte, face int) (int, error) {
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return 0, errors.New("not a TrueType collection (no ttcf tag)")
	}
	n := int(binary.BigEndian.Uint32(ttc[8:]))
	if face < 0 || face >= n {
		return 0, fmt.Errorf("face %d asked for, the collection has %d", face, n)
	}
	at := 12 + 4*face
	if at+4 > len(ttc) {
		return 0, errors.New("collection header is truncated")
	}
	return int(binary.BigEndian.Uint32(ttc[at:])), nil
}

// readDirectory reads the table records of the directory at dir and checks
// that every table lies inside the file.
func readDirectory(ttc []byte, dir int) ([]table, error) {
	if dir < 0 || dir+dirHeaderLen > len(ttc) {
		return nil, errors.New("table directory outside the file")
	}
	n := int(binary.BigEndian.Uint16(ttc[dir+4:]))
	if dir+dirHeaderLen+n*recordLen > len(ttc) {
		return nil, errors.New("table directory is truncated")
	}
	tables := make([]table, n)
	for i := range tables {
		r := ttc[dir+dirHeaderLen+i*recordLen:]
		t := table{checksum: binary.BigEndian.Uint32(r[4:]),
			offset: binary.BigEndian.Uint32(r[8:]), length: binary.BigEndian.Uint32(r[12:])}
		copy(t.tag[:], r[:4])
		if uint64(t.offset)+uint64(t.length) > uint64(len(ttc)) {
			return nil, fmt.Errorf("table %q lies outside the file", t.tag[:])
		}
		tables[i] = t
	}
	// The specification wants the records sorted by tag.
	sort.Slice(tables, func(i, j int) bool { return string(tables[i].tag[:]) < string(tables[j].tag[:]) })
	return tables, nil
}

// assemble writes the standalone font: a directory, then the tables.
func assemble(ttc, sfntVersion []byte, tables []table) ([]byte, error) {
	n := len(tables)
	out := make([]byte, dirHeaderLen+n*recordLen)
	copy(out, sfntVersion)
	putSearchFields(out, n)
	head := -1
	for i, t := range tables {
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		r := out[dirHeaderLen+i*recordLen:]
		copy(r, t.tag[:])
		binary.BigEndian.PutUint32(r[4:], t.checksum)
		binary.BigEndian.PutUint32(r[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(r[12:], t.length)
		if string(t.tag[:]) == "head" {
			head = len(out)
		}
		out = append(out, ttc[t.offset:t.offset+t.length]...)
	}
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	if head < 0 || head+12 > len(out) {
		return nil, errors.New("the face has no head table")
	}
	binary.BigEndian.PutUint32(out[head+8:], 0)
	binary.BigEndian.PutUint32(out[head+8:], checksumMagic-checksum(out))
	return out, nil
}

// putSearchFields fills searchRange, entrySelector and rangeShift for n
// tables.
func putSearchFields(dir []byte, n int) {
	binary.BigEndian.PutUint16(dir[4:], uint16(n))
	pow, sel := 1, 0
	for pow*2 <= n {
		pow *= 2
		sel++
	}
	binary.BigEndian.PutUint16(dir[6:], uint16(pow*16))
	binary.BigEndian.PutUint16(dir[8:], uint16(sel))
	binary.BigEndian.PutUint16(dir[10:], uint16(n*16-pow*16))
}

// checksum is the OpenType checksum: the sum of big-endian uint32 words,
// the data padded with zeros to a multiple of 4.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
