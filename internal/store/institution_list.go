package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
)

// The register of designated institutions as a list of the list toolkit
// (filters, sorts, paging, export), and its administration beyond the
// register fields: the agreement's status.

// InstitutionQuery is the register list's filter and order.
type InstitutionQuery struct {
	InstitutionFilter
	Level string // "0"–"3", "" any
	Sort  string // a key of InstitutionSorts, "" the register's order (region, code)
	Desc  bool
}

// institutionSorts are the sort keys of FindInstitutions, each served by
// an index (0016, 0017).
var institutionSorts = sortSpec{
	"code":         {"code"},                              // unique
	"name":         {"name", "region_code", "id"},         // institutions_name
	"region":       {"region_code", "id"},                 // institutions_region
	"level":        {"level", "region_code", "id"},        // institutions_level
	"agreement_to": {"agreement_to", "region_code", "id"}, // institutions_agreement_to
}

// InstitutionSorts names the sort keys FindInstitutions accepts.
var InstitutionSorts = institutionSorts.keys()

var institutionOrderCols = []string{"code", "name", "region_code", "level", "agreement_to", "id"}

// likeEscape escapes % _ and \ for a LIKE … ESCAPE '\' pattern: a search
// matches its text literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func institutionWhere(scope access.Scope, f InstitutionQuery) (*where, error) {
	if f.Region != "" && !scope.Covers(f.Region) {
		return nil, inScope(scope, f.Region)
	}
	w := newWhere(scope, f.Region)
	w.order = "region_code, code"
	if f.Type != "" {
		w.eq("type", string(f.Type))
	}
	if f.Status != "" {
		w.eq("status", string(f.Status))
	}
	if f.Level != "" {
		var n int
		if _, err := fmt.Sscanf(f.Level, "%d", &n); err != nil || n < 0 || n > 3 {
			return nil, errs.Field("level", "invalid", "机构等级应为一级、二级、三级或无")
		}
		w.eq("level", n)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.args = append(w.args, likeEscape(strings.ToUpper(q)), likeEscape(q))
		w.sql += fmt.Sprintf(` AND (code LIKE $%d || '%%' ESCAPE '\' OR name LIKE '%%' || $%d || '%%' ESCAPE '\')`, len(w.args)-1, len(w.args))
	}
	if err := w.sortBy(institutionSorts, f.Sort, f.Desc); err != nil {
		return nil, err
	}
	return w, nil
}

// FindInstitutions lists the register inside the scope with the list's
// filter and order, and the total.
func (s *Store) FindInstitutions(ctx context.Context, scope access.Scope, f InstitutionQuery, p Page) ([]settlement.Institution, int, error) {
	p = p.normalize()
	w, err := institutionWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM institutions WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count institutions: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+institutionCols+` FROM institutions WHERE `+w.sql+w.page(w.order, p), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: institutions: %w", err)
	}
	defer rows.Close()
	var out []settlement.Institution
	for rows.Next() {
		in, err := scanInstitution(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// EachInstitution calls fn with every institution FindInstitutions would
// list for f, all pages, in the same order, read in keyset batches.
func (s *Store) EachInstitution(ctx context.Context, scope access.Scope, f InstitutionQuery, fn func(settlement.Institution) error) error {
	w, err := institutionWhere(scope, f)
	if err != nil {
		return err
	}
	return eachRow(ctx, s.db, s.batch(), "institutions", institutionCols, w, []string{"id", "code"}, institutionOrderCols,
		func(rows *sql.Rows, keys []any) error {
			in, err := scanInstitution(keyScanner{rows, keys})
			if err != nil {
				return err
			}
			return fn(in)
		})
}

// SetInstitutionStatus changes the agreement's status (active, suspended:
// every transaction refused, ended) with its reason, if the register entry
// is still at version expected; audited as institution.status. The
// hospital interface sees the change within a second (its cache).
func (s *Store) SetInstitutionStatus(ctx context.Context, actor access.Principal, id, expected int64, status settlement.Status, reason string) (settlement.Institution, error) {
	reason = strings.TrimSpace(reason)
	var fs errs.Fields
	if !status.Valid() {
		fs.Add("status", "invalid", "协议状态应为协议有效、暂停结算或协议终止")
	}
	if reason == "" {
		fs.Add("status_reason", "required", "请填写状态变更原因")
	} else if len([]rune(reason)) > 200 {
		fs.Add("status_reason", "too_long", "状态变更原因不能超过200个字")
	}
	if err := fs.Err(); err != nil {
		return settlement.Institution{}, err
	}
	if !actor.Can(access.PermInstitutions) {
		return settlement.Institution{}, errs.E(errs.Forbidden, "无权变更协议机构状态")
	}
	var after settlement.Institution
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.institutionForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if !actor.MaySee(access.Owners{Region: before.RegionCode, InstitutionID: before.ID}) {
			return errs.E(errs.NotFound, "协议机构不存在")
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.Status == status {
			return errs.Field("status", "unchanged", "该机构已是“%s”状态", status.Name())
		}
		after = before
		after.Status, after.StatusReason, after.UpdatedAt, after.Version = status, reason, t.now, before.Version+1
		res, err := t.ExecContext(ctx, `UPDATE institutions SET status = $1, status_reason = $2, updated_at = $3, version = $4
			WHERE id = $5 AND version = $6`, string(status), reason, t.now, after.Version, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		return t.audit(ctx, "institution.status", "institution", id, before.RegionCode,
			map[string]any{"status": before.Status, "status_reason": before.StatusReason},
			map[string]any{"status": after.Status, "status_reason": after.StatusReason})
	})
	return after, err
}

// InstitutionMessages counts the interface messages an institution sent
// since (his_messages_time: an index range).
func (s *Store) InstitutionMessages(ctx context.Context, id int64, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM his_messages WHERE institution_id = $1 AND created_at >= $2`, id, since.UTC()).Scan(&n)
	return n, err
}

// InstitutionTokenSetAt is when the institution's current token was
// issued (zero when it has none).
func (s *Store) InstitutionTokenSetAt(ctx context.Context, id int64) (time.Time, error) {
	var at sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT token_set_at FROM institutions WHERE id = $1`, id).Scan(&at)
	return at.Time, err
}
