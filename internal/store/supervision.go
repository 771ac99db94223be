package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// ExtractInfo describes a stored settlement extract.
type ExtractInfo struct {
	ID         int64          `json:"id"`
	Name       string         `json:"name"`
	Source     string         `json:"source"`
	Year       int            `json:"year"`
	Counts     map[string]int `json:"counts"` // rows per file, by file name without .csv
	SHA256     string         `json:"sha256"`
	ImportedAt time.Time      `json:"imported_at"`
	ImportedBy string         `json:"imported_by"`
	Region     string         `json:"region"`
}

const extractCols = `id, name, source, year, counts, sha256, imported_at, imported_by, region_code`

func scanExtractInfo(r interface{ Scan(...any) error }) (ExtractInfo, error) {
	var x ExtractInfo
	var counts string
	err := r.Scan(&x.ID, &x.Name, &x.Source, &x.Year, &counts, &x.SHA256, &x.ImportedAt, &x.ImportedBy, &x.Region)
	if err == nil {
		err = json.Unmarshal([]byte(counts), &x.Counts)
	}
	return x, err
}

// ImportExtract stores a settlement extract (files by name, e.g.
// "lines.csv"; unknown names are not kept) under name. The files are read
// and checked first: a refused extract returns the
// *supervision.ExtractError listing its problems and writes nothing. Then
// one transaction replaces any extract of the same name (with its scans
// and findings) and keeps the files gzip'd, to be parsed again at scan
// time.
func (s *Store) ImportExtract(ctx context.Context, actor access.Principal, name string, files map[string][]byte) (ExtractInfo, error) {
	if !actor.Can(access.PermSupervisionScreen) {
		return ExtractInfo{}, errs.E(errs.Forbidden, "无权导入结算数据")
	}
	if strings.TrimSpace(name) == "" {
		return ExtractInfo{}, errs.Field("name", "required", "请填写结算数据的名称")
	}
	x, err := supervision.ReadExtract(memFS(files))
	if err != nil {
		return ExtractInfo{}, err
	}
	gz, err := gzipFiles(files)
	if err != nil {
		return ExtractInfo{}, err
	}
	info := ExtractInfo{Name: name, Source: name, Year: extractYear(x), Counts: extractCounts(x), SHA256: extractHash(files),
		ImportedBy: actor.Username, Region: extractRegion(actor, x)}
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := t.dropExtract(ctx, name)
		if err != nil {
			return err
		}
		info.ImportedAt = t.now
		if info.ID, err = t.insertExtract(ctx, info, gz); err != nil {
			return err
		}
		return t.audit(ctx, "supervision.extract.import", "audit_extract", info.ID, info.Region, before, info)
	})
	return info, err
}

// extractRegion is the region an imported extract belongs to: the
// importer's, except that the system (the command line, the demo) files
// an extract under its home region (supervision.Extract.Home) when that
// lies in its scope, so that the city's auditors see what was imported
// for them.
func extractRegion(actor access.Principal, x *supervision.Extract) string {
	if h := x.Home(); actor.Kind == access.KindSystem && h != "" && actor.Scope().Covers(h) {
		return h
	}
	return actor.RegionCode
}

// memFS presents files held in memory as a folder for ReadExtract.
type memFS map[string][]byte

func (m memFS) Open(name string) (fs.File, error) {
	b, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return openFile{io.NopCloser(bytes.NewReader(b)), fileInfo{name, int64(len(b))}}, nil
}

type gzFile struct {
	name string
	size int
	gz   []byte
}

// gzipFiles compresses the extract's known files (fastest level: a
// city-year's fee lines are over 100 MB).
func gzipFiles(files map[string][]byte) ([]gzFile, error) {
	var out []gzFile
	for _, name := range supervision.ExtractFiles {
		b, ok := files[name]
		if !ok {
			continue
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		out = append(out, gzFile{name: name, size: len(b), gz: buf.Bytes()})
	}
	return out, nil
}

// extractHash is the SHA-256 over the known files in order, each as its
// name, its length and its bytes.
func extractHash(files map[string][]byte) string {
	h := sha256.New()
	for _, name := range supervision.ExtractFiles {
		if b, ok := files[name]; ok {
			fmt.Fprintf(h, "%s\n%d\n", name, len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// extractYear is the calendar year most encounters began in (an extract
// covers one year; a stay admitted in December may end in the next).
func extractYear(x *supervision.Extract) int {
	n := map[int]int{}
	best := 0
	for i := range x.Encounters {
		y, _ := strconv.Atoi(x.Encounters[i].Begin.Day().String()[:4])
		n[y]++
		if n[y] > n[best] || n[y] == n[best] && y < best {
			best = y
		}
	}
	return best
}

func extractCounts(x *supervision.Extract) map[string]int {
	return map[string]int{"institutions": len(x.Institutions), "doctors": len(x.Doctors), "persons": len(x.Persons),
		"injuries": len(x.Injuries), "catalog": len(x.Items), "bundles": len(x.Bundles), "encounters": len(x.Encounters),
		"lines": len(x.Lines), "purchases": len(x.Purchases), "attendance": len(x.Attendance)}
}

// dropExtract deletes the extract called name with its files, scans and
// findings, and returns what it was (nil when there was none).
func (t *tx) dropExtract(ctx context.Context, name string) (*ExtractInfo, error) {
	old, err := scanExtractInfo(t.QueryRowContext(ctx, `SELECT `+extractCols+` FROM audit_extracts WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, q := range []string{
		`DELETE FROM audit_findings WHERE scan_id IN (SELECT id FROM audit_scans WHERE extract_id = $1)`,
		`DELETE FROM audit_scans WHERE extract_id = $1`,
		`DELETE FROM audit_extract_files WHERE extract_id = $1`,
		`DELETE FROM audit_extracts WHERE id = $1`,
	} {
		if _, err := t.ExecContext(ctx, q, old.ID); err != nil {
			return nil, fmt.Errorf("store: drop extract: %w", err)
		}
	}
	return &old, nil
}

func (t *tx) insertExtract(ctx context.Context, info ExtractInfo, files []gzFile) (int64, error) {
	counts, err := json.Marshal(info.Counts)
	if err != nil {
		return 0, err
	}
	var id int64
	err = t.QueryRowContext(ctx, `INSERT INTO audit_extracts (name, source, year, counts, sha256, imported_at, imported_by, region_code)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		info.Name, info.Source, info.Year, string(counts), info.SHA256, info.ImportedAt, info.ImportedBy, info.Region).Scan(&id)
	if uniqueOn(err, "name") {
		// Another import of the same name committed meanwhile.
		return 0, errs.E(errs.Conflict, "同名结算数据“%s”刚由他人导入，请刷新后重试", info.Name)
	}
	if err != nil {
		return 0, fmt.Errorf("store: insert extract: %w", err)
	}
	for _, f := range files {
		if _, err := t.ExecContext(ctx, `INSERT INTO audit_extract_files (extract_id, name, size, gz) VALUES ($1, $2, $3, $4)`,
			id, f.name, f.size, f.gz); err != nil {
			return 0, fmt.Errorf("store: insert extract file %s: %w", f.name, err)
		}
	}
	return id, nil
}

// FindExtract reads a stored extract's description. NotFound when there
// is none.
func (s *Store) FindExtract(ctx context.Context, id int64) (ExtractInfo, error) {
	x, err := scanExtractInfo(s.db.QueryRowContext(ctx, `SELECT `+extractCols+` FROM audit_extracts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, errs.E(errs.NotFound, "结算数据%d不存在", id)
	}
	return x, err
}

// LatestExtract is the extract imported last. NotFound when none is.
func (s *Store) LatestExtract(ctx context.Context) (ExtractInfo, error) {
	x, err := scanExtractInfo(s.db.QueryRowContext(ctx, `SELECT `+extractCols+` FROM audit_extracts ORDER BY id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return x, errs.E(errs.NotFound, "尚未导入结算数据")
	}
	return x, err
}

// ExtractFiles reads a stored extract's files, uncompressed. NotFound
// when there is no such extract.
func (s *Store) ExtractFiles(ctx context.Context, id int64) (map[string][]byte, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, size, gz FROM audit_extract_files WHERE extract_id = $1 ORDER BY name`, id)
	if err != nil {
		return nil, fmt.Errorf("store: extract files: %w", err)
	}
	defer rows.Close()
	files := map[string][]byte{}
	for rows.Next() {
		var name string
		var size int
		var gz []byte
		if err := rows.Scan(&name, &size, &gz); err != nil {
			return nil, err
		}
		if files[name], err = gunzip(gz, size); err != nil {
			return nil, fmt.Errorf("store: extract %d file %s: %w", id, name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errs.E(errs.NotFound, "结算数据%d不存在", id)
	}
	return files, nil
}

func gunzip(gz []byte, size int) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := io.Copy(out, r); err != nil {
		return nil, err
	}
	return out.Bytes(), r.Close()
}

// LoadExtract reads a stored extract into memory, parsed as at its
// import. The files are parsed as they are uncompressed, so a city-year's
// 150 MB of fee lines is never held whole beside the extract built from it.
func (s *Store) LoadExtract(ctx context.Context, id int64) (*supervision.Extract, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, size, gz FROM audit_extract_files WHERE extract_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("store: load extract: %w", err)
	}
	defer rows.Close()
	files := gzFS{}
	for rows.Next() {
		var f gzFile
		if err := rows.Scan(&f.name, &f.size, &f.gz); err != nil {
			return nil, err
		}
		files[f.name] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errs.E(errs.NotFound, "结算数据%d不存在", id)
	}
	return supervision.ReadExtract(files)
}

// gzFS presents stored files as a folder whose files uncompress as they
// are read.
type gzFS map[string]gzFile

func (g gzFS) Open(name string) (fs.File, error) {
	f, ok := g[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	r, err := gzip.NewReader(bytes.NewReader(f.gz))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return openFile{r, fileInfo{name, int64(f.size)}}, nil
}

// openFile is a file of memFS or gzFS.
type openFile struct {
	io.ReadCloser
	info fileInfo
}

func (o openFile) Stat() (fs.FileInfo, error) { return o.info, nil }

// fileInfo describes a file by its name and (uncompressed) size.
type fileInfo struct {
	name string
	size int64
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }
