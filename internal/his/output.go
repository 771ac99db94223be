package his

import "encoding/json"

// Outputs of the transactions. Lists marshal as [] when empty, never null.

// Empty is the output of 2402, 2404, 2302 and 2601: {}.
type Empty struct{}

// SignInOutput is 9001's output.
type SignInOutput struct {
	Signinoutb SignInResult `json:"signinoutb"`
}

// SignInResult carries the sign_no later envelopes send.
type SignInResult struct {
	SignTime string `json:"sign_time"`
	SignNo   string `json:"sign_no"`
}

// PersonOutput is 1101's output.
type PersonOutput struct {
	Baseinfo   BaseInfo     `json:"baseinfo"`
	Insuinfo   []InsuInfo   `json:"insuinfo"`
	Injuryinfo []InjuryInfo `json:"injuryinfo"` // ext
}

// BaseInfo is the person.
type BaseInfo struct {
	PsnNo       string `json:"psn_no"`
	PsnCertType string `json:"psn_cert_type"`
	Certno      string `json:"certno"`
	PsnName     string `json:"psn_name"`
	Gend        string `json:"gend"`
	Brdy        string `json:"brdy"`
	Age         int    `json:"age"`
}

// InsuInfo is one insurance of the person (insutype 410).
type InsuInfo struct {
	Insutype      string `json:"insutype"`
	PsnType       string `json:"psn_type"`
	PsnInsuStas   string `json:"psn_insu_stas"`
	InsuplcAdmdvs string `json:"insuplc_admdvs"`
	EmpName       string `json:"emp_name"`
}

// InjuryInfo is one injury of the person (ext), with its remote filing.
type InjuryInfo struct {
	InjuryID     string `json:"injury_id"`
	InjuryDate   string `json:"injury_date"`
	RcgnDate     string `json:"rcgn_date"`
	InjuredParts string `json:"injured_parts"`
	DiagCode     string `json:"diag_code"`
	DiagName     string `json:"diag_name"`
	Status       string `json:"status"`
	FilingType   string `json:"filing_type"`
	FilingEnd    string `json:"filing_end"`
}

// AdmissionOutput is 2401's output.
type AdmissionOutput struct {
	Result AdmissionResult `json:"result"`
}

// AdmissionResult names the encounter opened.
type AdmissionResult struct {
	MdtrtID  string `json:"mdtrt_id"`
	PsnNo    string `json:"psn_no"`
	IptOtpNo string `json:"ipt_otp_no"`
}

// FeeOutput is 2301's output.
type FeeOutput struct {
	Result []FeeResult `json:"result"`
}

// FeeResult is one priced line.
type FeeResult struct {
	FeedetlSn        string `json:"feedetl_sn"`
	DetItemFeeSumamt Amount `json:"det_item_fee_sumamt"`
	Cnt              Qty    `json:"cnt"`
	Pric             Amount `json:"pric"`
	PricUplmtAmt     Amount `json:"pric_uplmt_amt"`
	SelfpayProp      Ratio  `json:"selfpay_prop"`
	FulamtOwnpayAmt  Amount `json:"fulamt_ownpay_amt"`
	OverlmtAmt       Amount `json:"overlmt_amt"`
	InscpScpAmt      Amount `json:"inscp_scp_amt"`
	ChrgitmLv        string `json:"chrgitm_lv"`
	MedChrgitmType   string `json:"med_chrgitm_type"`
	Memo             string `json:"memo"`
}

// SettleOutput is the output of 2303 and 2304.
type SettleOutput struct {
	Setlinfo   SetlInfo     `json:"setlinfo"`
	Setldetail []SetlDetail `json:"setldetail"`
	Auditinfo  []Finding    `json:"auditinfo"` // ext
}

// SetlInfo are a settlement's totals; 2303 has no setl_id.
type SetlInfo struct {
	SetlID          string `json:"setl_id,omitempty"`
	MdtrtID         string `json:"mdtrt_id"`
	PsnNo           string `json:"psn_no"`
	PsnName         string `json:"psn_name"`
	Insutype        string `json:"insutype"`
	MedType         string `json:"med_type"`
	SetlTime        string `json:"setl_time"`
	MedfeeSumamt    Amount `json:"medfee_sumamt"`
	FulamtOwnpayAmt Amount `json:"fulamt_ownpay_amt"`
	OverlmtSelfpay  Amount `json:"overlmt_selfpay"`
	InscpScpAmt     Amount `json:"inscp_scp_amt"`
	FundPaySumamt   Amount `json:"fund_pay_sumamt"`
	PsnCashPay      Amount `json:"psn_cash_pay"`
	AcctPay         Amount `json:"acct_pay"`
	ClrOptins       string `json:"clr_optins"`
	ClrWay          string `json:"clr_way"`
	ClrType         string `json:"clr_type"`
}

// FundPayTypeInjury is the work-injury fund's fund_pay_type.
const FundPayTypeInjury = "410100"

// SetlDetail is one fund's share of a settlement.
type SetlDetail struct {
	FundPayType     string `json:"fund_pay_type"`
	FundPayTypeName string `json:"fund_pay_type_name"`
	InscpScpAmt     Amount `json:"inscp_scp_amt"`
	FundPayamt      Amount `json:"fund_payamt"`
}

// The severities of a Finding.
const (
	SevDefinite   = "明确违规"
	SevSuspicious = "高度可疑"
)

// Finding is one audit result (auditinfo of 2303/2304, result of 3101).
type Finding struct {
	RuleID       string `json:"rule_id"`
	RuleName     string `json:"rule_name"`
	VolaCont     string `json:"vola_cont"`
	VolaAmt      Amount `json:"vola_amt"`
	SevDeg       string `json:"sev_deg"`
	VolaEvid     string `json:"vola_evid"`
	VolaBhvrType string `json:"vola_bhvr_type"`
	FeedetlSn    string `json:"feedetl_sn"`
}

// CancelSettlementOutput is 2305's output: the reversal's own setl_id and
// the amounts negated.
type CancelSettlementOutput struct {
	Setlinfo SetlInfo `json:"setlinfo"`
}

// AuditOutput is 3101's output.
type AuditOutput struct {
	Result []Finding `json:"result"`
}

// ReconcileTotalsOutput is 3201's output.
type ReconcileTotalsOutput struct {
	Stmtinfo StmtInfo `json:"stmtinfo"`
}

// The stmt_rslt values.
const (
	StmtBalanced   = "0"
	StmtUnbalanced = "1"
)

// StmtInfo is the result of a totals reconciliation.
type StmtInfo struct {
	SetlOptins   string `json:"setl_optins"`
	StmtRslt     string `json:"stmt_rslt"`
	StmtRsltDscr string `json:"stmt_rslt_dscr"`
}

// ReconcileLinesOutput is 3202's output: one row per difference.
type ReconcileLinesOutput struct {
	Result []StmtLine `json:"result"`
}

// StmtLine is one settlement that differs, either way.
type StmtLine struct {
	SetlID       string `json:"setl_id"`
	StmtRslt     string `json:"stmt_rslt"`
	StmtRsltDscr string `json:"stmt_rslt_dscr"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// MarshalJSON writes empty lists as [].
func (o PersonOutput) MarshalJSON() ([]byte, error) {
	type plain PersonOutput
	o.Insuinfo, o.Injuryinfo = nonNil(o.Insuinfo), nonNil(o.Injuryinfo)
	return json.Marshal(plain(o))
}

// MarshalJSON writes empty lists as [].
func (o FeeOutput) MarshalJSON() ([]byte, error) {
	type plain FeeOutput
	o.Result = nonNil(o.Result)
	return json.Marshal(plain(o))
}

// MarshalJSON writes empty lists as [].
func (o SettleOutput) MarshalJSON() ([]byte, error) {
	type plain SettleOutput
	o.Setldetail, o.Auditinfo = nonNil(o.Setldetail), nonNil(o.Auditinfo)
	return json.Marshal(plain(o))
}

// MarshalJSON writes empty lists as [].
func (o AuditOutput) MarshalJSON() ([]byte, error) {
	type plain AuditOutput
	o.Result = nonNil(o.Result)
	return json.Marshal(plain(o))
}

// MarshalJSON writes empty lists as [].
func (o ReconcileLinesOutput) MarshalJSON() ([]byte, error) {
	type plain ReconcileLinesOutput
	o.Result = nonNil(o.Result)
	return json.Marshal(plain(o))
}
