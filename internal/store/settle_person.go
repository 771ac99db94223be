package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
)

// HISOps are the hospital transactions, run inside HIS's transaction for
// one institution: everything they read or change is that institution's.
type HISOps struct {
	t     *tx
	inst  settlement.Institution
	msgid string
	// readOnly: t is a read snapshot (HISCall.ReadOnly); what would be
	// written is worked out in memory only.
	readOnly bool
}

// Now is the transaction's moment.
func (o *HISOps) Now() time.Time { return o.t.now }

// Institution is the calling institution.
func (o *HISOps) Institution() settlement.Institution { return o.inst }

// Person is what 1101 answers about a person.
type Person struct {
	WorkerID      int64
	PsnNo         string
	Name          string
	IDNumber      string
	Sex           string
	Birth         string
	Region        string // the worker's region
	Insured       bool
	InsuredRegion string // pooling region of the insuring employer
	EmployerName  string
	Injuries      []Injury
}

// Injury is one recognition case of a person as the hospital sees it.
type Injury struct {
	CaseID       int64
	ID           string // the case number
	InjuryDate   string
	RecognisedOn string
	Parts        string
	DiagCode     string
	DiagName     string
	Status       string // recognized | pending | not_recognized
	FilingKind   string
	FilingEnd    string
}

var icdRe = regexp.MustCompile(`\b([A-Z][0-9]{2}(?:\.[0-9]{1,2})?)\b`)

// DiagCode takes the ICD-10 code from a diagnosis text ("S62.6 右手…").
func DiagCode(diagnosis string) string {
	m := icdRe.FindStringSubmatch(strings.ToUpper(diagnosis))
	if m == nil {
		return ""
	}
	return m[1]
}

// Person finds a person by ID number; name, when given, must match.
func (o *HISOps) Person(ctx context.Context, certno, name string) (Person, error) {
	w, err := o.workerByCert(ctx, certno, "input.data.certno")
	if err != nil {
		return Person{}, err
	}
	if name != "" && name != w.Name {
		return Person{}, errs.Field("input.data.psn_name", "mismatch", "psn_name（人员姓名）与证件号码登记的姓名不符")
	}
	return o.person(ctx, w)
}

func (o *HISOps) workerByCert(ctx context.Context, certno, field string) (registry.Worker, error) {
	w, err := findWorker(ctx, o.t, o.t.s.pii, anyRegion, `id_hash = $1`, o.t.s.pii.Hash(registry.NormalizeIDNumber(certno)))
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return w, errs.Field(field, "not_found", "%s（证件号码）未查询到工伤保险参保人员信息", field[strings.LastIndex(field, ".")+1:])
	}
	return w, err
}

func (o *HISOps) person(ctx context.Context, w registry.Worker) (Person, error) {
	p := Person{WorkerID: w.ID, Name: w.Name, IDNumber: w.IDNumber, Sex: w.Sex, Birth: w.BirthDate, Region: w.RegionCode}
	p.PsnNo = settlement.PsnNo(settlement.PoolingRegion(w.RegionCode), w.ID)
	today := settlement.Day(o.t.now)
	var empRegion string
	err := o.t.QueryRowContext(ctx, `SELECT e.name, e.region_code FROM employments m JOIN employers e ON e.id = m.employer_id
		WHERE m.worker_id = $1 AND m.start_date <= $2 AND (m.end_date IS NULL OR m.end_date >= $2) ORDER BY m.start_date DESC LIMIT 1`,
		w.ID, today).Scan(&p.EmployerName, &empRegion)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return p, err
	default:
		p.Insured, p.InsuredRegion = true, settlement.PoolingRegion(empRegion)
	}
	if p.Injuries, err = o.t.injuries(ctx, w.ID, today); err != nil {
		return p, err
	}
	// A worker who has left since the injury is not insured today, but
	// his recognised injury is still paid by the region of its case
	// (HISOps.linkInjury takes the insured region from the case).
	return p, nil
}

// injuries reads a worker's recognition cases with their filing.
func (t *tx) injuries(ctx context.Context, workerID int64, today string) ([]Injury, error) {
	rows, err := t.QueryContext(ctx, `SELECT c.id, c.number, c.injury_date, c.detail, s.state, s.detail
		FROM cases c JOIN case_services s ON s.case_id = c.id AND s.kind = 'recognition'
		WHERE c.worker_id = $1 ORDER BY c.injury_date DESC, c.id DESC`, workerID)
	if err != nil {
		return nil, err
	}
	var out []Injury
	for rows.Next() {
		var in Injury
		var caseDetail, state, svcDetail string
		if err := rows.Scan(&in.CaseID, &in.ID, &in.InjuryDate, &caseDetail, &state, &svcDetail); err != nil {
			rows.Close()
			return nil, err
		}
		var ct caseText
		var d casebundle.Detail
		_ = json.Unmarshal([]byte(caseDetail), &ct)
		_ = json.Unmarshal([]byte(svcDetail), &d)
		in.Parts, in.DiagName, in.DiagCode = ct.InjuredPart, ct.Diagnosis, DiagCode(ct.Diagnosis)
		switch st := casebundle.State(state); {
		case recognisedBy(&casebundle.Service{State: st, Detail: d}):
			// Decided, delivered or under appeal: the decision stands.
			in.Status, in.RecognisedOn = "recognized", d.DecidedOn
		case st == casebundle.Decided, st == casebundle.Delivered, st == casebundle.Appealed,
			st == casebundle.NotAccepted, st == casebundle.Cancelled:
			in.Status = "not_recognized"
		default:
			in.Status = "pending"
		}
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		f, ok, err := t.filingOf(ctx, workerID, out[i].CaseID, today)
		if err != nil {
			return nil, err
		}
		if ok {
			out[i].FilingKind, out[i].FilingEnd = string(f.Kind), f.ValidTo
		}
	}
	return out, nil
}

// workerOfPsnNo resolves a psn_no the interface gave out.
func (o *HISOps) workerOfPsnNo(ctx context.Context, psnNo string) (registry.Worker, error) {
	bad := errs.Field("input.psn_no", "not_found", "psn_no（人员编号）不存在")
	if len(psnNo) != 18 || psnNo[6] != '0' {
		return registry.Worker{}, bad
	}
	id, err := strconv.ParseInt(psnNo[7:], 10, 64)
	if err != nil {
		return registry.Worker{}, bad
	}
	w, err := findWorker(ctx, o.t, o.t.s.pii, anyRegion, `id = $1`, id)
	if err != nil || settlement.PsnNo(settlement.PoolingRegion(w.RegionCode), w.ID) != psnNo {
		return registry.Worker{}, bad
	}
	return w, nil
}

// anyRegion lets the hospital interface find any registered worker: an
// institution elsewhere treats workers insured here (remote treatment).
var anyRegion = access.Scope{Prefix: ""}
