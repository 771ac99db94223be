package hisapi

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/his"
	"gongshang/internal/param"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// run checks the envelope against the institution and runs the
// transaction on its input, decoded before the store transaction began
// (decoded, or the decoding error to refuse with), with the parameter set
// read before it too: the store transaction holds SQLite's one write
// lock, so work that needs no database stays outside it. The output is
// the infno's output struct.
func (h *Handler) run(ctx context.Context, ops *store.HISOps, req his.Request, decoded any, decodeErr error, set *param.Set) (any, string, error) {
	inst := ops.Institution()
	if req.FixmedinsCode != inst.Code {
		return nil, "", errs.Field("fixmedins_code", "mismatch", his.MsgInstitution)
	}
	if why := inst.Refusal(settlement.Day(ops.Now())); why != "" {
		return nil, "", errs.E(errs.Conflict, "%s", why)
	}
	if decodeErr != nil {
		return nil, "", decodeErr
	}
	switch in := decoded.(type) {
	case *his.SignInInput:
		no, err := ops.SignIn(ctx, in.SignIn.OpterNo)
		return his.SignInOutput{Signinoutb: his.SignInResult{SignTime: his.FormatDateTime(ops.Now()), SignNo: no}}, "", err
	case *his.PersonInput:
		return h.person(ctx, ops, in)
	case *his.AdmissionInput:
		return h.admit(ctx, ops, req, in)
	case *his.DischargeInput:
		end, _ := his.ParseDateTime(in.Dscginfo.Endtime)
		err := ops.Discharge(ctx, in.Dscginfo.MdtrtID, in.Dscginfo.PsnNo, end, in.Dscginfo.DscgWay)
		return his.Empty{}, "", err
	case *his.CancelAdmissionInput:
		return his.Empty{}, "", ops.CancelAdmission(ctx, in.Data.MdtrtID, in.Data.PsnNo)
	case *his.FeeInput:
		return h.upload(ctx, ops, in)
	case *his.CancelLinesInput:
		_, err := ops.CancelLines(ctx, in.Data.MdtrtID, in.Data.PsnNo, in.Data.FeedetlSn)
		return his.Empty{}, "", err
	case *his.SettleInput:
		return h.settle(ctx, ops, req.Infno, in, set)
	case *his.CancelSettlementInput:
		c, err := ops.CancelSettlement(ctx, in.Data.SetlID, in.Data.MdtrtID, in.Data.PsnNo)
		if err != nil {
			return nil, "", err
		}
		return his.CancelSettlementOutput{Setlinfo: setlInfo(c, inst, in.Data.PsnNo, "")}, "", nil
	case *his.ReversalInput:
		return his.Empty{}, "", ops.Reverse(ctx, in.Data.PsnNo, in.Data.Omsgid, in.Data.Oinfno)
	case *his.AuditInput:
		fs, err := ops.AuditOnly(ctx, in.Data.MdtrtID, in.Data.PsnNo)
		return his.AuditOutput{Result: findings(fs)}, "", err
	case *his.ReconcileTotalsInput:
		d := in.Data
		theirs := settlement.TotalsLine{MedFee: int64(d.MedfeeSumamt), FundPay: int64(d.FundPaySumamt), Count: d.FixmedinsSetlCnt}
		r, text, err := ops.ReconcileTotals(ctx, d.StmtBegndate, d.StmtEnddate, theirs)
		return his.ReconcileTotalsOutput{Stmtinfo: his.StmtInfo{SetlOptins: d.SetlOptins, StmtRslt: r, StmtRsltDscr: text}}, "", err
	case *his.ReconcileLinesInput:
		return h.reconcileLines(ctx, ops, in)
	}
	return nil, "", errs.Field("infno", "unknown", his.MsgUnknownInfno)
}

func (h *Handler) person(ctx context.Context, ops *store.HISOps, in *his.PersonInput) (any, string, error) {
	certno := in.Data.Certno
	if certno == "" {
		certno = in.Data.MdtrtCertNo
	}
	p, err := ops.Person(ctx, certno, in.Data.PsnName)
	if err != nil {
		return nil, "", err
	}
	out := his.PersonOutput{Baseinfo: his.BaseInfo{PsnNo: p.PsnNo, PsnCertType: "01", Certno: p.IDNumber, PsnName: p.Name,
		Gend: gender(p.Sex), Brdy: p.Birth, Age: age(p.Birth, ops.Now())}}
	if p.Insured {
		out.Insuinfo = []his.InsuInfo{{Insutype: his.InsutypeInjury, PsnType: "11", PsnInsuStas: "1", InsuplcAdmdvs: p.InsuredRegion, EmpName: p.EmployerName}}
	}
	warn := ""
	for _, in := range p.Injuries {
		out.Injuryinfo = append(out.Injuryinfo, his.InjuryInfo{InjuryID: in.ID, InjuryDate: in.InjuryDate, RcgnDate: in.RecognisedOn,
			InjuredParts: in.Parts, DiagCode: in.DiagCode, DiagName: in.DiagName, Status: in.Status, FilingType: in.FilingKind, FilingEnd: in.FilingEnd})
	}
	if !p.Insured && len(p.Injuries) == 0 {
		warn = "该人员未参加工伤保险或已停保"
	}
	return out, warn, nil
}

func gender(sex string) string {
	if sex == "F" {
		return "2"
	}
	return "1"
}

func age(birth string, now time.Time) int {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return 0
	}
	n := now.In(settlement.CST)
	a := n.Year() - b.Year()
	if n.Month() < b.Month() || n.Month() == b.Month() && n.Day() < b.Day() {
		a--
	}
	return a
}

func (h *Handler) admit(ctx context.Context, ops *store.HISOps, req his.Request, in *his.AdmissionInput) (any, string, error) {
	m := in.Mdtrtinfo
	begin, _ := his.ParseDateTime(m.Begntime)
	if begin.After(ops.Now().Add(10 * time.Minute)) {
		return nil, "", errs.Field("input.mdtrtinfo.begntime", "future", "begntime（开始时间）不能晚于当前时间")
	}
	diag, diagName := m.DscgMaindiagCode, m.DscgMaindiagName
	for _, d := range in.Diseinfo {
		if diag == "" || d.MaindiagFlag == "1" {
			diag, diagName = d.DiagCode, d.DiagName
		}
	}
	if diagName == "" {
		diagName = m.AdmDiagDscr
	}
	a := store.Admission{PsnNo: m.PsnNo, CertNo: m.MdtrtCertNo, MedType: settlement.MedType(m.MedType), Begin: begin, IptNo: m.IptNo,
		Dept: m.AdmDeptName, Bed: m.AdmBed, Doctor: m.ChfpdrName, DiagCode: diag, DiagName: diagName, InjuryID: m.InjuryID}
	if m.MdtrtCertType != "" && m.MdtrtCertType != "02" {
		a.CertNo = ""
	}
	e, err := ops.Admit(ctx, a)
	if err != nil {
		return nil, "", err
	}
	warn := ""
	if !e.Payable {
		warn = his.MsgPendingInjury
	}
	if req.InsuplcAdmdvs != "" && req.InsuplcAdmdvs != e.InsuredRegion {
		warn = join(warn, fmt.Sprintf("insuplc_admdvs（参保地）应为%s", e.InsuredRegion))
	}
	return his.AdmissionOutput{Result: his.AdmissionResult{MdtrtID: e.MdtrtID, PsnNo: e.PsnNo, IptOtpNo: e.IptNo}}, warn, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "；" + b
}

func (h *Handler) upload(ctx context.Context, ops *store.HISOps, in *his.FeeInput) (any, string, error) {
	first := in.Feedetail[0]
	lines := make([]settlement.Line, len(in.Feedetail))
	for i, f := range in.Feedetail {
		if f.MdtrtID != first.MdtrtID || f.PsnNo != first.PsnNo {
			return nil, "", errs.Field(fmt.Sprintf("input.feedetail[%d].mdtrt_id", i), "mixed", "一次上传的明细应属于同一就诊（mdtrt_id、psn_no相同）")
		}
		at, _ := his.ParseDateTime(f.FeeOcurTime)
		lines[i] = settlement.Line{SN: f.FeedetlSn, FeeTime: at, Code: catalogue.NormalizeCode(f.MedListCodg), HospCode: f.MedinsListCodg,
			Qty: int64(f.Cnt), Price: int64(f.Pric), Amount: int64(f.DetItemFeeSumamt), Dept: f.BilgDeptCodg, Doctor: f.BilgDrCodg}
		if want := settlement.Times(lines[i].Qty, lines[i].Price); abs(want-lines[i].Amount) > 1 {
			return nil, "", errs.Field(fmt.Sprintf("input.feedetail[%d].det_item_fee_sumamt", i), "mismatch",
				"det_item_fee_sumamt（明细项目费用总额）%s元应等于pric（单价）×cnt（数量）=%s元", his.Amount(lines[i].Amount), his.Amount(want))
		}
	}
	priced, err := ops.UploadLines(ctx, first.MdtrtID, first.PsnNo, lines)
	if err != nil {
		return nil, "", err
	}
	out := his.FeeOutput{Result: make([]his.FeeResult, len(priced))}
	for i, l := range priced {
		out.Result[i] = his.FeeResult{FeedetlSn: l.SN, DetItemFeeSumamt: his.Amount(l.Amount), Cnt: his.Qty(l.Qty), Pric: his.Amount(l.Price),
			PricUplmtAmt: his.Amount(l.Ceiling), SelfpayProp: his.Ratio(l.SelfpayPct), FulamtOwnpayAmt: his.Amount(l.OwnPay),
			OverlmtAmt: his.Amount(l.OverLimit), InscpScpAmt: his.Amount(l.InScope), ChrgitmLv: l.ItemLevel,
			MedChrgitmType: chargeType(l), Memo: l.Memo}
	}
	return out, "", nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// chargeType is the national 医疗收费项目类别 of a line's category.
func chargeType(l settlement.Line) string {
	switch l.Category {
	case "drug":
		return "09" // 西药费
	case "bed":
		return "01" // 床位费
	case "material":
		return "08" // 卫生材料费
	case "rehab":
		return "05" // 治疗费
	case "device":
		return "14" // 其他费
	case "item":
		return "05"
	}
	return "14"
}

func (h *Handler) settle(ctx context.Context, ops *store.HISOps, infno string, in *his.SettleInput, set *param.Set) (any, string, error) {
	d := in.Data
	var b store.Bill
	var err error
	if infno == his.InfnoPreSettle {
		b, err = ops.PreSettle(ctx, d.MdtrtID, d.PsnNo, int64(d.MedfeeSumamt))
	} else {
		b, err = ops.Settle(ctx, set, d.MdtrtID, d.PsnNo, int64(d.MedfeeSumamt))
	}
	if err != nil {
		return nil, "", err
	}
	out := his.SettleOutput{Setlinfo: setlInfo(b.Settlement, ops.Institution(), d.PsnNo, b.Encounter.PsnName),
		Setldetail: []his.SetlDetail{{FundPayType: his.FundPayTypeInjury, FundPayTypeName: "工伤保险基金",
			InscpScpAmt: his.Amount(b.Settlement.InScope), FundPayamt: his.Amount(b.Settlement.FundPay)}},
		Auditinfo: findings(b.Result.Findings)}
	if infno == his.InfnoPreSettle {
		out.Setlinfo.SetlID = ""
	}
	warn := b.Warn
	if b.Settlement.MealFen > 0 {
		warn = join(warn, fmt.Sprintf("住院伙食补助费%d天共%s元已核定为职工待遇（不计入本次结算）", b.Settlement.MealDays, his.Amount(b.Settlement.MealFen)))
	}
	return out, warn, nil
}

func setlInfo(st settlement.Settlement, inst settlement.Institution, psnNo, psnName string) his.SetlInfo {
	return his.SetlInfo{SetlID: st.SetlID, MdtrtID: settlement.MdtrtID(st.TreatRegion, st.EncounterID), PsnNo: psnNo, PsnName: psnName,
		Insutype: his.InsutypeInjury, MedType: string(st.MedType), SetlTime: his.FormatDateTime(st.At), MedfeeSumamt: his.Amount(st.MedFee),
		FulamtOwnpayAmt: his.Amount(st.OwnPay), OverlmtSelfpay: his.Amount(st.OverLimit), InscpScpAmt: his.Amount(st.InScope),
		FundPaySumamt: his.Amount(st.FundPay), PsnCashPay: his.Amount(st.CashPay), ClrOptins: st.TreatRegion, ClrWay: "1", ClrType: clrType(st.MedType)}
}

// clrType is the clearing category: 11 outpatient, 21 inpatient.
func clrType(m settlement.MedType) string {
	if m.Stay() {
		return "21"
	}
	return "11"
}

func findings(fs []settlement.Finding) []his.Finding {
	out := make([]his.Finding, len(fs))
	for i, f := range fs {
		out[i] = his.Finding{RuleID: f.RuleID, RuleName: f.RuleName, VolaCont: f.Content, VolaAmt: his.Amount(f.Amount),
			SevDeg: f.Severity.Name(), VolaEvid: f.Evidence, VolaBhvrType: f.Category, FeedetlSn: f.LineSN}
	}
	return out
}

func (h *Handler) reconcileLines(ctx context.Context, ops *store.HISOps, in *his.ReconcileLinesInput) (any, string, error) {
	d := in.Data
	theirs := make([]settlement.DetailLine, len(d.Detail))
	for i, l := range d.Detail {
		theirs[i] = settlement.DetailLine{SetlID: l.SetlID, MedFee: int64(l.MedfeeSumamt), FundPay: int64(l.FundPaySumamt),
			CashPay: int64(l.PsnCashPay), Refunded: l.RefdSetlFlag == "1"}
	}
	diffs, err := ops.ReconcileLines(ctx, d.StmtBegndate, d.StmtEnddate, theirs)
	if err != nil {
		return nil, "", err
	}
	out := his.ReconcileLinesOutput{Result: make([]his.StmtLine, len(diffs))}
	for i, df := range diffs {
		out.Result[i] = his.StmtLine{SetlID: df.SetlID, StmtRslt: df.Result, StmtRsltDscr: df.Text}
	}
	warn := ""
	if len(diffs) == 0 {
		warn = "明细对账平衡：" + strconv.Itoa(len(theirs)) + "笔"
	}
	return out, warn, nil
}
