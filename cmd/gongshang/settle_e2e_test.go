package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/config"
	"gongshang/internal/demo"
	"gongshang/internal/his"
	"gongshang/internal/hissim"
	"gongshang/internal/param"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// settleEnv is a demo on a real store behind a real HTTP server, with the
// test environment's fixtures as a HIS vendor reads them.
type settleEnv struct {
	s    *store.Store
	url  string
	fx   hissim.Fixtures
	demo demo.Fixtures // with each institution's status
}

func newSettleEnv(t *testing.T, open func(testing.TB, *storetest.Clock) *store.Store) *settleEnv {
	t.Helper()
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Now().UTC()}
	s := open(t, clock)
	const seed = 20260301
	f, err := demo.LoadWithSettlement(ctx, s, seed, 0.05, clock.T)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f)
	fx, err := hissim.ParseFixtures(b)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := mount(cfg, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &settleEnv{s: s, url: srv.URL, fx: fx, demo: f}
}

func (e *settleEnv) client(t *testing.T, admvs, typ string) *hissim.Client {
	t.Helper()
	for _, d := range e.demo.Institutions {
		if d.Admvs != admvs || d.Type != typ || d.Status != "active" {
			continue
		}
		for _, in := range e.fx.InstitutionsIn(admvs, typ) {
			if in.FixmedinsCode == d.Code {
				return &hissim.Client{BaseURL: e.url, Inst: in}
			}
		}
	}
	t.Fatalf("no active %s institution in %s", typ, admvs)
	return nil
}

// clientNear is an active institution of typ in admvs, or else in the
// same city (device suppliers are few), signed in as its HIS.
func (e *settleEnv) clientNear(t *testing.T, admvs, typ string) *hissim.Client {
	t.Helper()
	for _, scope := range []string{admvs, admvs[:4]} {
		for _, d := range e.demo.Institutions {
			if !strings.HasPrefix(d.Admvs, scope) || d.Type != typ || d.Status != "active" {
				continue
			}
			for _, in := range e.fx.InstitutionsIn(d.Admvs, typ) {
				if in.FixmedinsCode == d.Code {
					return &hissim.Client{BaseURL: e.url, Inst: in}
				}
			}
		}
	}
	t.Fatalf("no active %s institution near %s", typ, admvs)
	return nil
}

func (e *settleEnv) person(t *testing.T, kind string, i int) hissim.FixturePerson {
	t.Helper()
	ps := e.fx.PersonsOf(kind)
	if len(ps) <= i {
		t.Fatalf("fixtures have %d %s persons", len(ps), kind)
	}
	return ps[i]
}

func TestSettleEndToEnd(t *testing.T) {
	for _, eng := range []struct {
		name string
		open func(testing.TB, *storetest.Clock) *store.Store
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			e := newSettleEnv(t, eng.open)
			ctx := context.Background()
			items := e.fx.CoveredItems("drug", "item", "material")

			t.Run("recognized", func(t *testing.T) {
				p := e.person(t, hissim.KindRecognized, 0)
				c := e.client(t, p.TreatAdmvs, "medical")
				r, err := c.Flow(ctx, p, 40, items)
				if err != nil {
					t.Fatal(err)
				}
				if r.SetlID == "" || r.Settle.Setlinfo.FundPaySumamt <= 0 {
					t.Fatalf("settled %+v", r.Settle.Setlinfo)
				}
				si := r.Settle.Setlinfo
				if si.FundPaySumamt+si.PsnCashPay != si.MedfeeSumamt || si.MedfeeSumamt != r.Medfee {
					t.Errorf("fund %v + cash %v != medfee %v (lines %v)", si.FundPaySumamt, si.PsnCashPay, si.MedfeeSumamt, r.Medfee)
				}
			})

			t.Run("pending then recognised", func(t *testing.T) {
				p := e.person(t, hissim.KindPending, 0)
				c := e.client(t, p.TreatAdmvs, "medical")
				r, err := c.Flow(ctx, p, 10, items)
				var ref *hissim.Refusal
				if !errors.As(err, &ref) || ref.Infno != his.InfnoSettle || !strings.Contains(ref.ErrMsg, "待认定") {
					t.Fatalf("pending 2304: %v", err)
				}
				decideRecognition(t, e.s, p.Certno)
				var person his.PersonOutput
				if _, err := c.Call(ctx, his.InfnoPerson, his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p.Certno,
					PsnCertType: "01", Certno: p.Certno, PsnName: p.PsnName}}, &person); err != nil {
					t.Fatal(err)
				}
				if len(person.Injuryinfo) == 0 || person.Injuryinfo[0].Status != "recognized" {
					t.Errorf("1101 after the decision shows %+v", person.Injuryinfo)
				}
				var out his.SettleOutput
				in := his.SettleInput{Data: his.Settlement{PsnNo: r.PsnNo, MdtrtCertType: "02", MdtrtCertNo: p.Certno, MedfeeSumamt: r.Medfee,
					PsnSetlway: "01", MdtrtID: r.MdtrtID, Insutype: his.InsutypeInjury, MidSetlFlag: "0", AcctUsedFlag: "0"}}
				if _, err := c.Call(ctx, his.InfnoSettle, in, &out); err != nil {
					t.Fatalf("2304 after recognition: %v", err)
				}
				if out.Setlinfo.SetlID == "" {
					t.Fatalf("no setl_id: %+v", out)
				}
			})

			t.Run("remote with filing", func(t *testing.T) {
				for i, want := range []string{"370102", "320311"} {
					p := e.person(t, hissim.KindRemoteValid, i)
					if p.TreatAdmvs != want {
						t.Fatalf("remote person %d treated in %s", i, p.TreatAdmvs)
					}
					c := e.client(t, p.TreatAdmvs, "medical")
					if _, err := c.Flow(ctx, p, 12, items); err != nil {
						t.Fatalf("remote flow in %s: %v", want, err)
					}
				}
			})

			t.Run("rehab and device", func(t *testing.T) {
				for _, tc := range []struct{ medType, typ, category string }{
					{his.MedTypeRehab, "rehab", "rehab"},
					{his.MedTypeDevice, "device", "device"},
				} {
					p := e.person(t, hissim.KindRecognized, 1)
					c := e.clientNear(t, p.TreatAdmvs, tc.typ)
					r, err := c.FlowOf(ctx, p, tc.medType, 4, e.fx.CoveredItems(tc.category))
					if err != nil {
						t.Fatalf("%s flow: %v", tc.medType, err)
					}
					si := r.Settle.Setlinfo
					if si.MedType != tc.medType || si.FundPaySumamt <= 0 || si.FundPaySumamt+si.PsnCashPay != si.MedfeeSumamt {
						t.Errorf("%s settled %+v", tc.medType, si)
					}
				}
			})

			t.Run("reliability", func(t *testing.T) { testSettleReliability(t, e) })

			t.Run("refused", func(t *testing.T) {
				cases := []struct {
					kind, want string
				}{
					{hissim.KindRemoteExpired, his.MsgNoFiling},
					{hissim.KindUninsured, "未参加工伤保险"},
				}
				for _, tc := range cases {
					p := e.person(t, tc.kind, 0)
					c := e.client(t, p.TreatAdmvs, "medical")
					_, err := c.Flow(ctx, p, 5, items)
					var ref *hissim.Refusal
					if !errors.As(err, &ref) || ref.Infno != his.InfnoAdmission || !strings.Contains(ref.ErrMsg, tc.want) {
						t.Errorf("%s: %v, want a 2401 refusal with %q", tc.kind, err, tc.want)
					}
				}
			})
		})
	}
}

// decideRecognition decides the pending case of the worker with certno as
// 认定工伤, as the recognition officer of its region would.
func decideRecognition(t *testing.T, s *store.Store, certno string) {
	t.Helper()
	ctx := context.Background()
	w, err := s.FindWorkerByIDNumber(ctx, access.ScopeOf("370000"), certno)
	if err != nil {
		t.Fatal(err)
	}
	var caseID int64
	if err := s.DB().QueryRowContext(ctx, `SELECT id FROM cases WHERE worker_id = $1 ORDER BY id DESC LIMIT 1`, w.ID).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	c, err := s.FindCase(ctx, access.System, caseID)
	if err != nil {
		t.Fatal(err)
	}
	rec := c.Service(casebundle.Recognition)
	officer := access.Principal{Username: "test-recognition", Name: "认定员", Kind: access.KindStaff, Role: access.RoleRecognition, RegionCode: c.RegionCode}
	set, _ := param.Default()
	if rec.State == casebundle.Suspended {
		t.Fatalf("pending case %s is suspended", c.Number)
	}
	_, _, err = s.ActOnCase(ctx, officer, set, c.ID, rec.ID, casebundle.Action{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised,
		Ground: "14.1", On: time.Now().Format(time.DateOnly)})
	if err != nil {
		t.Fatalf("decide %s (%s): %v", c.Number, rec.State, err)
	}
	// Delivering the decision letter leaves the worker recognised: the
	// hospital still sees it (1101) and may still settle (2304).
	c, err = s.FindCase(ctx, access.System, caseID)
	if err != nil {
		t.Fatal(err)
	}
	rec = c.Service(casebundle.Recognition)
	if _, _, err := s.ActOnCase(ctx, officer, set, c.ID, rec.ID, casebundle.Action{Name: casebundle.ActDeliver, Version: &rec.Version,
		On: time.Now().Format(time.DateOnly)}); err != nil {
		t.Fatalf("deliver %s: %v", c.Number, err)
	}
}
