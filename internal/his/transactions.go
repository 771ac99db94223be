package his

import (
	"encoding/json"
	"reflect"
	"strconv"

	"gongshang/internal/errs"
)

// InsutypeInjury is the only insurance type: 410 工伤保险 (the
// human-resources code set, not the medical-insurance one).
const InsutypeInjury = "410"

// The med_type values for work injury.
const (
	MedTypeOutpatient = "41" // 工伤门诊
	MedTypeInpatient  = "42" // 工伤住院
	MedTypeRehab      = "43" // 工伤康复住院
	MedTypeDevice     = "44" // 辅助器具配置
	medTypeGeneralIpt = "21" // 普通住院, read as 42
)

// newInput makes the input struct of each infno.
var newInput = map[string]func() validator{
	InfnoSignIn:           func() validator { return new(SignInInput) },
	InfnoPerson:           func() validator { return new(PersonInput) },
	InfnoAdmission:        func() validator { return new(AdmissionInput) },
	InfnoDischarge:        func() validator { return new(DischargeInput) },
	InfnoCancelAdmission:  func() validator { return new(CancelAdmissionInput) },
	InfnoFeeUpload:        func() validator { return new(FeeInput) },
	InfnoCancelLines:      func() validator { return new(CancelLinesInput) },
	InfnoPreSettle:        func() validator { return new(SettleInput) },
	InfnoSettle:           func() validator { return new(SettleInput) },
	InfnoCancelSettlement: func() validator { return new(CancelSettlementInput) },
	InfnoReversal:         func() validator { return new(ReversalInput) },
	InfnoAudit:            func() validator { return new(AuditInput) },
	InfnoReconcileTotals:  func() validator { return new(ReconcileTotalsInput) },
	InfnoReconcileLines:   func() validator { return new(ReconcileLinesInput) },
}

// validator checks what the tags cannot: enumerations, consistency
// between fields and lines. It may normalise (med_type 21 → 42).
type validator interface {
	validate(d *decoder)
}

// Decode decodes and checks the input of infno, returning a pointer to its
// input struct (*SettleInput for 2303 and 2304). Every refusal is an
// errs.Invalid error whose fields are paths under "input.".
func Decode(infno string, raw json.RawMessage) (any, error) {
	mk, ok := newInput[infno]
	if !ok {
		return nil, errs.Field("infno", "unknown", MsgUnknownInfno)
	}
	in := mk()
	var d decoder
	d.value("input", raw, reflect.ValueOf(in).Elem(), opts{required: true})
	if d.err() == nil {
		in.validate(&d)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return in, nil
}

func (in *SignInInput) validate(*decoder) {}

func (in *PersonInput) validate(d *decoder) {
	checkCertType(d, "input.data.mdtrt_cert_type", in.Data.MdtrtCertType)
	if s := in.Data.PsnCertType; s != "" && (len(s) != 2 || !allDigits(s)) {
		d.fail("input.data.psn_cert_type", "enum", "%s应为2位代码，如01居民身份证", fieldName("input.data.psn_cert_type"))
	}
}

func (in *AdmissionInput) validate(d *decoder) {
	m := &in.Mdtrtinfo
	checkInsutype(d, "input.mdtrtinfo.insutype", m.Insutype)
	checkMedType(d, "input.mdtrtinfo.med_type", &m.MedType)
	if m.MdtrtCertType != "" {
		checkCertType(d, "input.mdtrtinfo.mdtrt_cert_type", m.MdtrtCertType)
	}
	checkDiagnoses(d, in.Diseinfo, m.PsnNo)
}

func (in *DischargeInput) validate(d *decoder) {
	if in.Dscginfo.Insutype != "" {
		checkInsutype(d, "input.dscginfo.insutype", in.Dscginfo.Insutype)
	}
	checkDiagnoses(d, in.Diseinfo, in.Dscginfo.PsnNo)
}

func (in *CancelAdmissionInput) validate(*decoder) {}

func (in *FeeInput) validate(d *decoder) {
	if len(in.Feedetail) == 0 {
		return // refused by the decoder
	}
	seen := make(map[string]int, len(in.Feedetail))
	first := &in.Feedetail[0]
	for i := range in.Feedetail {
		l := &in.Feedetail[i]
		at := func(f string) string { return "input.feedetail[" + strconv.Itoa(i) + "]." + f }
		if l.MedType != "" {
			checkMedType(d, at("med_type"), &l.MedType)
		}
		if l.FeedetlSn == AllLines {
			d.fail(at("feedetl_sn"), "reserved", "%s不能为0000（0000在2302中表示全部明细）", fieldName(at("feedetl_sn")))
		}
		if j, dup := seen[l.FeedetlSn]; dup {
			d.fail(at("feedetl_sn"), "duplicate", "%s与第%d条明细重复：%s", fieldName(at("feedetl_sn")), j+1, l.FeedetlSn)
		}
		seen[l.FeedetlSn] = i
		if l.PsnNo != first.PsnNo {
			d.fail(at("psn_no"), "mismatch", "%s应与第1条明细相同：一次上传只能属于一名人员", fieldName(at("psn_no")))
		}
		if l.MdtrtID != first.MdtrtID {
			d.fail(at("mdtrt_id"), "mismatch", "%s应与第1条明细相同：一次上传只能属于一次就诊", fieldName(at("mdtrt_id")))
		}
	}
}

func (in *CancelLinesInput) validate(*decoder) {}

func (in *SettleInput) validate(d *decoder) {
	s := &in.Data
	checkInsutype(d, "input.data.insutype", s.Insutype)
	if s.MdtrtCertType != "" {
		checkCertType(d, "input.data.mdtrt_cert_type", s.MdtrtCertType)
	}
	if s.PsnSetlway != "" && s.PsnSetlway != "01" {
		d.fail("input.data.psn_setlway", "enum", "%s应为01按项目结算", fieldName("input.data.psn_setlway"))
	}
	checkFlag(d, "input.data.mid_setl_flag", s.MidSetlFlag)
	checkFlag(d, "input.data.acct_used_flag", s.AcctUsedFlag) // no personal account in work injury: read as 0
}

func (in *CancelSettlementInput) validate(*decoder) {}

// Reversible lists the infnos 2601 may reverse.
var Reversible = []string{InfnoAdmission, InfnoSettle, InfnoCancelSettlement}

func (in *ReversalInput) validate(d *decoder) {
	checkMsgid(d, "input.data.omsgid", in.Data.Omsgid)
	switch in.Data.Oinfno {
	case InfnoAdmission, InfnoSettle, InfnoCancelSettlement:
	default:
		d.fail("input.data.oinfno", "enum", "%s应为可冲正的交易：2401、2304或2305", fieldName("input.data.oinfno"))
	}
}

func (in *AuditInput) validate(*decoder) {}

func (in *ReconcileTotalsInput) validate(d *decoder) {
	checkInsutype(d, "input.data.insutype", in.Data.Insutype)
	checkPeriod(d, in.Data.StmtBegndate, in.Data.StmtEnddate)
}

func (in *ReconcileLinesInput) validate(d *decoder) {
	checkPeriod(d, in.Data.StmtBegndate, in.Data.StmtEnddate)
	seen := make(map[string]bool, len(in.Data.Detail))
	for i, l := range in.Data.Detail {
		at := func(f string) string { return "input.data.detail[" + strconv.Itoa(i) + "]." + f }
		checkFlag(d, at("refd_setl_flag"), l.RefdSetlFlag)
		if seen[l.SetlID] {
			d.fail(at("setl_id"), "duplicate", "%s重复：%s", fieldName(at("setl_id")), l.SetlID)
		}
		seen[l.SetlID] = true
	}
}

func checkInsutype(d *decoder, path, v string) {
	if v != InsutypeInjury {
		d.fail(path, "insutype", "%s无效：险种类型应为410工伤保险", fieldName(path))
	}
}

// checkMedType accepts 41–44 and reads 21 (普通住院) as 42.
func checkMedType(d *decoder, path string, v *string) {
	switch *v {
	case MedTypeOutpatient, MedTypeInpatient, MedTypeRehab, MedTypeDevice:
	case medTypeGeneralIpt:
		*v = MedTypeInpatient
	default:
		d.fail(path, "med_type", "%s应为41工伤门诊、42工伤住院、43工伤康复住院或44辅助器具配置", fieldName(path))
	}
}

func checkCertType(d *decoder, path, v string) {
	switch v {
	case "01", "02", "03":
	default:
		d.fail(path, "enum", "%s应为01医保电子凭证、02居民身份证或03社会保障卡", fieldName(path))
	}
}

func checkFlag(d *decoder, path, v string) {
	if v != "" && v != "0" && v != "1" {
		d.fail(path, "enum", "%s应为0或1", fieldName(path))
	}
}

func checkDiagnoses(d *decoder, ds []Diagnosis, psnNo string) {
	for i, g := range ds {
		at := func(f string) string { return "input.diseinfo[" + strconv.Itoa(i) + "]." + f }
		switch g.DiagType {
		case "", "1", "2", "3":
		default:
			d.fail(at("diag_type"), "enum", "%s应为1西医诊断、2中医主病诊断或3中医主证诊断", fieldName(at("diag_type")))
		}
		checkFlag(d, at("maindiag_flag"), g.MaindiagFlag)
		if g.PsnNo != "" && g.PsnNo != psnNo {
			d.fail(at("psn_no"), "mismatch", "%s与就诊的人员编号不一致", fieldName(at("psn_no")))
		}
	}
}

func checkPeriod(d *decoder, begin, end string) {
	if end < begin { // both yyyy-MM-dd, checked by the decoder
		d.fail("input.data.stmt_enddate", "order", "%s不能早于对账开始日期", fieldName("input.data.stmt_enddate"))
	}
}
