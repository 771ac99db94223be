package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"gongshang/internal/config"
	"gongshang/internal/demo"
	"gongshang/internal/his"
	"gongshang/internal/hissim"
	"gongshang/internal/store"
)

// demoTrafficPersons bounds the demo's first day of hospital traffic.
const demoTrafficPersons = 24

// demoTraffic gives a fresh demo a day of direct settlement, sent the way a
// hospital sends it: the demo's hospitals settle through the real interface
// over loopback (internal/hissim, signed with their demo credentials) for
// the workers with a recognised injury — other than the fixtures' test
// persons, which stay untouched for HIS vendors. Every fourth stay charges
// some items twice (suspicious findings for the review queue); every
// seventh settlement is cancelled again (2305). At the end of the day each
// hospital reconciles its totals (3201); the first hospital that cancelled
// declares its totals as if it had not, so the reconciliation shows a
// difference. It returns how many settlements it made.
func demoTraffic(ctx context.Context, cfg config.Config, s *store.Store, seed uint64, log *slog.Logger) (int, error) {
	f, err := demo.ReadFixtures(ctx, s, seed, time.Now())
	if err != nil {
		return 0, err
	}
	persons, err := demo.TrafficPersons(ctx, s, f, demoTrafficPersons)
	if err != nil {
		return 0, err
	}
	fx, hp, err := asSimulator(f, persons)
	if err != nil {
		return 0, err
	}
	h, err := mount(cfg, s, log, nil)
	if err != nil {
		return 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	items := fx.CoveredItems("drug", "item", "material", "bed")
	active := map[string]bool{}
	for _, in := range f.Institutions {
		active[in.Code] = in.Status == "active"
	}
	type day struct {
		c           *hissim.Client
		medfee, fun his.Amount
		n           int
	}
	days := map[string]*day{}
	var order []string
	forgot := false
	settled := 0
	for i, p := range hp {
		var inst *hissim.FixtureInstitution
		for _, in := range fx.InstitutionsIn(p.TreatAdmvs, "medical") {
			if active[in.FixmedinsCode] {
				inst = &in
				break
			}
		}
		if inst == nil {
			continue
		}
		c := &hissim.Client{BaseURL: base, Inst: *inst, Opter: "DEMO", OpterName: "演示收费员"}
		opts := hissim.FlowOptions{Lines: 6 + (i*7)%30, Catalog: items}
		if i%4 == 1 {
			opts.Duplicates = 2
		}
		r, err := c.FlowWith(ctx, p, opts)
		if err != nil {
			log.Warn("demo traffic: a flow failed", "person", p.PsnName, "institution", inst.FixmedinsCode, "err", err)
			continue
		}
		settled++
		d := days[inst.FixmedinsCode]
		if d == nil {
			d = &day{c: c}
			days[inst.FixmedinsCode] = d
			order = append(order, inst.FixmedinsCode)
		}
		si := r.Settle.Setlinfo
		d.medfee, d.fun, d.n = d.medfee+si.MedfeeSumamt, d.fun+si.FundPaySumamt, d.n+1
		if i%7 == 3 {
			// A HIS names the insured region from its last 1101.
			q := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p.Certno, PsnCertType: "01", Certno: p.Certno, PsnName: p.PsnName}}
			if _, err := c.Call(ctx, his.InfnoPerson, q, nil); err != nil {
				return settled, fmt.Errorf("demo traffic: 1101: %w", err)
			}
			in := his.CancelSettlementInput{Data: his.SettlementRef{SetlID: r.SetlID, MdtrtID: r.MdtrtID, PsnNo: r.PsnNo}}
			if _, err := c.Call(ctx, his.InfnoCancelSettlement, in, nil); err != nil {
				return settled, fmt.Errorf("demo traffic: 2305: %w", err)
			}
			if forgot {
				d.medfee, d.fun, d.n = d.medfee-si.MedfeeSumamt, d.fun-si.FundPaySumamt, d.n-1
			}
			forgot = true
		}
	}
	today := his.FormatDate(time.Now())
	for _, code := range order {
		d := days[code]
		in := his.ReconcileTotalsInput{Data: his.ReconcileTotals{Insutype: his.InsutypeInjury, ClrType: "21", SetlOptins: "370800",
			StmtBegndate: today, StmtEnddate: today, MedfeeSumamt: d.medfee, FundPaySumamt: d.fun, FixmedinsSetlCnt: d.n}}
		if _, err := d.c.Call(ctx, his.InfnoReconcileTotals, in, nil); err != nil {
			return settled, fmt.Errorf("demo traffic: 3201: %w", err)
		}
	}
	if settled == 0 && len(hp) > 0 {
		return 0, errors.New("demo traffic: no flow settled")
	}
	return settled, nil
}

// asSimulator reads the demo's fixtures and persons as the simulator does
// (the JSON a HIS vendor gets).
func asSimulator(f demo.Fixtures, persons []demo.FixturePerson) (hissim.Fixtures, []hissim.FixturePerson, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return hissim.Fixtures{}, nil, err
	}
	fx, err := hissim.ParseFixtures(b)
	if err != nil {
		return fx, nil, err
	}
	b, err = json.Marshal(persons)
	if err != nil {
		return fx, nil, err
	}
	var hp []hissim.FixturePerson
	return fx, hp, json.Unmarshal(b, &hp)
}
