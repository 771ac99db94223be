package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
)

const institutionCols = `id, code, name, region_code, type, level, beds, depts, equipment, agreement_from, agreement_to,
	status, status_reason, address, contact, COALESCE(paasid, ''), created_at, updated_at, version`

func scanInstitution(r interface{ Scan(...any) error }) (settlement.Institution, error) {
	var in settlement.Institution
	var depts, equip string
	err := r.Scan(&in.ID, &in.Code, &in.Name, &in.RegionCode, &in.Type, &in.Level, &in.Beds, &depts, &equip,
		&in.AgreementFrom, &in.AgreementTo, &in.Status, &in.StatusReason, &in.Address, &in.Contact, &in.PaasID,
		&in.CreatedAt, &in.UpdatedAt, &in.Version)
	if err != nil {
		return in, err
	}
	_ = json.Unmarshal([]byte(depts), &in.Depts)
	_ = json.Unmarshal([]byte(equip), &in.Equipment)
	return in, nil
}

func jsonList(xs []string) string {
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// CreateInstitution registers a designated institution in the actor's
// scope. Its interface credentials are issued separately
// (IssueInstitutionToken).
func (s *Store) CreateInstitution(ctx context.Context, actor access.Principal, in *settlement.Institution) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if err := inScope(actor.Scope(), in.RegionCode); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		if ok, err := s.regionExists(ctx, t, in.RegionCode); err != nil {
			return err
		} else if !ok {
			return errs.Field("region_code", "unknown", "地区代码%s不存在", in.RegionCode)
		}
		in.CreatedAt, in.UpdatedAt, in.Version = t.now, t.now, 1
		cols := []string{"code", "name", "region_code", "type", "level", "beds", "depts", "equipment", "agreement_from",
			"agreement_to", "status", "status_reason", "address", "contact", "created_at", "updated_at", "version"}
		row := []any{in.Code, in.Name, in.RegionCode, string(in.Type), in.Level, in.Beds, jsonList(in.Depts), jsonList(in.Equipment),
			in.AgreementFrom, in.AgreementTo, string(in.Status), in.StatusReason, in.Address, in.Contact, t.now, t.now, 1}
		id, err := t.insertAudited(ctx, "institutions", cols, row, "institution.create", "institution", in.RegionCode,
			func(id int64) any { c := *in; c.ID = id; return c })
		if uniqueOn(err, "code") || errs.Is(s.translate(err), errs.Conflict) {
			return errs.Field("code", "duplicate", "机构编码%s已登记", in.Code)
		}
		in.ID = id
		return err
	})
}

// UpdateInstitution rewrites a register entry if its version is still
// expected; the code and the credentials are not changed here.
func (s *Store) UpdateInstitution(ctx context.Context, actor access.Principal, in *settlement.Institution, expected int64) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		before, err := t.institutionForUpdate(ctx, in.ID)
		if err != nil {
			return err
		}
		if err := inScope(actor.Scope(), before.RegionCode); err != nil {
			return err
		}
		if err := inScope(actor.Scope(), in.RegionCode); err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		in.Code, in.PaasID, in.CreatedAt = before.Code, before.PaasID, before.CreatedAt
		in.UpdatedAt, in.Version = t.now, before.Version+1
		_, err = t.ExecContext(ctx, `UPDATE institutions SET name = $1, region_code = $2, type = $3, level = $4, beds = $5,
			depts = $6, equipment = $7, agreement_from = $8, agreement_to = $9, status = $10, status_reason = $11,
			address = $12, contact = $13, updated_at = $14, version = $15 WHERE id = $16`,
			in.Name, in.RegionCode, string(in.Type), in.Level, in.Beds, jsonList(in.Depts), jsonList(in.Equipment),
			in.AgreementFrom, in.AgreementTo, string(in.Status), in.StatusReason, in.Address, in.Contact, t.now, in.Version, in.ID)
		if err != nil {
			return err
		}
		return t.audit(ctx, "institution.update", "institution", in.ID, in.RegionCode, before, *in)
	})
}

func staleVersion() error {
	return errs.E(errs.Conflict, "已被他人修改，请刷新后重试")
}

func (t *tx) institutionForUpdate(ctx context.Context, id int64) (settlement.Institution, error) {
	in, err := scanInstitution(t.QueryRowContext(ctx, `SELECT `+institutionCols+` FROM institutions WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, errs.E(errs.NotFound, "协议机构不存在")
	}
	return in, err
}

// FindInstitution reads one institution the viewer may see.
func (s *Store) FindInstitution(ctx context.Context, viewer access.Principal, id int64) (settlement.Institution, error) {
	in, err := scanInstitution(s.db.QueryRowContext(ctx, `SELECT `+institutionCols+` FROM institutions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, errs.E(errs.NotFound, "协议机构不存在")
	}
	if err != nil {
		return in, err
	}
	if !viewer.MaySee(access.Owners{Region: in.RegionCode, InstitutionID: in.ID}) {
		return settlement.Institution{}, errs.E(errs.NotFound, "协议机构不存在")
	}
	return in, nil
}

// InstitutionFilter narrows the register list.
type InstitutionFilter struct {
	Region string // a region inside the scope ("" all)
	Type   settlement.InstitutionType
	Status settlement.Status
	Q      string // code or a part of the name
}

// IssueInstitutionToken generates the institution's interface credentials
// (a paasid on first issue, and a new token every time: rotation) and
// returns the token, which is never shown again: only its sealed form is
// kept. The old token stops working at once.
func (s *Store) IssueInstitutionToken(ctx context.Context, actor access.Principal, id int64) (paasid, token string, err error) {
	token = randomHex(24)
	err = s.write(ctx, actor, func(t *tx) error {
		in, err := t.institutionForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := inScope(actor.Scope(), in.RegionCode); err != nil {
			return err
		}
		paasid = in.PaasID
		action := "institution.token_rotate"
		if paasid == "" {
			paasid, action = "gs"+strings.ToLower(in.Code)+randomHex(3), "institution.token_issue"
		}
		if _, err := t.ExecContext(ctx, `UPDATE institutions SET paasid = $1, token_enc = $2, token_set_at = $3, updated_at = $3,
			version = version + 1 WHERE id = $4`, paasid, s.pii.Seal(token), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, action, "institution", id, in.RegionCode, map[string]any{"paasid": in.PaasID},
			map[string]any{"paasid": paasid, "token": "（已更换，不记录）"})
	})
	return paasid, token, err
}

// SetInstitutionToken sets a known token (the demo's test institutions,
// whose credentials are printed by `gongshang demo fixtures`).
func (s *Store) SetInstitutionToken(ctx context.Context, actor access.Principal, id int64, paasid, token string) error {
	return s.write(ctx, actor, func(t *tx) error {
		in, err := t.institutionForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE institutions SET paasid = $1, token_enc = $2, token_set_at = $3 WHERE id = $4`,
			paasid, s.pii.Seal(token), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, "institution.token_issue", "institution", id, in.RegionCode, nil, map[string]any{"paasid": paasid})
	})
}

// InstitutionByPaasID finds the institution of an interface access id with
// its token in clear, for the signature check.
func (s *Store) InstitutionByPaasID(ctx context.Context, paasid string) (settlement.Institution, string, error) {
	var sealed []byte
	in, err := scanInstitution(tokenScan{s.db.QueryRowContext(ctx, `SELECT `+institutionCols+`, token_enc FROM institutions WHERE paasid = $1`, paasid), &sealed})
	if errors.Is(err, sql.ErrNoRows) {
		return in, "", errs.E(errs.Unauth, "接入标识不存在")
	}
	if err != nil {
		return in, "", err
	}
	token, err := s.pii.Open(sealed)
	return in, token, err
}

// tokenScan scans an institution row followed by its sealed token.
type tokenScan struct {
	r     *sql.Row
	token *[]byte
}

func (ts tokenScan) Scan(dest ...any) error { return ts.r.Scan(append(dest, ts.token)...) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// InstitutionPrincipal is the principal a HIS acts as.
func InstitutionPrincipal(in settlement.Institution) access.Principal {
	return access.Principal{Kind: access.KindInstitution, InstitutionID: in.ID, RegionCode: in.RegionCode,
		Username: in.PaasID, Name: in.Name}
}
