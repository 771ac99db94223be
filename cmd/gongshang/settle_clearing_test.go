package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/his"
	"gongshang/internal/hissim"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// TestSettleClearingRefusesUndo: once a settlement is in a monthly
// clearing statement, the hospital can neither cancel it (2305) nor
// reverse it (2601) over the real interface; a settlement not yet cleared
// still can. Both engines.
func TestSettleClearingRefusesUndo(t *testing.T) {
	for _, eng := range []struct {
		name string
		open func(testing.TB, *storetest.Clock) *store.Store
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			e := newSettleEnv(t, eng.open)
			ctx := context.Background()
			items := e.fx.CoveredItems("drug", "item", "material")
			local := e.person(t, hissim.KindRecognized, 0)
			remote := e.person(t, hissim.KindRemoteValid, 0)
			lc, rc := e.client(t, local.TreatAdmvs, "medical"), e.client(t, remote.TreatAdmvs, "medical")
			lr, err := lc.Flow(ctx, local, 8, items)
			if err != nil {
				t.Fatal(err)
			}
			rr, err := rc.Flow(ctx, remote, 8, items)
			if err != nil {
				t.Fatal(err)
			}
			// Both were settled last month (the test cannot wait a month).
			last := e.s.Now().In(settlement.CST).AddDate(0, -1, 0)
			month := last.Format("2006-01")
			for _, id := range []string{lr.SetlID, rr.SetlID} {
				if _, err := e.s.DB().ExecContext(ctx, `UPDATE settlements SET setl_day = $1 WHERE id = $2`, last.Format(time.DateOnly), rowID(t, id)); err != nil {
					t.Fatal(err)
				}
			}
			officer := access.Principal{UserID: 1, Username: "jn-benefits", Name: "清算员", Kind: access.KindStaff, Role: access.RoleBenefits, RegionCode: "370800"}
			jn, err := e.s.CloseClearing(ctx, officer, month, "370800")
			if err != nil || jn.Settlements != 1 {
				t.Fatalf("Jining close: %+v %v", jn, err)
			}
			officer.RegionCode = "370100"
			other, err := e.s.CloseClearing(ctx, officer, month, "370100")
			if err != nil || other.Settlements != 1 || len(other.Statements) != 2 {
				t.Fatalf("济南 close: %+v %v", other, err)
			}

			for _, tc := range []struct {
				c    *hissim.Client
				p    hissim.FixturePerson
				r    hissim.FlowResult
				name string
			}{{lc, local, lr, "local"}, {rc, remote, rr, "remote"}} {
				lookUp(t, tc.c, tc.p)
				cancel := his.CancelSettlementInput{Data: his.SettlementRef{SetlID: tc.r.SetlID, MdtrtID: tc.r.MdtrtID, PsnNo: tc.r.PsnNo}}
				_, err := tc.c.Call(ctx, his.InfnoCancelSettlement, cancel, nil)
				var ref *hissim.Refusal
				if !errors.As(err, &ref) || !strings.Contains(ref.ErrMsg, "月度清算") {
					t.Errorf("%s 2305 of a cleared settlement: %v", tc.name, err)
				}
				var msgid string
				if err := e.s.DB().QueryRowContext(ctx, `SELECT msgid FROM settlements WHERE id = $1`, rowID(t, tc.r.SetlID)).Scan(&msgid); err != nil {
					t.Fatal(err)
				}
				rev := his.ReversalInput{Data: his.Reversal{PsnNo: tc.r.PsnNo, Omsgid: msgid, Oinfno: his.InfnoSettle}}
				if _, err := tc.c.Call(ctx, his.InfnoReversal, rev, nil); !errors.As(err, &ref) || !strings.Contains(ref.ErrMsg, "月度清算") {
					t.Errorf("%s 2601 of a cleared settlement: %v", tc.name, err)
				}
				var state string
				var stmt int64
				if err := e.s.DB().QueryRowContext(ctx, `SELECT state, statement_id FROM settlements WHERE id = $1`, rowID(t, tc.r.SetlID)).Scan(&state, &stmt); err != nil {
					t.Fatal(err)
				}
				if state != "valid" || stmt == 0 {
					t.Errorf("%s settlement after the refusals: %s in statement %d", tc.name, state, stmt)
				}
			}

			// A settlement of this month is in no statement: it may be cancelled.
			again := e.person(t, hissim.KindRecognized, 1)
			ac := e.client(t, again.TreatAdmvs, "medical")
			ar, err := ac.Flow(ctx, again, 4, items)
			if err != nil {
				t.Fatal(err)
			}
			lookUp(t, ac, again)
			cancel := his.CancelSettlementInput{Data: his.SettlementRef{SetlID: ar.SetlID, MdtrtID: ar.MdtrtID, PsnNo: ar.PsnNo}}
			if _, err := ac.Call(ctx, his.InfnoCancelSettlement, cancel, nil); err != nil {
				t.Errorf("2305 of an uncleared settlement: %v", err)
			}
		})
	}
}

// rowID is a setl_id's row id (its last eleven digits).
func rowID(t *testing.T, setlID string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(setlID[len(setlID)-11:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// lookUp sends the 1101 whose insuplc_admdvs the client's next envelopes
// carry.
func lookUp(t *testing.T, c *hissim.Client, p hissim.FixturePerson) {
	t.Helper()
	in := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p.Certno, PsnCertType: "01", Certno: p.Certno}}
	if _, err := c.Call(context.Background(), his.InfnoPerson, in, nil); err != nil {
		t.Fatal(err)
	}
}
