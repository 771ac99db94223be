package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The beneficiary's page (GET /payroll/workers/{id}): a worker's
// entitlements (his own and his dependants') with their amount history,
// his payments, the events recorded for him and his dependants, his
// recoveries, and the forms of the payroll officer: record an event,
// change an entitlement's account, open a recovery or settle a demand,
// register an entitlement of the previous system (存量待遇登记), decide
// the survivors' pensions of his death. A refused form is shown again
// with its values and the message beside the field.

// relationNames are the relations a dependant may have, for the forms.
var relationChoices = []web.Choice{{Value: "spouse", Name: "配偶"}, {Value: "child", Name: "子女"}, {Value: "parent", Name: "父母"},
	{Value: "grandparent", Name: "祖父母/外祖父母"}, {Value: "grandchild", Name: "孙子女/外孙子女"}, {Value: "sibling", Name: "兄弟姐妹"}}

var careChoices = []web.Choice{{Value: "full", Name: "完全不能自理"}, {Value: "most", Name: "大部分不能自理"}, {Value: "partial", Name: "部分不能自理"}}

// entitlementView is an entitlement with its amount history.
type entitlementView struct {
	store.Entitlement
	History []store.AmountChange
}

// payeeForms are the values and errors of the page's forms; Form names
// the one refused.
type payeeForms struct {
	Form   string
	Values map[string]string
	Errors map[string]string
	Target int64 // the entitlement or recovery the form is about
}

// Val is a submitted value of the refused form.
func (f payeeForms) Val(form, name string) string {
	if f.Form != form {
		return ""
	}
	return f.Values[name]
}

// Err is a message of the refused form.
func (f payeeForms) Err(form, name string) string {
	if f.Form != form {
		return ""
	}
	return f.Errors[name]
}

type payeePage struct {
	base
	W            registry.Worker
	Entitlements []entitlementView
	Payments     []store.PayrollLine
	Events       []store.PayeeEvent
	Dependants   []store.DependantRef
	Recoveries   []store.Recovery
	CanPrepare   bool
	CanDecide    bool
	EventKinds   []string
	Types        []web.Choice
	Cares        []web.Choice
	Relations    []web.Choice
	DepRows      []int
	F            payeeForms
}

// DependantName names a dependant by id (0: the worker himself).
func (p *payeePage) DependantName(id int64) string {
	if id == 0 {
		return p.W.Name + "（本人）"
	}
	for _, d := range p.Dependants {
		if d.ID == id {
			return d.Name
		}
	}
	return fmt.Sprintf("供养亲属%d", id)
}

func (s *Server) payeeShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showPayee(w, r, rq, id, http.StatusOK, payeeForms{})
}

func (s *Server) showPayee(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, f payeeForms) error {
	ctx := r.Context()
	wk, err := s.store.FindWorkerByID(ctx, rq.P.Scope(), id)
	if err != nil {
		return err
	}
	p := &payeePage{base: base{Title: "待遇领取人：" + wk.Name}, W: wk, F: f, CanPrepare: rq.P.Can(access.PermPayrollPrepare),
		CanDecide: rq.P.Can(access.PermPayrollPrepare) && rq.P.Can(access.PermCaseApprove), EventKinds: payroll.EventKinds,
		Cares: careChoices, Relations: relationChoices, DepRows: []int{0, 1, 2}}
	for _, t := range []string{payroll.TypeDisability, payroll.TypeNursing, payroll.TypeDifference} {
		p.Types = append(p.Types, web.Choice{Value: t, Name: payroll.TypeName(t)})
	}
	ents, err := s.store.WorkerEntitlements(ctx, rq.P, id)
	if err != nil {
		return err
	}
	for _, e := range ents {
		h, err := s.store.EntitlementAmounts(ctx, rq.P, e.ID)
		if err != nil {
			return err
		}
		p.Entitlements = append(p.Entitlements, entitlementView{Entitlement: e, History: h})
	}
	if p.Payments, err = s.store.WorkerPayments(ctx, rq.P, id, 120); err != nil {
		return err
	}
	if p.Events, err = s.store.PayeeEvents(ctx, rq.P, id); err != nil {
		return err
	}
	if p.Dependants, err = s.store.WorkerDependants(ctx, rq.P, id); err != nil {
		return err
	}
	if p.Recoveries, err = s.store.WorkerRecoveries(ctx, rq.P, id); err != nil {
		return err
	}
	s.render(w, r, rq, status, "payroll_worker", p)
	return nil
}

// payeeRefused shows the page again with the form's values and errors, or
// returns err when it is no refusal of the form.
func (s *Server) payeeRefused(w http.ResponseWriter, r *http.Request, rq *request, workerID int64, form string, target int64, err error) error {
	fe, ferr := payrollFieldErrors(err)
	if ferr != nil {
		return ferr
	}
	vals := map[string]string{}
	for k := range r.PostForm {
		if k != "csrf" {
			vals[k] = r.PostForm.Get(k)
		}
	}
	return s.showPayee(w, r, rq, workerID, web.Status(err), payeeForms{Form: form, Values: vals, Errors: fe, Target: target})
}

func (s *Server) backToPayee(w http.ResponseWriter, r *http.Request, rq *request, workerID int64, msg, anchor string) error {
	s.flash(r, rq, msg)
	http.Redirect(w, r, fmt.Sprintf("/payroll/workers/%d%s", workerID, anchor), http.StatusSeeOther)
	return nil
}

// formYuan parses an amount in yuan into fen; empty is 0 unless required.
func formYuan(r *http.Request, fs *errs.Fields, name, label string, required bool) int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		if required {
			fs.Add(name, "required", "请填写%s（元）", label)
		}
		return 0
	}
	fen, err := param.ParseMoney(strings.ReplaceAll(v, ",", ""))
	if err != nil {
		fs.Add(name, "money", "%s应为不带符号的元金额，最多两位小数，如 1800.00（当前为“%s”）", label, clip(v))
	}
	return fen
}

// formID parses an optional id of a select.
func formID(r *http.Request, fs *errs.Fields, name, label string) int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" || v == "0" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		fs.Add(name, "id", "请从列表中选择%s", label)
	}
	return n
}

func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// payeeEvent records an event of the worker or a dependant.
func (s *Server) payeeEvent(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var fs errs.Fields
	n := store.NewPayeeEvent{WorkerID: id, DependantID: formID(r, &fs, "dependant_id", "供养亲属"), Kind: r.PostFormValue("kind"),
		On: strings.TrimSpace(r.PostFormValue("on")), Until: strings.TrimSpace(r.PostFormValue("until")),
		PensionFen: formYuan(r, &fs, "pension", "基本养老金", false), Note: strings.TrimSpace(r.PostFormValue("note"))}
	err = errs.Fields(append(fs, fieldsOf(renameField(n.Validate(s.store.Now()), "pension_fen", "pension"))...)).Err()
	if err == nil {
		_, err = s.store.RecordPayeeEvent(r.Context(), rq.P, s.params.Set(r.Context()), n)
	}
	if err != nil {
		return s.payeeRefused(w, r, rq, id, "event", 0, renameField(err, "pension_fen", "pension"))
	}
	return s.backToPayee(w, r, rq, id, fmt.Sprintf("已登记%s（%s）。", payroll.EventName(n.Kind), n.On), "#events")
}

// renameField moves the store's field errors of from to the form's field
// to (an amount the store takes in fen and the form in yuan).
func renameField(err error, from, to string) error {
	e, ok := err.(*errs.Error)
	if !ok {
		return err
	}
	c := *e
	c.Fields = append([]errs.FieldError(nil), e.Fields...)
	for i := range c.Fields {
		if c.Fields[i].Field == from {
			c.Fields[i].Field = to
		}
	}
	return &c
}

// entitlementAccount changes where an entitlement is paid.
func (s *Server) entitlementAccount(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	e, err := s.store.FindEntitlement(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	bank, acct := strings.TrimSpace(r.PostFormValue("bank_name")), strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("bank_account")), " ", "")
	if err := s.store.SetPayeeAccount(r.Context(), rq.P, id, formVersion(r), bank, acct); err != nil {
		return s.payeeRefused(w, r, rq, e.WorkerID, "account", id, err)
	}
	return s.backToPayee(w, r, rq, e.WorkerID, fmt.Sprintf("%s（%s）的收款账户已更正为%s。", payroll.TypeName(e.Type), e.PayeeName, bank),
		fmt.Sprintf("#ent-%d", id))
}

// payeeRecovery opens a recovery: deducted from an entitlement, or
// demanded from the payee.
func (s *Server) payeeRecovery(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var fs errs.Fields
	n := store.NewRecovery{WorkerID: id, EntitlementID: formID(r, &fs, "entitlement_id", "扣回的待遇"),
		TotalFen: formYuan(r, &fs, "total", "应追回金额", true), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	err = fs.Err()
	if err == nil {
		_, err = s.store.CreateRecovery(r.Context(), rq.P, n)
	}
	if err != nil {
		return s.payeeRefused(w, r, rq, id, "recovery", 0, renameField(err, "total_fen", "total"))
	}
	return s.backToPayee(w, r, rq, id, fmt.Sprintf("已登记待追回金额%s。", param.Yuan(n.TotalFen)), "#recoveries")
}

// recoverySettle records that a demanded recovery was paid back.
func (s *Server) recoverySettle(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	workerID, err := strconv.ParseInt(r.PostFormValue("worker_id"), 10, 64)
	if err != nil || workerID <= 0 {
		return errs.Field("worker_id", "required", "缺少职工编号")
	}
	if err := s.store.SettleDemand(r.Context(), rq.P, id, formVersion(r)); err != nil {
		return s.payeeRefused(w, r, rq, workerID, "settle", id, err)
	}
	return s.backToPayee(w, r, rq, workerID, "追缴款已结清。", "#recoveries")
}

// payeeLegacy registers an entitlement of the previous system.
func (s *Server) payeeLegacy(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var fs errs.Fields
	n := store.NewEntitlement{WorkerID: id, Type: r.PostFormValue("type"), Care: r.PostFormValue("care"),
		AmountFen: formYuan(r, &fs, "amount", "月待遇金额", true), Start: strings.TrimSpace(r.PostFormValue("start")),
		BankName: strings.TrimSpace(r.PostFormValue("bank_name")), BankAccount: strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("bank_account")), " ", ""),
		CertifiedOn: strings.TrimSpace(r.PostFormValue("certified_on")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if v := r.PostFormValue("level"); v != "" {
		n.Level = formInt(r, &fs, "level", "伤残等级")
	}
	if fs.Has("amount") {
		n.AmountFen = 1 // the form's own message stands; the store checks the rest
	}
	err = errs.Fields(append(fs, fieldsOf(n.Validate(s.store.Now()))...)).Err()
	if err == nil {
		_, err = s.store.CreateLegacyEntitlement(r.Context(), rq.P, n)
	}
	if err != nil {
		return s.payeeRefused(w, r, rq, id, "legacy", 0, renameField(err, "amount_fen", "amount"))
	}
	return s.backToPayee(w, r, rq, id, fmt.Sprintf("已登记存量待遇：%s，每月%s，自%s起发。", payroll.TypeName(n.Type), param.Yuan(n.AmountFen), n.Start), "#entitlements")
}

// fieldsOf is the field errors of err (none when it has none).
func fieldsOf(err error) []errs.FieldError {
	if e, ok := err.(*errs.Error); ok {
		return e.Fields
	}
	return nil
}

// payeeSurvivors decides the survivors' pensions of the worker's death
// from the dependants' rows of the form (empty rows are skipped).
func (s *Server) payeeSurvivors(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var fs errs.Fields
	d := store.SurvivorDecision{WorkerID: id, CaseID: formID(r, &fs, "case_id", "案件"), DeathDate: strings.TrimSpace(r.PostFormValue("death_date")),
		BaseWageFen: formYuan(r, &fs, "base_wage", "本人工资", true)}
	for i := 0; i < 12; i++ {
		f := func(name string) string {
			return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("dependants[%d].%s", i, name)))
		}
		if f("name") == "" && f("id_number") == "" {
			continue
		}
		d.Dependants = append(d.Dependants, store.NewDependant{Name: f("name"), IDNumber: f("id_number"), Relation: f("relation"),
			Incapacitated: f("incapacitated") == "1", OrphanOrLonely: f("orphan") == "1", ParentsUnable: f("parents_unable") == "1",
			GuardianName: f("guardian_name"), BankName: f("bank_name"), BankAccount: strings.ReplaceAll(f("bank_account"), " ", "")})
	}
	if fs.Has("base_wage") {
		d.BaseWageFen = 1 // the form's own message stands
	}
	err = errs.Fields(append(fs, fieldsOf(renameField(d.Validate(s.store.Now()), "base_wage_fen", "base_wage"))...)).Err()
	var ids []int64
	if err == nil {
		ids, err = s.store.DecideSurvivorPensions(r.Context(), rq.P, s.params.Set(r.Context()), d)
	}
	if err != nil {
		return s.payeeRefused(w, r, rq, id, "survivors", 0, renameField(err, "base_wage_fen", "base_wage"))
	}
	return s.backToPayee(w, r, rq, id, fmt.Sprintf("已核定供养亲属抚恤金%d项。", len(ids)), "#entitlements")
}
