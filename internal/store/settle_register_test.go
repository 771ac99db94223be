package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// newInstitution registers an institution in region with code.
func newInstitution(t *testing.T, s *store.Store, region, code, name string, typ settlement.InstitutionType, level int) settlement.Institution {
	t.Helper()
	in := settlement.Institution{Code: code, Name: name, RegionCode: region, Type: typ, Level: level, Beds: 300,
		AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Depts: []string{"骨科"}}
	if err := s.CreateInstitution(context.Background(), storetest.Actor(access.RoleAdmin, region), &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// The register list: scope, filters, sorts, the export's Each in the same
// order, the status change with its version, and the owners the pipeline
// checks.
func TestInstitutionList(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		s := open(t, storetest.NewClock())
		store.SetEachBatch(s, 2)
		ctx := context.Background()
		a := newInstitution(t, s, "370811", "H37081100001", "济宁市第一人民医院", settlement.Medical, 3)
		b := newInstitution(t, s, "370811", "H37081100002", "任城区康复医院", settlement.Rehab, 2)
		c := newInstitution(t, s, "370811", "H37081100003", "济宁安康医院", settlement.Medical, 1)
		w := newInstitution(t, s, "370826", "H37082600001", "微山县人民医院", settlement.Medical, 2)
		scope := access.ScopeOf("370811")
		got, total, err := s.FindInstitutions(ctx, scope, store.InstitutionQuery{}, store.Page{Limit: 50})
		if err != nil || total != 3 || len(got) != 3 || got[0].Code != a.Code {
			t.Fatalf("任城 scope: %d %v %v", total, codes(got), err)
		}
		for _, tt := range []struct {
			q    store.InstitutionQuery
			want []string
		}{
			{store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Type: settlement.Rehab}}, []string{b.Code}},
			{store.InstitutionQuery{Level: "1"}, []string{c.Code}},
			{store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Q: "人民"}}, []string{a.Code}},
			{store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Q: "h3708110000"}}, []string{a.Code, b.Code, c.Code}},
			{store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Q: "%"}}, nil},
			{store.InstitutionQuery{Sort: "level", Desc: true}, []string{a.Code, b.Code, c.Code}},
			{store.InstitutionQuery{Sort: "level"}, []string{c.Code, b.Code, a.Code}},
			{store.InstitutionQuery{Sort: "name"}, sortedByName(a, b, c)},
		} {
			got, _, err := s.FindInstitutions(ctx, scope, tt.q, store.Page{Limit: 50})
			if err != nil || !slices.Equal(codes(got), tt.want) {
				t.Errorf("%+v: %v, want %v (%v)", tt.q, codes(got), tt.want, err)
			}
			var each []settlement.Institution
			if err := s.EachInstitution(ctx, scope, tt.q, func(in settlement.Institution) error { each = append(each, in); return nil }); err != nil ||
				!slices.Equal(codes(each), tt.want) {
				t.Errorf("each %+v: %v, want %v (%v)", tt.q, codes(each), tt.want, err)
			}
		}
		if _, _, err := s.FindInstitutions(ctx, scope, store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Region: "370826"}}, store.Page{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a region outside the scope: %v", err)
		}
		if _, _, err := s.FindInstitutions(ctx, scope, store.InstitutionQuery{Sort: "beds"}, store.Page{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("an unknown sort: %v", err)
		}
		if o, err := s.OwnersOf(ctx, access.KindStaff, "institution", w.ID); err != nil || o.Region != "370826" || o.InstitutionID != w.ID {
			t.Errorf("owners %+v %v", o, err)
		}

		admin := storetest.Actor(access.RoleAdmin, "370811")
		if _, err := s.SetInstitutionStatus(ctx, admin, a.ID, a.Version, settlement.Suspended, ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("no reason: %v", err)
		}
		if _, err := s.SetInstitutionStatus(ctx, storetest.Actor(access.RoleAdmin, "370826"), a.ID, a.Version, settlement.Suspended, "检查"); !errs.Is(err, errs.NotFound) {
			t.Errorf("微山's admin suspends 任城's institution: %v", err)
		}
		if _, err := s.SetInstitutionStatus(ctx, storetest.Actor(access.RoleClerk, "370811"), a.ID, a.Version, settlement.Suspended, "检查"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a clerk suspends: %v", err)
		}
		after, err := s.SetInstitutionStatus(ctx, admin, a.ID, a.Version, settlement.Suspended, "飞行检查发现挂床住院")
		if err != nil || after.Status != settlement.Suspended || after.Version != a.Version+1 {
			t.Fatalf("suspend: %+v %v", after, err)
		}
		if _, err := s.SetInstitutionStatus(ctx, admin, a.ID, a.Version, settlement.Active, "整改完成"); !errs.Is(err, errs.Conflict) {
			t.Errorf("a stale version: %v", err)
		}
		got1, _ := s.FindInstitution(ctx, admin, a.ID)
		if got1.Status != settlement.Suspended || got1.StatusReason != "飞行检查发现挂床住院" || got1.Refusal("2026-03-02") == "" {
			t.Errorf("after suspension: %+v", got1)
		}
	})
}

func codes(ins []settlement.Institution) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Code)
	}
	return out
}

// sortedByName is the codes in the engines' byte order of the names.
func sortedByName(ins ...settlement.Institution) []string {
	slices.SortFunc(ins, func(a, b settlement.Institution) int {
		if a.Name < b.Name {
			return -1
		}
		return 1
	})
	return codes(ins)
}

// The catalogue list: category, coverage, the day, search, sorts, Each.
func TestCatalogueList(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		s := open(t, storetest.NewClock())
		store.SetEachBatch(s, 7)
		ctx := context.Background()
		es, bs := catalogue.Sample()
		if _, err := s.ImportCatalogue(ctx, storetest.Actor(access.RoleAdmin, "370800"), es, bs); err != nil {
			t.Fatal(err)
		}
		count := func(keep func(catalogue.Entry) bool) int {
			n := 0
			for _, e := range es {
				if keep(e) {
					n++
				}
			}
			return n
		}
		for _, tt := range []struct {
			q    store.CatalogueQuery
			want int
		}{
			{store.CatalogueQuery{}, len(es)},
			{store.CatalogueQuery{CatalogueFilter: store.CatalogueFilter{Category: catalogue.Device}}, count(func(e catalogue.Entry) bool { return e.Category == catalogue.Device })},
			{store.CatalogueQuery{Covered: "no"}, count(func(e catalogue.Entry) bool { return !e.Covered })},
			{store.CatalogueQuery{CatalogueFilter: store.CatalogueFilter{On: "2026-03-02"}}, count(func(e catalogue.Entry) bool { return e.ValidOn("2026-03-02") })},
			{store.CatalogueQuery{CatalogueFilter: store.CatalogueFilter{On: "2026-08-01"}, Sort: "name"}, count(func(e catalogue.Entry) bool { return e.ValidOn("2026-08-01") })},
			{store.CatalogueQuery{CatalogueFilter: store.CatalogueFilter{Q: "头孢"}, Sort: "code", Desc: true}, count(func(e catalogue.Entry) bool { return strings.Contains(e.Name, "头孢") })},
		} {
			got, total, err := s.FindCatalogue(ctx, tt.q, store.Page{Limit: 200})
			if err != nil || total != tt.want || tt.want == 0 {
				t.Errorf("%+v: %d rows, want %d (%v)", tt.q, total, tt.want, err)
				continue
			}
			var each []catalogue.Entry
			if err := s.EachCatalogueEntry(ctx, tt.q, func(e catalogue.Entry) error { each = append(each, e); return nil }); err != nil || len(each) != tt.want {
				t.Errorf("each %+v: %d, want %d (%v)", tt.q, len(each), tt.want, err)
				continue
			}
			for i := range min(len(got), 200) {
				if got[i].ID != each[i].ID {
					t.Errorf("each %+v: row %d is %s, the page's %s", tt.q, i, each[i].Code, got[i].Code)
					break
				}
			}
		}
		if _, _, err := s.FindCatalogue(ctx, store.CatalogueQuery{Covered: "maybe"}, store.Page{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad coverage: %v", err)
		}
	})
}

// Filings: the worker files on the portal for his own case only, never a
// referral; an employer, or staff without filing.manage, cannot file; the
// list shows a worker his own filings and staff their region's; a
// cancellation before the holding period is refused with the date.
func TestFilingOwnership(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		s := open(t, storetest.NewClock())
		ctx := context.Background()
		set, err := param.Default()
		if err != nil {
			t.Fatal(err)
		}
		mine := storetest.MustRecognisedCase(t, s, "370811")
		theirs := storetest.MustRecognisedCase(t, s, "370811")
		wk, err := s.FindWorkerByID(ctx, access.ScopeOf("370811"), mine.WorkerID)
		if err != nil {
			t.Fatal(err)
		}
		me := storetest.MustPortal(t, s, store.PortalWorker, mine.WorkerID, wk.IDNumber)
		residence := func(caseID int64) *settlement.Filing {
			return &settlement.Filing{CaseID: caseID, Kind: settlement.Residence, TreatRegion: "370100", Reason: "随子女在济南长期居住"}
		}
		if err := s.CreateFiling(ctx, me, set, residence(theirs.ID)); !errs.Is(err, errs.Invalid) {
			t.Errorf("a worker files for another worker's case: %v", err)
		}
		ref := &settlement.Filing{CaseID: mine.ID, Kind: settlement.Referral, TreatRegion: "370100", Institution: "H37010200001", Reason: "转上级医院"}
		if err := s.CreateFiling(ctx, me, set, ref); !errs.Is(err, errs.Invalid) {
			t.Errorf("a worker files a referral: %v", err)
		}
		emp := access.Principal{Kind: access.KindEmployer, EmployerID: mine.EmployerID, Name: "单位"}
		if err := s.CreateFiling(ctx, emp, set, residence(mine.ID)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("the employer files: %v", err)
		}
		if err := s.CreateFiling(ctx, storetest.Actor(access.RoleAssessment, "370811"), set, residence(mine.ID)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an assessment officer files: %v", err)
		}
		if err := s.CreateFiling(ctx, storetest.Actor(access.RoleClerk, "370881"), set, residence(mine.ID)); !errs.Is(err, errs.Invalid) {
			t.Errorf("曲阜's clerk files for 任城's case: %v", err)
		}
		f := residence(mine.ID)
		if err := s.CreateFiling(ctx, me, set, f); err != nil {
			t.Fatal(err)
		}
		if f.Channel != "portal" || f.WorkerID != mine.WorkerID || f.ValidTo != "2027-03-01" {
			t.Errorf("portal filing: %+v", f)
		}
		other := residence(theirs.ID)
		if err := s.CreateFiling(ctx, storetest.Actor(access.RoleClerk, "370811"), set, other); err != nil {
			t.Fatal(err)
		}
		rows, total, err := s.FindFilings(ctx, me, store.FilingQuery{}, store.Page{})
		if err != nil || total != 1 || rows[0].ID != f.ID || rows[0].CaseNumber != mine.Number || rows[0].WorkerName == "" {
			t.Fatalf("the worker's list: %d %+v %v", total, rows, err)
		}
		if _, total, _ := s.FindFilings(ctx, storetest.Actor(access.RoleClerk, "370800"), store.FilingQuery{}, store.Page{}); total != 2 {
			t.Errorf("the city sees %d filings", total)
		}
		if _, total, _ := s.FindFilings(ctx, storetest.Actor(access.RoleClerk, "370881"), store.FilingQuery{}, store.Page{}); total != 0 {
			t.Errorf("曲阜 sees %d filings", total)
		}
		if _, total, _ := s.FindFilings(ctx, emp, store.FilingQuery{}, store.Page{}); total != 0 {
			t.Errorf("an employer sees %d filings", total)
		}
		var each int
		if err := s.EachFiling(ctx, storetest.Actor(access.RoleClerk, "370811"), store.FilingQuery{Sort: "valid_to"}, func(store.FilingRow) error { each++; return nil }); err != nil || each != 2 {
			t.Errorf("each: %d %v", each, err)
		}
		if o, err := s.OwnersOf(ctx, access.KindWorker, "filing", f.ID); err != nil || o.WorkerID != mine.WorkerID || o.Region != "370811" {
			t.Errorf("owners %+v %v", o, err)
		}
		if err := s.CancelFiling(ctx, me, set, other.ID, other.Version, "不再需要"); !errs.Is(err, errs.NotFound) {
			t.Errorf("a worker cancels another's filing: %v", err)
		}
		err = s.CancelFiling(ctx, me, set, f.ID, f.Version, "已回济宁居住")
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "2026-06-02起") {
			t.Errorf("a cancellation in the holding period: %v", err)
		}
	})
}
