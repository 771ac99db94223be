package hissim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongshang/internal/his"
)

// FlowSteps are the transactions of a flow, in order; FlowResult.Latency
// is indexed the same way.
var FlowSteps = [...]string{his.InfnoSignIn, his.InfnoPerson, his.InfnoAdmission, his.InfnoFeeUpload,
	his.InfnoDischarge, his.InfnoPreSettle, his.InfnoSettle}

// The indexes of FlowSteps.
const (
	StepSignIn = iota
	StepPerson
	StepAdmission
	StepFees
	StepDischarge
	StepPreSettle
	StepSettle
	numSteps
)

// FlowResult is what one flow produced. Latency[StepSignIn] is zero when
// the client had signed in before; Latency[StepFees] sums the 2301 calls.
type FlowResult struct {
	PsnNo    string
	MdtrtID  string
	SetlID   string
	Medfee   his.Amount // Σ of the uploaded lines
	Pre      his.SettleOutput
	Settle   his.SettleOutput
	Latency  [numSteps]time.Duration
	Warnings [numSteps]string // warn_msg per step
}

// stayDays is how long the simulated stay lasts: admitted three days ago.
const stayDays = 3

// defaultDiag is the diagnosis when the fixture has none (T14.9 损伤).
const defaultDiag = "T14.9"

// flow carries one flow's state between its steps.
type flow struct {
	c       *Client
	p       FixturePerson
	res     *FlowResult
	insuplc string
	begn    time.Time
	iptNo   string
	medType string
	dups    int // lines charged twice (FlowOptions.Duplicates)
}

// Flow runs a complete inpatient flow for person: 9001 (once per client),
// 1101, 2401 (insutype 410, med_type 42, admitted three days ago, the
// person's injury_id), 2301 with lines covered items of catalog over the
// stay, 2402 (discharged now), 2303 and 2304 with medfee_sumamt the sum of
// the lines. It stops at the first failure, returning what it has.
func (c *Client) Flow(ctx context.Context, person FixturePerson, lines int, catalog []FixtureItem) (FlowResult, error) {
	return c.FlowOf(ctx, person, his.MedTypeInpatient, lines, catalog)
}

// FlowOf is Flow with another med_type: 43 (工伤康复住院) at a rehab
// centre prefers rehab items, 44 (辅助器具配置) at a device supplier
// charges device items one unit each; 41 and 42 prefer inpatient items.
func (c *Client) FlowOf(ctx context.Context, person FixturePerson, medType string, lines int, catalog []FixtureItem) (FlowResult, error) {
	return c.FlowWith(ctx, person, FlowOptions{MedType: medType, Lines: lines, Catalog: catalog})
}

// FlowOptions shape a flow: its med_type (42 when empty), its number of
// lines, the catalogue it charges from, and Duplicates: that many of the
// first lines charged a second time under another feedetl_sn (the same
// item at the same moment — what the rules flag as suspicious).
type FlowOptions struct {
	MedType    string
	Lines      int
	Catalog    []FixtureItem
	Duplicates int
}

// FlowWith is Flow shaped by opts.
func (c *Client) FlowWith(ctx context.Context, person FixturePerson, opts FlowOptions) (FlowResult, error) {
	var res FlowResult
	medType, lines := opts.MedType, opts.Lines
	if medType == "" {
		medType = his.MedTypeInpatient
	}
	items := flowItems(opts.Catalog, medType)
	if len(items) == 0 || lines < 1 {
		return res, errors.New("hissim: a flow needs at least one line and one covered catalogue item")
	}
	f := flow{c: c, p: person, res: &res, insuplc: person.InsuplcAdmdvs, medType: medType, dups: min(opts.Duplicates, lines)}
	steps := [...]func(context.Context) error{f.signIn, f.person, f.admit, func(ctx context.Context) error { return f.fees(ctx, lines, items) },
		f.discharge, f.preSettle, f.settle}
	for i, step := range steps {
		if err := step(ctx); err != nil {
			return res, fmt.Errorf("hissim: flow of %s at %s: %w", person.Certno, FlowSteps[i], err)
		}
	}
	return res, nil
}

// flowItems prefers the covered items the med_type charges: rehab items
// for 43, devices for 44, otherwise drugs, items, materials and beds.
func flowItems(catalog []FixtureItem, medType string) []FixtureItem {
	var ipt, all []FixtureItem
	for _, it := range catalog {
		if !it.Covered {
			continue
		}
		all = append(all, it)
		switch {
		case medType == his.MedTypeRehab && it.Category == "rehab",
			medType == his.MedTypeDevice && it.Category == "device":
			ipt = append(ipt, it)
		case medType == his.MedTypeRehab || medType == his.MedTypeDevice:
		case it.Category == "drug", it.Category == "item", it.Category == "material", it.Category == "bed", it.Category == "":
			ipt = append(ipt, it)
		}
	}
	if len(ipt) > 0 {
		return ipt
	}
	return all
}

// timed runs one call and records its latency and warning under step.
func (f *flow) timed(ctx context.Context, step int, input, out any) error {
	start := time.Now()
	resp, err := f.c.call(ctx, FlowSteps[step], f.c.NextMsgid(), f.insuplc, input, out)
	f.res.Latency[step] += time.Since(start)
	if resp.WarnMsg != "" {
		f.res.Warnings[step] = resp.WarnMsg
	}
	return err
}

func (f *flow) signIn(ctx context.Context) error {
	if f.c.SignNo() != "" {
		return nil
	}
	start := time.Now()
	_, sent, err := f.c.signIn(ctx)
	if sent {
		f.res.Latency[StepSignIn] = time.Since(start)
	}
	return err
}

func (f *flow) person(ctx context.Context) error {
	in := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: f.p.Certno, PsnCertType: "01",
		Certno: f.p.Certno, PsnName: f.p.PsnName}}
	var out his.PersonOutput
	if err := f.timed(ctx, StepPerson, in, &out); err != nil {
		return err
	}
	if out.Baseinfo.PsnNo == "" {
		return errors.New("1101 answered without psn_no")
	}
	f.res.PsnNo = out.Baseinfo.PsnNo
	if len(out.Insuinfo) > 0 && out.Insuinfo[0].InsuplcAdmdvs != "" {
		f.insuplc = out.Insuinfo[0].InsuplcAdmdvs
	}
	return nil
}

func (f *flow) diag() []his.Diagnosis {
	code := f.p.DiagCode
	if code == "" {
		code = defaultDiag
	}
	return []his.Diagnosis{{PsnNo: f.res.PsnNo, DiagType: "1", MaindiagFlag: "1", DiagSrtNo: "1", DiagCode: code,
		DiagName: "工伤诊断" + code, DiagTime: his.FormatDateTime(f.begn)}}
}

func (f *flow) admit(ctx context.Context) error {
	now := f.c.now()
	f.begn = now.Add(-stayDays * 24 * time.Hour).Truncate(time.Second)
	msgid := f.c.NextMsgid()
	f.iptNo = "ZY" + msgid[len(msgid)-18:] // unique per institution like the msgid
	d := f.diag()
	in := his.AdmissionInput{
		Mdtrtinfo: his.Admission{PsnNo: f.res.PsnNo, Insutype: his.InsutypeInjury, Begntime: his.FormatDateTime(f.begn),
			MdtrtCertType: "02", MdtrtCertNo: f.p.Certno, MedType: f.medType, IptNo: f.iptNo,
			AtddrNo: "D001", ChfpdrName: "模拟医生", AdmDiagDscr: "工伤入院", AdmDeptCodg: "A03", AdmDeptName: "骨科",
			AdmBed: "1", DscgMaindiagCode: d[0].DiagCode, DscgMaindiagName: d[0].DiagName, InjuryID: f.p.InjuryID},
		Diseinfo: d,
	}
	var out his.AdmissionOutput
	if err := f.timed(ctx, StepAdmission, in, &out); err != nil {
		return err
	}
	if out.Result.MdtrtID == "" {
		return errors.New("2401 answered without mdtrt_id")
	}
	f.res.MdtrtID = out.Result.MdtrtID
	return nil
}

// fees uploads n lines in calls of at most his.MaxFeeLines.
func (f *flow) fees(ctx context.Context, n int, items []FixtureItem) error {
	total := n + f.dups
	batch := make([]his.FeeLine, 0, min(total, his.MaxFeeLines))
	for i := 0; i < total; i++ {
		if i < n {
			batch = append(batch, f.line(i, items[i%len(items)]))
		} else {
			d := f.line(i-n, items[(i-n)%len(items)]) // the same item at the same moment
			d.FeedetlSn = f.iptNo + "-D" + strconv.Itoa(i-n+1)
			batch = append(batch, d)
		}
		if len(batch) == cap(batch) || i == total-1 {
			var out his.FeeOutput
			if err := f.timed(ctx, StepFees, his.FeeInput{Feedetail: batch}, &out); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// line i is charged on day i%3 of the stay, one hour after the admission
// time of day, at the price ceiling, one or two units.
func (f *flow) line(i int, it FixtureItem) his.FeeLine {
	price := it.PricUplmtAmt
	if price <= 0 {
		price = it.Pric
	}
	cnt := his.Qty(1+i%2) * his.QtyUnit
	if f.medType == his.MedTypeDevice {
		cnt = his.QtyUnit
	}
	sum := cnt.Times(price)
	f.res.Medfee += sum
	at := f.begn.Add(time.Duration(i%stayDays)*24*time.Hour + time.Hour)
	return his.FeeLine{FeedetlSn: f.iptNo + "-" + strconv.Itoa(i+1), MdtrtID: f.res.MdtrtID, PsnNo: f.res.PsnNo,
		MedType: f.medType, FeeOcurTime: his.FormatDateTime(at), MedListCodg: it.MedListCodg,
		MedinsListCodg: it.MedListCodg, DetItemFeeSumamt: sum, Cnt: cnt, Pric: price, BilgDeptCodg: "A03", BilgDrCodg: "D001"}
}

func (f *flow) discharge(ctx context.Context) error {
	in := his.DischargeInput{
		Dscginfo: his.Discharge{MdtrtID: f.res.MdtrtID, PsnNo: f.res.PsnNo, Insutype: his.InsutypeInjury,
			Endtime: his.FormatDateTime(f.c.now()), DscgWay: "1", DscgDeptCodg: "A03"},
		Diseinfo: f.diag(),
	}
	return f.timed(ctx, StepDischarge, in, nil)
}

func (f *flow) settlement() his.SettleInput {
	return his.SettleInput{Data: his.Settlement{PsnNo: f.res.PsnNo, MdtrtCertType: "02", MdtrtCertNo: f.p.Certno,
		MedfeeSumamt: f.res.Medfee, PsnSetlway: "01", MdtrtID: f.res.MdtrtID, Insutype: his.InsutypeInjury,
		MidSetlFlag: "0", AcctUsedFlag: "0"}}
}

func (f *flow) preSettle(ctx context.Context) error {
	return f.timed(ctx, StepPreSettle, f.settlement(), &f.res.Pre)
}

func (f *flow) settle(ctx context.Context) error {
	if err := f.timed(ctx, StepSettle, f.settlement(), &f.res.Settle); err != nil {
		return err
	}
	f.res.SetlID = f.res.Settle.Setlinfo.SetlID
	if f.res.SetlID == "" {
		return errors.New("2304 answered without setl_id")
	}
	return nil
}
