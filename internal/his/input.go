package his

// Inputs of the transactions, one struct per infno, field names as the
// interface doc's table. The `his` tags are read by Decode (see decoder).

// SignInInput is 9001's input.
type SignInInput struct {
	SignIn SignInData `json:"signIn" his:"required"`
}

// SignInData names the operator signing in.
type SignInData struct {
	OpterNo string `json:"opter_no" his:"required,max=30"`
	Mac     string `json:"mac" his:"max=30"`
	IP      string `json:"ip" his:"max=50"`
}

// PersonInput is 1101's input.
type PersonInput struct {
	Data PersonQuery `json:"data" his:"required"`
}

// PersonQuery identifies the person by a treatment credential.
type PersonQuery struct {
	MdtrtCertType string `json:"mdtrt_cert_type" his:"required"`
	MdtrtCertNo   string `json:"mdtrt_cert_no" his:"required,max=50"`
	PsnCertType   string `json:"psn_cert_type"`
	Certno        string `json:"certno" his:"max=50"`
	PsnName       string `json:"psn_name" his:"max=50"`
}

// AdmissionInput is 2401's input.
type AdmissionInput struct {
	Mdtrtinfo Admission   `json:"mdtrtinfo" his:"required"`
	Diseinfo  []Diagnosis `json:"diseinfo" his:"required,max=100"`
}

// Admission is the encounter being opened.
type Admission struct {
	PsnNo            string `json:"psn_no" his:"required,max=30"`
	Insutype         string `json:"insutype" his:"required"`
	Begntime         string `json:"begntime" his:"required,time"`
	MdtrtCertType    string `json:"mdtrt_cert_type"`
	MdtrtCertNo      string `json:"mdtrt_cert_no" his:"max=50"`
	MedType          string `json:"med_type" his:"required"`
	IptNo            string `json:"ipt_no" his:"required,max=30"`
	AtddrNo          string `json:"atddr_no" his:"max=30"`
	ChfpdrName       string `json:"chfpdr_name" his:"max=50"`
	AdmDiagDscr      string `json:"adm_diag_dscr"`
	AdmDeptCodg      string `json:"adm_dept_codg" his:"max=30"`
	AdmDeptName      string `json:"adm_dept_name" his:"max=100"`
	AdmBed           string `json:"adm_bed" his:"max=30"`
	DscgMaindiagCode string `json:"dscg_maindiag_code" his:"max=30"`
	DscgMaindiagName string `json:"dscg_maindiag_name" his:"max=300"`
	InjuryID         string `json:"injury_id" his:"max=40"` // ext
}

// Diagnosis is one line of diseinfo (2401, 2402).
type Diagnosis struct {
	PsnNo        string `json:"psn_no" his:"max=30"`
	DiagType     string `json:"diag_type"`
	MaindiagFlag string `json:"maindiag_flag"`
	DiagSrtNo    string `json:"diag_srt_no" his:"max=10"`
	DiagCode     string `json:"diag_code" his:"required,max=30"`
	DiagName     string `json:"diag_name" his:"max=300"`
	DiagTime     string `json:"diag_time" his:"time"`
}

// DischargeInput is 2402's input.
type DischargeInput struct {
	Dscginfo Discharge   `json:"dscginfo" his:"required"`
	Diseinfo []Diagnosis `json:"diseinfo" his:"max=100"`
}

// Discharge closes an encounter.
type Discharge struct {
	MdtrtID      string `json:"mdtrt_id" his:"required,max=30"`
	PsnNo        string `json:"psn_no" his:"required,max=30"`
	Insutype     string `json:"insutype"`
	Endtime      string `json:"endtime" his:"required,time"`
	DscgWay      string `json:"dscg_way" his:"max=10"`
	DscgDeptCodg string `json:"dscg_dept_codg" his:"max=30"`
}

// CancelAdmissionInput is 2404's input.
type CancelAdmissionInput struct {
	Data EncounterRef `json:"data" his:"required"`
}

// EncounterRef names an encounter of a person (2404, 3101).
type EncounterRef struct {
	MdtrtID string `json:"mdtrt_id" his:"required,max=30"`
	PsnNo   string `json:"psn_no" his:"required,max=30"`
}

// MaxFeeLines is the most lines one 2301 call may carry.
const MaxFeeLines = 1000

// FeeInput is 2301's input.
type FeeInput struct {
	Feedetail []FeeLine `json:"feedetail" his:"required,max=1000"`
}

// FeeLine is one charge.
type FeeLine struct {
	FeedetlSn        string `json:"feedetl_sn" his:"required,max=30"`
	MdtrtID          string `json:"mdtrt_id" his:"required,max=30"`
	PsnNo            string `json:"psn_no" his:"required,max=30"`
	MedType          string `json:"med_type"`
	FeeOcurTime      string `json:"fee_ocur_time" his:"required,time"`
	MedListCodg      string `json:"med_list_codg" his:"required,max=50"`
	MedinsListCodg   string `json:"medins_list_codg" his:"max=150"`
	DetItemFeeSumamt Amount `json:"det_item_fee_sumamt" his:"required,nonneg"`
	Cnt              Qty    `json:"cnt" his:"required,positive"`
	Pric             Amount `json:"pric" his:"required,nonneg"`
	BilgDeptCodg     string `json:"bilg_dept_codg" his:"max=30"`
	BilgDrCodg       string `json:"bilg_dr_codg" his:"max=30"`
}

// AllLines is the feedetl_sn of 2302 that cancels every unsettled line.
const AllLines = "0000"

// CancelLinesInput is 2302's input.
type CancelLinesInput struct {
	Data LineRef `json:"data" his:"required"`
}

// LineRef names one fee line of an encounter, or AllLines.
type LineRef struct {
	FeedetlSn string `json:"feedetl_sn" his:"required,max=30"`
	MdtrtID   string `json:"mdtrt_id" his:"required,max=30"`
	PsnNo     string `json:"psn_no" his:"required,max=30"`
}

// SettleInput is the input of 2303 (pre-settle) and 2304 (settle).
type SettleInput struct {
	Data Settlement `json:"data" his:"required"`
}

// Settlement asks for the encounter's unsettled lines to be settled.
type Settlement struct {
	PsnNo         string `json:"psn_no" his:"required,max=30"`
	MdtrtCertType string `json:"mdtrt_cert_type"`
	MdtrtCertNo   string `json:"mdtrt_cert_no" his:"max=50"`
	MedfeeSumamt  Amount `json:"medfee_sumamt" his:"required,nonneg"`
	PsnSetlway    string `json:"psn_setlway"`
	MdtrtID       string `json:"mdtrt_id" his:"required,max=30"`
	Insutype      string `json:"insutype" his:"required"`
	MidSetlFlag   string `json:"mid_setl_flag"`
	AcctUsedFlag  string `json:"acct_used_flag"`
}

// CancelSettlementInput is 2305's input.
type CancelSettlementInput struct {
	Data SettlementRef `json:"data" his:"required"`
}

// SettlementRef names a settlement.
type SettlementRef struct {
	SetlID  string `json:"setl_id" his:"required,max=30"`
	MdtrtID string `json:"mdtrt_id" his:"required,max=30"`
	PsnNo   string `json:"psn_no" his:"required,max=30"`
}

// ReversalInput is 2601's input.
type ReversalInput struct {
	Data Reversal `json:"data" his:"required"`
}

// Reversal names the transaction to reverse by its msgid.
type Reversal struct {
	PsnNo  string `json:"psn_no" his:"required,max=30"`
	Omsgid string `json:"omsgid" his:"required"`
	Oinfno string `json:"oinfno" his:"required"`
}

// AuditInput is 3101's input.
type AuditInput struct {
	Data EncounterRef `json:"data" his:"required"`
}

// ReconcileTotalsInput is 3201's input.
type ReconcileTotalsInput struct {
	Data ReconcileTotals `json:"data" his:"required"`
}

// ReconcileTotals are the institution's totals for a period.
type ReconcileTotals struct {
	Insutype         string `json:"insutype" his:"required"`
	ClrType          string `json:"clr_type" his:"required,max=10"`
	SetlOptins       string `json:"setl_optins" his:"required,max=30"`
	StmtBegndate     string `json:"stmt_begndate" his:"required,date"`
	StmtEnddate      string `json:"stmt_enddate" his:"required,date"`
	MedfeeSumamt     Amount `json:"medfee_sumamt" his:"required"`
	FundPaySumamt    Amount `json:"fund_pay_sumamt" his:"required"`
	AcctPay          Amount `json:"acct_pay"`
	FixmedinsSetlCnt int    `json:"fixmedins_setl_cnt" his:"required,nonneg"`
}

// ReconcileLinesInput is 3202's input (ext: the lines inline, not a file).
type ReconcileLinesInput struct {
	Data ReconcileLines `json:"data" his:"required"`
}

// ReconcileLines are the institution's settlements of a period.
type ReconcileLines struct {
	SetlOptins   string          `json:"setl_optins" his:"required,max=30"`
	StmtBegndate string          `json:"stmt_begndate" his:"required,date"`
	StmtEnddate  string          `json:"stmt_enddate" his:"required,date"`
	Detail       []ReconcileLine `json:"detail" his:"max=20000"`
}

// ReconcileLine is one settlement as the institution recorded it.
type ReconcileLine struct {
	SetlID        string `json:"setl_id" his:"required,max=30"`
	MedfeeSumamt  Amount `json:"medfee_sumamt" his:"required"`
	FundPaySumamt Amount `json:"fund_pay_sumamt" his:"required"`
	PsnCashPay    Amount `json:"psn_cash_pay" his:"required"`
	RefdSetlFlag  string `json:"refd_setl_flag"`
}
