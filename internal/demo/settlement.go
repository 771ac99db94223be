package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/catalogue"
	"gongshang/internal/param"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// The demo's direct-settlement test environment (his-interface.md § Test
// environment): the register's institutions with known credentials, the
// sample catalogue, and test persons of each kind. `gongshang demo
// fixtures` prints it as JSON.

const fixturesMetaKey = "demo_his_fixtures"

// Fixtures is the test environment in the shape his-interface.md gives.
type Fixtures struct {
	Institutions []FixtureInstitution `json:"institutions"`
	Persons      []FixturePerson      `json:"persons"`
	Catalog      []FixtureItem        `json:"catalog"`
}

// FixtureInstitution is a test institution with its credentials.
type FixtureInstitution struct {
	Code   string `json:"fixmedins_code"`
	Name   string `json:"fixmedins_name"`
	Admvs  string `json:"admvs"`
	Type   string `json:"type"`
	Level  int    `json:"level"`
	Status string `json:"status"`
	PaasID string `json:"paasid"`
	Token  string `json:"token"`
}

// FixturePerson is a test person.
type FixturePerson struct {
	Certno        string `json:"certno"`
	Name          string `json:"psn_name"`
	InsuplcAdmdvs string `json:"insuplc_admdvs"`
	Kind          string `json:"kind"` // recognized | pending | remote_valid | remote_expired | uninsured
	InjuryID      string `json:"injury_id"`
	DiagCode      string `json:"diag_code"`
	TreatAdmvs    string `json:"treat_admvs"`
}

// FixtureItem is a catalogue item.
type FixtureItem struct {
	Code     string  `json:"med_list_codg"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Price    float64 `json:"pric"`
	Ceiling  float64 `json:"pric_uplmt_amt"`
	Covered  bool    `json:"covered"`
}

// DemoToken is a demo institution's interface credentials, derived from
// the seed so `demo fixtures` and the loaded demo agree.
func DemoToken(seed uint64, code string) (paasid, token string) {
	h := sha256.Sum256([]byte("gongshang-demo-his|" + strconv.FormatUint(seed, 10) + "|" + code))
	return "gs" + strings.ToLower(code), hex.EncodeToString(h[:24])
}

// LoadSettlement registers the demo institutions with their credentials,
// imports the sample catalogue, enters the meal-allowance rate as the
// administrator would (U: Jining's figure was not found), and picks and
// prepares the test persons (filings for the remote ones). Run once, after
// LoadCases.
func LoadSettlement(ctx context.Context, s *store.Store, seed uint64, today time.Time) (Fixtures, error) {
	if v, err := s.Meta(ctx, fixturesMetaKey); err != nil || v != "" {
		return Fixtures{}, err
	}
	insts := Institutions(today)
	for i := range insts {
		in := &insts[i]
		// An institution of another province is registered by that
		// province's agency; the demo acts for it.
		actor := access.System
		actor.RegionCode = settlement.Province(in.RegionCode)
		if err := s.CreateInstitution(ctx, actor, in); err != nil {
			return Fixtures{}, fmt.Errorf("demo institution %s: %w", in.Code, err)
		}
		paasid, token := DemoToken(seed, in.Code)
		if err := s.SetInstitutionToken(ctx, actor, in.ID, paasid, token); err != nil {
			return Fixtures{}, err
		}
	}
	rows, bundles := catalogue.Sample()
	admin := access.Principal{Username: "jn-admin", Name: "演示管理员", Kind: access.KindStaff, Role: access.RoleAdmin, RegionCode: "370800"}
	if _, err := s.ImportCatalogue(ctx, admin, rows, bundles); err != nil {
		return Fixtures{}, fmt.Errorf("demo catalogue: %w", err)
	}
	if _, err := s.AddParamVersion(ctx, admin, param.Version{Table: "meal_allowance", Region: "370800", EffectiveFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Value: "30", Source: "S1", Confidence: param.Unconfirmed,
		Note: "演示数据：济宁市住院伙食补助费标准未查到，由管理员录入待核实的数值（条例第三十条第四款由统筹地区人民政府规定）"}); err != nil {
		return Fixtures{}, fmt.Errorf("demo meal allowance: %w", err)
	}
	persons, err := demoPersons(ctx, s, today)
	if err != nil {
		return Fixtures{}, err
	}
	b, _ := json.Marshal(persons)
	if err := s.SetMeta(ctx, fixturesMetaKey, string(b)); err != nil {
		return Fixtures{}, err
	}
	return ReadFixtures(ctx, s, seed, today)
}

// ReadFixtures reads the loaded test environment.
func ReadFixtures(ctx context.Context, s *store.Store, seed uint64, today time.Time) (Fixtures, error) {
	var f Fixtures
	v, err := s.Meta(ctx, fixturesMetaKey)
	if err != nil || v == "" {
		return f, err
	}
	if err := json.Unmarshal([]byte(v), &f.Persons); err != nil {
		return f, err
	}
	var insts []settlement.Institution
	for _, province := range []string{"370000", "320000"} {
		if err := s.EachInstitution(ctx, access.ScopeOf(province), store.InstitutionQuery{}, func(in settlement.Institution) error {
			insts = append(insts, in)
			return nil
		}); err != nil {
			return f, err
		}
	}
	for _, in := range insts {
		paasid, token := DemoToken(seed, in.Code)
		f.Institutions = append(f.Institutions, FixtureInstitution{Code: in.Code, Name: in.Name, Admvs: in.RegionCode, Type: string(in.Type),
			Level: in.Level, Status: string(in.Status), PaasID: paasid, Token: token})
	}
	book, err := s.Catalogue(ctx)
	if err != nil {
		return f, err
	}
	day := settlement.Day(today)
	for _, e := range book.Entries() {
		if !e.ValidOn(day) || (e.Region != "370000" && e.Region != "000000") {
			continue
		}
		p := float64(e.Ceiling(3)) / 100
		if e.Category == catalogue.Device && e.DeviceLimit > 0 {
			p = float64(e.DeviceLimit) / 100
		}
		f.Catalog = append(f.Catalog, FixtureItem{Code: e.Code, Name: e.Name, Category: string(e.Category), Price: p, Ceiling: p, Covered: e.Covered})
	}
	return f, nil
}

// LoadWithSettlement loads what a fresh `gongshang demo` loads before its
// hospital traffic — the registry at scale, the cases, the institutions,
// catalogue and test persons — and returns the fixtures.
func LoadWithSettlement(ctx context.Context, s *store.Store, seed uint64, scale float64, now time.Time) (Fixtures, error) {
	if _, err := Load(ctx, s, seed, scale, now); err != nil {
		return Fixtures{}, err
	}
	set, err := param.Default()
	if err != nil {
		return Fixtures{}, err
	}
	if _, err := LoadCases(ctx, s, set, seed, now); err != nil {
		return Fixtures{}, err
	}
	return LoadSettlement(ctx, s, seed, now)
}

// caseIDs lists the ids of every case, in order.
func caseIDs(ctx context.Context, s *store.Store) ([]int64, error) {
	rows, err := s.DB().QueryContext(ctx, `SELECT id FROM cases ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// demoPersons picks the test persons from the loaded cases.
func demoPersons(ctx context.Context, s *store.Store, today time.Time) ([]FixturePerson, error) {
	ids, err := caseIDs(ctx, s)
	if err != nil {
		return nil, err
	}
	var recognised, pending []casebundle.Case
	seen := map[int64]bool{}
	for _, id := range ids {
		c, err := s.FindCase(ctx, access.System, id)
		if err != nil {
			return nil, err
		}
		rec := c.Service(casebundle.Recognition)
		if rec == nil || seen[c.WorkerID] {
			continue
		}
		seen[c.WorkerID] = true
		switch {
		case rec.State == casebundle.Decided && rec.Detail.Outcome.Positive():
			recognised = append(recognised, c)
		case rec.State == casebundle.Accepted || rec.State == casebundle.Investigating:
			pending = append(pending, c)
		}
	}
	if len(recognised) < 6 || len(pending) < 1 {
		return nil, fmt.Errorf("demo: %d recognised and %d pending cases, too few for the test persons", len(recognised), len(pending))
	}
	var out []FixturePerson
	add := func(c casebundle.Case, kind, treat string) error {
		w, err := s.FindWorkerByID(ctx, access.ScopeOf("370000"), c.WorkerID)
		if err != nil {
			return err
		}
		out = append(out, FixturePerson{Certno: w.IDNumber, Name: w.Name, InsuplcAdmdvs: "370800", Kind: kind, InjuryID: c.Number,
			DiagCode: store.DiagCode(c.Diagnosis), TreatAdmvs: treat})
		return nil
	}
	for _, c := range recognised[:3] {
		if err := add(c, "recognized", c.RegionCode); err != nil {
			return nil, err
		}
	}
	for _, c := range pending[:min(2, len(pending))] {
		p := c
		if err := add(p, "pending", c.RegionCode); err != nil {
			return nil, err
		}
		out[len(out)-1].InjuryID = ""
	}
	clerk := access.Principal{Username: "jn-clerk", Name: "演示窗口", Kind: access.KindStaff, Role: access.RoleClerk, RegionCode: "370800"}
	set, err := param.Default()
	if err != nil {
		return nil, err
	}
	for i, treat := range []struct{ region, admvs, reason string }{{"370100", "370102", "随子女在济南长期居住"}, {"320300", "320311", "由单位派驻徐州项目部常驻工作"}} {
		c := recognised[3+i]
		kind := settlement.Residence
		if i == 1 {
			kind = settlement.Posted
		}
		f := settlement.Filing{CaseID: c.ID, Kind: kind, TreatRegion: treat.region, Reason: treat.reason, Channel: "window",
			ValidFrom: today.AddDate(0, 0, -20).Format(time.DateOnly)}
		if err := s.CreateFiling(ctx, clerk, set, &f); err != nil {
			return nil, fmt.Errorf("demo filing: %w", err)
		}
		if err := add(c, "remote_valid", treat.admvs); err != nil {
			return nil, err
		}
	}
	c := recognised[5]
	past := today.AddDate(-1, -2, 0).Format(time.DateOnly)
	f := settlement.Filing{CaseID: c.ID, WorkerID: c.WorkerID, RegionCode: c.RegionCode, Kind: settlement.Residence, TreatRegion: "370100",
		Reason: "曾在济南长期居住（备案已过期）", ValidFrom: past, ValidTo: today.AddDate(0, -2, -1).Format(time.DateOnly), FiledOn: past,
		State: settlement.FilingActive, Channel: "window"}
	if err := s.LoadFiling(ctx, clerk, &f); err != nil {
		return nil, err
	}
	if err := add(c, "remote_expired", "370102"); err != nil {
		return nil, err
	}
	u, err := uninsured(ctx, s, today)
	if err != nil {
		return nil, err
	}
	out = append(out, u)
	return out, nil
}

// uninsured takes a registered worker without a case and ends his
// employment a year ago: he is in the registry but not insured today.
func uninsured(ctx context.Context, s *store.Store, today time.Time) (FixturePerson, error) {
	var id int64
	err := s.DB().QueryRowContext(ctx, `SELECT w.id FROM workers w WHERE w.region_code = '370811'
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.worker_id = w.id) ORDER BY w.id DESC LIMIT 1`).Scan(&id)
	if err != nil {
		return FixturePerson{}, fmt.Errorf("demo: no worker to leave uninsured: %w", err)
	}
	scope := access.ScopeOf("370000")
	w, err := s.FindWorkerByID(ctx, scope, id)
	if err != nil {
		return FixturePerson{}, err
	}
	emps, err := s.Employments(ctx, scope, id)
	if err != nil {
		return FixturePerson{}, err
	}
	end := today.AddDate(-1, 0, 0).Format(time.DateOnly)
	clerk := access.Principal{Username: "rc-clerk", Name: "演示窗口", Kind: access.KindStaff, Role: access.RoleClerk, RegionCode: "370811"}
	for _, e := range emps {
		if e.End == "" || e.End > end {
			if e.Start > end {
				end = e.Start
			}
			if err := s.EndEmployment(ctx, clerk, id, e.ID, end); err != nil {
				return FixturePerson{}, fmt.Errorf("demo uninsured: %w", err)
			}
		}
	}
	return FixturePerson{Certno: w.IDNumber, Name: w.Name, InsuplcAdmdvs: "370800", Kind: "uninsured", TreatAdmvs: w.RegionCode}, nil
}
