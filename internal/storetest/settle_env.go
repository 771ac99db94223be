package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/catalogue"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// settleEnv is a store with the sample catalogue and institutions, for
// driving settlements through store.HIS the way the hospital interface
// does (without the envelope).
type settleEnv struct {
	t     *testing.T
	s     *store.Store
	c     *Clock
	items []catalogue.Entry // covered drugs without limits
	seq   int
}

func newSettleEnv(t *testing.T, s *store.Store, c *Clock) *settleEnv {
	t.Helper()
	book, err := s.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(book.Entries()) == 0 {
		rows, bundles := catalogue.Sample()
		if _, err := s.ImportCatalogue(ctx, Actor(access.RoleAdmin, "370800"), rows, bundles); err != nil {
			t.Fatal(err)
		}
		if book, err = s.Catalogue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	e := &settleEnv{t: t, s: s, c: c}
	day := settlement.Day(c.T)
	for _, en := range book.Entries() {
		if en.Category == catalogue.Drug && en.Covered && en.ValidOn(day) && en.Ceiling(3) > 0 && en.PerDay == 0 && en.PerStay == 0 &&
			en.MinInterval == 0 && (en.Region == "370000" || en.Region == "000000") {
			e.items = append(e.items, en)
		}
	}
	if len(e.items) < 3 {
		t.Fatalf("sample catalogue has %d plain covered drugs", len(e.items))
	}
	return e
}

// institution registers an active level-3 hospital in region.
func (e *settleEnv) institution(region string) settlement.Institution {
	e.t.Helper()
	n := serial.Add(1) % 100000
	in := settlement.Institution{Code: fmt.Sprintf("H%s%05d", region, n), Name: fmt.Sprintf("测试医院%d", n), RegionCode: region,
		Type: settlement.Medical, Level: 3, Beds: 100, AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
	actor := access.System
	actor.RegionCode = settlement.Province(region)
	if err := e.s.CreateInstitution(ctx, actor, &in); err != nil {
		e.t.Fatal(err)
	}
	return in
}

// recognised makes a worker of region whose injury is recognised.
func (e *settleEnv) recognised(region string) (registry.Worker, *casebundle.Case) {
	e.t.Helper()
	c := MustCase(e.t, e.s, region)
	for _, m := range []string{"application_form", "diagnosis"} {
		if _, err := e.s.DB().ExecContext(ctx, `INSERT INTO case_files (case_id, material, sha256, size, content_type, file_name, uploaded_kind, uploaded_at)
			VALUES ($1, $2, $3, 1, 'application/pdf', 'x.pdf', 'staff', CURRENT_TIMESTAMP)`, c.ID, m, strings.Repeat("a", 64)); err != nil {
			e.t.Fatal(err)
		}
	}
	rec := Actor(access.RoleRecognition, region)
	rid := c.Service(casebundle.Recognition).ID
	if _, _, err := e.s.ActOnCase(ctx, rec, params(e.t), c.ID, rid, casebundle.Action{Name: casebundle.ActAccept, On: "2026-02-24"}); err != nil {
		e.t.Fatal(err)
	}
	if _, _, err := e.s.ActOnCase(ctx, rec, params(e.t), c.ID, rid, casebundle.Action{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised, Ground: "14.1"}); err != nil {
		e.t.Fatal(err)
	}
	w, err := e.s.FindWorkerByID(ctx, access.ScopeOf(region), c.WorkerID)
	if err != nil {
		e.t.Fatal(err)
	}
	return w, c
}

// his runs fn as one hospital transaction of inst; a refusal is returned
// as the error (and, as in the interface, only the refusal is archived).
func (e *settleEnv) his(inst settlement.Institution, infno string, fn func(ops *store.HISOps) error) (string, error) {
	e.seq++
	msgid := fmt.Sprintf("%s%s%06d", inst.Code, e.c.T.In(settlement.CST).Format("20060102150405"), e.seq)
	var refused error
	_, _, err := e.s.HIS(ctx, store.HISCall{Inst: inst, Msgid: msgid, Infno: infno, Digest: store.Digest(infno, []byte(msgid)),
		Request: []byte(`{"infno":"` + infno + `"}`), Nonce: msgid},
		func(ops *store.HISOps) (store.HISReply, error) {
			if err := fn(ops); err != nil {
				return store.HISReply{}, err
			}
			return store.HISReply{Body: []byte(`{"infcode":0}`)}, nil
		},
		func(err error) store.HISReply {
			refused = err
			return store.HISReply{Body: []byte(`{"infcode":-1}`), Infcode: -1}
		})
	if err == nil {
		err = refused
	}
	return msgid, err
}

// settled is one outpatient visit settled by store.HIS.
type settled struct {
	Encounter settlement.Encounter
	Bill      store.Bill
	PsnNo     string
}

// settle admits w at inst, uploads n lines (plus a duplicate of the first
// when dup, which the rules flag as suspicious) and settles.
func (e *settleEnv) settle(inst settlement.Institution, w registry.Worker, n int, dup bool) settled {
	e.t.Helper()
	var out settled
	out.PsnNo = settlement.PsnNo(settlement.PoolingRegion(w.RegionCode), w.ID)
	begin := e.c.T.Add(-2 * time.Hour)
	_, err := e.his(inst, "2304", func(ops *store.HISOps) error {
		enc, err := ops.Admit(ctx, store.Admission{PsnNo: out.PsnNo, MedType: settlement.Outpatient, Begin: begin, Dept: "骨科", DiagName: "左足骨折"})
		if err != nil {
			return err
		}
		out.Encounter = enc
		var lines []settlement.Line
		for i := range n {
			it := e.items[i%len(e.items)]
			price := it.Ceiling(3)
			lines = append(lines, settlement.Line{SN: fmt.Sprintf("L%03d", i+1), FeeTime: begin.Add(time.Duration(i+1) * time.Minute),
				Code: it.Code, Qty: settlement.QtyScale, Price: price, Amount: price, Doctor: "D01"})
		}
		if dup {
			d := lines[0]
			d.SN = "DUP1"
			lines = append(lines, d)
		}
		if _, err := ops.UploadLines(ctx, enc.MdtrtID, out.PsnNo, lines); err != nil {
			return err
		}
		var sum int64
		for _, l := range lines {
			sum += l.Amount
		}
		out.Bill, err = ops.Settle(ctx, params(e.t), enc.MdtrtID, out.PsnNo, sum)
		return err
	})
	if err != nil {
		e.t.Fatalf("settle at %s: %v", inst.Code, err)
	}
	return out
}

// cancel cancels a settlement through 2305.
func (e *settleEnv) cancel(inst settlement.Institution, st settled) error {
	_, err := e.his(inst, "2305", func(ops *store.HISOps) error {
		_, err := ops.CancelSettlement(ctx, st.Bill.Settlement.SetlID, st.Encounter.MdtrtID, st.PsnNo)
		return err
	})
	return err
}

// SettleIDs name a settlement of 任城区 with a pending suspicious finding,
// and a clearing statement of another 任城区 settlement, for tests that
// address them by id (the route walk).
type SettleIDs struct {
	Settlement, Finding, Statement int64
}

// MustSettlements makes SettleIDs in s: a 任城区 hospital, two recognised
// 任城区 workers settled now, one of them flagged, the other moved to last
// month and cleared by the city.
func MustSettlements(t *testing.T, s *store.Store) SettleIDs {
	t.Helper()
	e := newSettleEnv(t, s, &Clock{T: s.Now()})
	inst := e.institution("370811")
	w1, _ := e.recognised("370811")
	w2, _ := e.recognised("370811")
	a := e.settle(inst, w1, 2, true)
	b := e.settle(inst, w2, 1, false)
	last := s.Now().In(settlement.CST).AddDate(0, -1, 0)
	if _, err := s.DB().ExecContext(ctx, `UPDATE settlements SET setl_day = $1 WHERE id = $2`, last.Format(time.DateOnly), b.Bill.Settlement.ID); err != nil {
		t.Fatal(err)
	}
	actor := access.System
	actor.RegionCode = "370800"
	res, err := s.CloseClearing(ctx, actor, last.Format("2006-01"), "370800")
	if err != nil || len(res.Statements) != 1 {
		t.Fatalf("clearing: %+v %v", res, err)
	}
	var finding int64
	if err := s.DB().QueryRowContext(ctx, `SELECT id FROM settlement_findings WHERE settlement_id = $1`, a.Bill.Settlement.ID).Scan(&finding); err != nil {
		t.Fatal(err)
	}
	return SettleIDs{Settlement: a.Bill.Settlement.ID, Finding: finding, Statement: res.Statements[0].ID}
}
