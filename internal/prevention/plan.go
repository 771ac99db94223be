package prevention

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
)

// A county's annual plan (年度计划, issue 12 §Plans and budgets): its
// projects — trainings and publicity, the unit the fund pays — each with
// its key industry (a GB/T 4754 division), target enterprises, audience,
// sessions, expected attendance, provider and budget lines. The county
// drafts and submits it; the city returns it with comments or approves
// it, optionally cutting lines; the approved plan is frozen and changes
// only through a change request the city approves. Every approval is
// checked against the year's cap (人社部规〔2017〕13号 Art. 5).

// The project kinds (工伤预防费 uses, 人社部规〔2017〕13号 Art. 4).
const (
	KindTraining  = "training"
	KindPublicity = "publicity"
)

// KindNames names the project kinds.
var KindNames = map[string]string{KindTraining: "培训", KindPublicity: "宣传"}

// Audiences is the closed list of whom a training addresses.
var Audiences = []string{"主要负责人", "分管负责人", "安全管理负责人", "安全管理人员", "技术骨干", "班组长", "一线职工", "特种作业人员", "新入职职工", "劳务派遣人员"}

// ProviderKinds lists who carries a project out, in the order forms offer them.
var ProviderKinds = []string{"insurer", "organisation", "expert", "agency"}

// ProviderKindNames names the provider kinds.
var ProviderKindNames = map[string]string{"insurer": "合作保险机构", "organisation": "培训机构", "expert": "专家", "agency": "经办机构"}

// Limits of a plan's fields.
const (
	MaxTitle       = 100
	MaxProgramme   = 50
	MaxProvider    = 100
	MaxItem        = 50
	MaxNote        = 1000
	MaxLines       = 20
	MaxEnterprises = 200
	MaxProjects    = 200
	MaxSessions    = 10000
	MaxAttendance  = 10000000
	MaxLineFen     = 1_000_000_000_000 // 1亿元 per line
)

// BudgetLine is one item of a project's budget. Requested is the
// county's; Approved the city's (≤ Requested, set on approval and moved
// only by a change request); Paid what payments recorded against it.
type BudgetLine struct {
	ID           int64  `json:"id"`
	Item         string `json:"item"`
	RequestedFen int64  `json:"requested_fen"`
	ApprovedFen  int64  `json:"approved_fen"`
	PaidFen      int64  `json:"paid_fen"`
}

// Project is one training or publicity project of a plan.
type Project struct {
	ID           int64        `json:"id"`
	Seq          int          `json:"seq"`
	Kind         string       `json:"kind"`
	Title        string       `json:"title"`
	Programme    string       `json:"programme"` // e.g. 危险化学品: the name provincial targets key on
	Industry     string       `json:"industry"`  // GB/T 4754 division, "" for none in particular
	Audience     []string     `json:"audience"`
	Enterprises  []string     `json:"enterprises"` // credit codes
	Sessions     int          `json:"sessions"`
	Attendance   int          `json:"attendance"` // expected person-times
	ProviderKind string       `json:"provider_kind"`
	Provider     string       `json:"provider"`
	Lines        []BudgetLine `json:"lines"`
	RequestedFen int64        `json:"requested_fen"`
	ApprovedFen  int64        `json:"approved_fen"`
	PaidFen      int64        `json:"paid_fen"`
	State        string       `json:"state"` // planned, accepted, paid, cancelled
}

// ProjectStateNames names a project's states.
var ProjectStateNames = map[string]string{"planned": "计划中", "accepted": "已验收", "paid": "已支付", "cancelled": "已撤销"}

// Normalize trims the project's text, upper-cases and de-duplicates the
// credit codes and sums the lines into RequestedFen.
func (p *Project) Normalize() {
	p.Kind, p.Title, p.Programme = strings.TrimSpace(p.Kind), strings.TrimSpace(p.Title), strings.TrimSpace(p.Programme)
	p.Industry, p.ProviderKind, p.Provider = strings.TrimSpace(p.Industry), strings.TrimSpace(p.ProviderKind), strings.TrimSpace(p.Provider)
	var ents []string
	for _, e := range p.Enterprises {
		if e = strings.ToUpper(strings.TrimSpace(e)); e != "" && !slices.Contains(ents, e) {
			ents = append(ents, e)
		}
	}
	p.Enterprises = ents
	var aud []string
	for _, a := range p.Audience {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(aud, a) {
			aud = append(aud, a)
		}
	}
	p.Audience = aud
	p.RequestedFen = 0
	for i := range p.Lines {
		p.Lines[i].Item = strings.TrimSpace(p.Lines[i].Item)
		p.RequestedFen += p.Lines[i].RequestedFen
	}
	if p.State == "" {
		p.State = "planned"
	}
}

// Validate checks a normalized project: every problem, each naming its
// field (lines[1].requested_fen for the second line's amount).
func (p Project) Validate(ref *registry.Reference) error {
	var fs errs.Fields
	if _, ok := KindNames[p.Kind]; !ok {
		fs.Add("kind", "choice", "项目类型应为培训（training）或宣传（publicity）")
	}
	if n := utf8.RuneCountInString(p.Title); n == 0 || n > MaxTitle {
		fs.Add("title", "required", "项目名称不能为空，最多%d字", MaxTitle)
	}
	if utf8.RuneCountInString(p.Programme) > MaxProgramme {
		fs.Add("programme", "length", "专项名称最多%d字", MaxProgramme)
	}
	if p.Industry != "" {
		if _, ok := ref.Industry(p.Industry); !ok {
			fs.Add("industry", "industry_unknown", "行业代码“%s”不是国民经济行业分类（GB/T 4754）的大类代码", p.Industry)
		}
	}
	for _, a := range p.Audience {
		if !slices.Contains(Audiences, a) {
			fs.Add("audience", "choice", "培训对象“%s”不在列表中（%s）", a, strings.Join(Audiences, "、"))
			break
		}
	}
	if p.Kind == KindTraining && len(p.Audience) == 0 {
		fs.Add("audience", "required", "培训项目应选择培训对象")
	}
	if len(p.Enterprises) > MaxEnterprises {
		fs.Add("enterprises", "too_many", "目标企业最多%d家", MaxEnterprises)
	}
	for _, e := range p.Enterprises {
		if err := registry.ValidateCreditCode("enterprises", e); err != nil {
			fe, _ := errs.First(err)
			fs.Add("enterprises", fe.Code, "目标企业%s：%s", e, fe.Message)
			break
		}
	}
	if p.Sessions < 0 || p.Sessions > MaxSessions {
		fs.Add("sessions", "range", "场次应在0至%d之间", MaxSessions)
	} else if p.Kind == KindTraining && p.Sessions < 1 {
		fs.Add("sessions", "range", "培训项目至少安排1场")
	}
	if p.Attendance < 0 || p.Attendance > MaxAttendance {
		fs.Add("attendance", "range", "预计参训人次应在0至%d之间", MaxAttendance)
	} else if p.Kind == KindTraining && p.Attendance < 1 {
		fs.Add("attendance", "range", "培训项目应填写预计参训人次")
	}
	if _, ok := ProviderKindNames[p.ProviderKind]; !ok {
		fs.Add("provider_kind", "choice", "实施方类型应为合作保险机构、培训机构、专家或经办机构")
	}
	if n := utf8.RuneCountInString(p.Provider); n == 0 || n > MaxProvider {
		fs.Add("provider", "required", "实施方名称不能为空，最多%d字", MaxProvider)
	}
	switch {
	case len(p.Lines) == 0:
		fs.Add("lines", "required", "项目至少要有一项预算")
	case len(p.Lines) > MaxLines:
		fs.Add("lines", "too_many", "一个项目最多%d项预算", MaxLines)
	}
	var items []string
	for i, l := range p.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		if n := utf8.RuneCountInString(l.Item); n == 0 || n > MaxItem {
			fs.Add(field+".item", "required", "第%d项预算的名称不能为空，最多%d字", i+1, MaxItem)
		} else if slices.Contains(items, l.Item) {
			fs.Add(field+".item", "duplicate", "预算项目“%s”重复", l.Item)
		}
		items = append(items, l.Item)
		if l.RequestedFen <= 0 || l.RequestedFen > MaxLineFen {
			fs.Add(field+".requested_fen", "range", "第%d项预算的申请金额应大于0，且不超过%s", i+1, param.Yuan(MaxLineFen))
		}
	}
	return fs.Err()
}

// State is a plan's state.
type State string

// The plan's states.
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateReturned  State = "returned"
	StateApproved  State = "approved"
)

// StateNames names the states.
var StateNames = map[State]string{StateDraft: "草稿", StateSubmitted: "已报送待审", StateReturned: "退回修改", StateApproved: "已批准"}

// Action is a step of the plan's workflow.
type Action string

// The plan's actions.
const (
	ActSubmit  Action = "submit"
	ActReturn  Action = "return"
	ActApprove Action = "approve"
)

// ActionNames names the actions.
var ActionNames = map[Action]string{ActSubmit: "报送", ActReturn: "退回修改", ActApprove: "批准"}

// transitions is the plan's workflow: the county submits, the city
// returns or approves; a returned plan is submitted again; an approved
// plan is frozen (changes go through a change request).
var transitions = []struct {
	from State
	act  Action
	to   State
}{
	{StateDraft, ActSubmit, StateSubmitted},
	{StateSubmitted, ActReturn, StateReturned},
	{StateSubmitted, ActApprove, StateApproved},
	{StateReturned, ActSubmit, StateSubmitted},
}

// Next is the state after a from state, or a Conflict naming both.
func Next(from State, a Action) (State, error) {
	for _, t := range transitions {
		if t.from == from && t.act == a {
			return t.to, nil
		}
	}
	name := ActionNames[a]
	if name == "" {
		return "", errs.Field("action", "choice", "未知的操作“%s”", a)
	}
	return "", errs.E(errs.Conflict, "计划%s，不能%s", StateNames[from], name)
}

// Actions lists the actions open in state s.
func Actions(s State) []Action {
	var out []Action
	for _, t := range transitions {
		if t.from == s {
			out = append(out, t.act)
		}
	}
	return out
}

// Editable reports whether a plan's projects may be edited in state s.
func Editable(s State) bool { return s == StateDraft || s == StateReturned }

// AnnualPlan is a county's plan for a year with its projects.
type AnnualPlan struct {
	ID           int64     `json:"id"`
	Region       string    `json:"region_code"`
	Year         int       `json:"year"`
	State        State     `json:"state"`
	Revision     int       `json:"revision"` // how many times it was submitted
	Note         string    `json:"note"`
	Projects     []Project `json:"projects"`
	RequestedFen int64     `json:"requested_fen"`
	ApprovedFen  int64     `json:"approved_fen"`
}

// Totals recomputes each project's and the plan's requested and approved
// sums from the lines; a cancelled project counts for nothing.
func (p *AnnualPlan) Totals() {
	p.RequestedFen, p.ApprovedFen = 0, 0
	for i := range p.Projects {
		pr := &p.Projects[i]
		pr.RequestedFen, pr.ApprovedFen, pr.PaidFen = 0, 0, 0
		for _, l := range pr.Lines {
			pr.RequestedFen += l.RequestedFen
			pr.ApprovedFen += l.ApprovedFen
			pr.PaidFen += l.PaidFen
		}
		if pr.State == "cancelled" {
			continue
		}
		p.RequestedFen += pr.RequestedFen
		p.ApprovedFen += pr.ApprovedFen
	}
}

// Cut is the city's approval of one line below its request.
type Cut struct {
	LineID      int64  `json:"line_id"`
	ApprovedFen int64  `json:"approved_fen"`
	Reason      string `json:"reason"`
}

// Review is the city's decision on a submitted plan.
type Review struct {
	Action Action `json:"action"`
	Note   string `json:"note"`
	Cuts   []Cut  `json:"cuts,omitempty"`
}

// ApplyReview validates r against the plan and applies it: a return needs
// comments; an approval sets every line's approved amount to its request
// except the cut ones (each ≤ its request, with a reason when below).
// On error the plan is unchanged.
func (p *AnnualPlan) ApplyReview(r Review) error {
	to, err := Next(p.State, r.Action)
	if err != nil {
		return err
	}
	r.Note = strings.TrimSpace(r.Note)
	var fs errs.Fields
	if utf8.RuneCountInString(r.Note) > MaxNote {
		fs.Add("note", "length", "审核意见最多%d字", MaxNote)
	}
	if r.Action == ActReturn && r.Note == "" {
		fs.Add("note", "required", "退回修改应写明审核意见")
	}
	if r.Action != ActApprove && len(r.Cuts) > 0 {
		fs.Add("cuts", "not_allowed", "只有批准时可以核减预算")
	}
	lines := map[int64]BudgetLine{}
	for _, pr := range p.Projects {
		for _, l := range pr.Lines {
			lines[l.ID] = l
		}
	}
	cuts := map[int64]Cut{}
	for i, c := range r.Cuts {
		field := fmt.Sprintf("cuts[%d]", i)
		l, ok := lines[c.LineID]
		switch {
		case !ok:
			fs.Add(field+".line_id", "unknown", "预算项%d不属于本计划", c.LineID)
			continue
		case cuts[c.LineID] != (Cut{}):
			fs.Add(field+".line_id", "duplicate", "预算项“%s”核减了两次", l.Item)
			continue
		case c.ApprovedFen < 0 || c.ApprovedFen > l.RequestedFen:
			fs.Add(field+".approved_fen", "range", "预算项“%s”的核定金额应在0至申请金额%s之间", l.Item, param.Yuan(l.RequestedFen))
		case c.ApprovedFen < l.RequestedFen && strings.TrimSpace(c.Reason) == "":
			fs.Add(field+".reason", "required", "核减预算项“%s”应写明理由", l.Item)
		}
		c.Reason = strings.TrimSpace(c.Reason)
		cuts[c.LineID] = c
	}
	if err := fs.Err(); err != nil {
		return err
	}
	if r.Action == ActApprove {
		for i := range p.Projects {
			for j := range p.Projects[i].Lines {
				l := &p.Projects[i].Lines[j]
				l.ApprovedFen = l.RequestedFen
				if c, ok := cuts[l.ID]; ok {
					l.ApprovedFen = c.ApprovedFen
				}
			}
		}
	}
	p.State, p.Note = to, r.Note
	p.Totals()
	return nil
}

// CapFen is the year's prevention budget cap: last year's contribution
// income × rate, rounded down to the fen (the cap is never exceeded by
// rounding). The rate is read to the millionth.
func CapFen(incomeFen int64, rate float64) int64 {
	if incomeFen <= 0 || rate <= 0 {
		return 0
	}
	ppm := new(big.Rat).SetFloat64(rate)
	ppm.Mul(ppm, big.NewRat(1_000_000, 1))
	n := new(big.Int).Quo(ppm.Num(), ppm.Denom()) // rate in millionths, truncated
	// rate was given to at most 6 places, so round the float's noise: 0.03 → 29999.99… → 30000
	if r := new(big.Rat).Sub(ppm, new(big.Rat).SetInt(n)); r.Cmp(big.NewRat(1, 2)) > 0 {
		n.Add(n, big.NewInt(1))
	}
	x := new(big.Int).Mul(big.NewInt(incomeFen), n)
	x.Quo(x, big.NewInt(1_000_000))
	if !x.IsInt64() {
		return 0
	}
	return x.Int64()
}

// CheckCap refuses an approval after which the year's approved total —
// the other plans' (others) and this plan's — would exceed the cap; the
// message names the four figures.
func CheckCap(year int, capFen, othersFen, planFen int64) error {
	if over := othersFen + planFen - capFen; over > 0 {
		return errs.Field("approved_fen", "over_cap", "超出%d年度工伤预防费上限：上限%s，本年度其他计划已批准%s，本计划%s，超出%s",
			year, param.Yuan(capFen), param.Yuan(othersFen), param.Yuan(planFen), param.Yuan(over))
	}
	return nil
}

// MaxRate is the highest share of the income a year may be set to.
const MaxRate = 0.2

// CheckRate validates a year's cap rate against the parameter's (std):
// a rate above it needs the provincial approval's document number.
func CheckRate(rate, std float64, doc string) error {
	var fs errs.Fields
	switch {
	case rate <= 0 || rate > MaxRate:
		fs.Add("cap_rate", "range", "上限比例应大于0且不超过%g%%", MaxRate*100)
	case rate > std+1e-9 && strings.TrimSpace(doc) == "":
		fs.Add("approval_doc", "required", "上限比例%s高于规定的%s，应填写省级人社、财政部门同意的批准文号", Percent(rate), Percent(std))
	}
	if utf8.RuneCountInString(doc) > 100 {
		fs.Add("approval_doc", "length", "批准文号最多100字")
	}
	return fs.Err()
}

// Percent writes a rate as a percentage: 0.03 → 3%, 0.035 → 3.5%.
func Percent(rate float64) string {
	s := fmt.Sprintf("%.4f", rate*100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// Change ops: what a change request may do to an approved plan.
const (
	OpAddProject    = "add_project"
	OpCancelProject = "cancel_project"
	OpMove          = "move"     // approved money from one line to another
	OpSchedule      = "schedule" // a project's sessions and expected attendance
)

// OpNames names the change ops.
var OpNames = map[string]string{OpAddProject: "增加项目", OpCancelProject: "撤销项目", OpMove: "调整预算", OpSchedule: "调整场次和人次"}

// ChangeOp is one change of a change request.
type ChangeOp struct {
	Op         string   `json:"op"`
	Project    *Project `json:"project,omitempty"`    // add_project
	ProjectID  int64    `json:"project_id,omitempty"` // cancel_project, schedule
	FromLine   int64    `json:"from_line,omitempty"`  // move
	ToLine     int64    `json:"to_line,omitempty"`
	AmountFen  int64    `json:"amount_fen,omitempty"`
	Sessions   int      `json:"sessions,omitempty"` // schedule
	Attendance int      `json:"attendance,omitempty"`
}

// Change is a change request to an approved plan: why, and its ops,
// applied together or not at all.
type Change struct {
	Reason string     `json:"reason"`
	Ops    []ChangeOp `json:"ops"`
}

// MaxOps is the most ops a change request holds.
const MaxOps = 20

// ApplyChange validates c against the approved plan and applies it: an
// added project gets its request approved (ID 0 and the next Seq, its
// lines ID 0, for the store to insert), a cancelled project keeps only
// what was paid, a move keeps the lines' sum, a schedule sets sessions and
// attendance. On error the plan is unchanged.
func (p *AnnualPlan) ApplyChange(c Change, ref *registry.Reference) error {
	var fs errs.Fields
	if p.State != StateApproved {
		return errs.E(errs.Conflict, "计划%s，变更请直接修改计划", StateNames[p.State])
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Reason)); n == 0 || n > MaxNote {
		fs.Add("reason", "required", "变更理由不能为空，最多%d字", MaxNote)
	}
	switch {
	case len(c.Ops) == 0:
		fs.Add("ops", "required", "变更申请至少包含一项变更")
	case len(c.Ops) > MaxOps:
		fs.Add("ops", "too_many", "一次变更最多%d项", MaxOps)
	}
	work := p.clone()
	work.Totals()
	project := func(id int64) *Project {
		for i := range work.Projects {
			if work.Projects[i].ID == id && id != 0 {
				return &work.Projects[i]
			}
		}
		return nil
	}
	line := func(id int64) (*Project, *BudgetLine) {
		for i := range work.Projects {
			for j := range work.Projects[i].Lines {
				if l := &work.Projects[i].Lines[j]; l.ID == id && id != 0 {
					return &work.Projects[i], l
				}
			}
		}
		return nil, nil
	}
	seq := 0
	for _, pr := range work.Projects {
		seq = max(seq, pr.Seq)
	}
	for i, op := range c.Ops {
		f := fmt.Sprintf("ops[%d]", i)
		switch op.Op {
		case OpAddProject:
			if op.Project == nil {
				fs.Add(f+".project", "required", "增加项目应填写项目内容")
				continue
			}
			np := *op.Project
			np.Lines = slices.Clone(np.Lines)
			np.ID, np.State, np.PaidFen = 0, "planned", 0
			np.Normalize()
			if err := np.Validate(ref); err != nil {
				prefixFields(&fs, f+".project.", err)
				continue
			}
			for j := range np.Lines {
				np.Lines[j].ID, np.Lines[j].ApprovedFen, np.Lines[j].PaidFen = 0, np.Lines[j].RequestedFen, 0
			}
			seq++
			np.Seq = seq
			work.Projects = append(work.Projects, np)
		case OpCancelProject:
			pr := project(op.ProjectID)
			switch {
			case pr == nil:
				fs.Add(f+".project_id", "unknown", "项目%d不属于本计划", op.ProjectID)
			case pr.State != "planned":
				fs.Add(f+".project_id", "state", "项目“%s”%s，不能撤销", pr.Title, ProjectStateNames[pr.State])
			case pr.PaidFen > 0:
				fs.Add(f+".project_id", "paid", "项目“%s”已支付%s，不能撤销", pr.Title, param.Yuan(pr.PaidFen))
			default:
				pr.State = "cancelled"
				for j := range pr.Lines {
					pr.Lines[j].ApprovedFen = pr.Lines[j].PaidFen
				}
			}
		case OpMove:
			fp, from := line(op.FromLine)
			tp, to := line(op.ToLine)
			switch {
			case from == nil:
				fs.Add(f+".from_line", "unknown", "调出的预算项%d不属于本计划", op.FromLine)
			case to == nil:
				fs.Add(f+".to_line", "unknown", "调入的预算项%d不属于本计划", op.ToLine)
			case from == to:
				fs.Add(f+".to_line", "same", "调出和调入的预算项相同")
			case fp.State == "cancelled":
				fs.Add(f+".from_line", "state", "项目“%s”已撤销，其预算不能调出", fp.Title)
			case tp.State != "planned":
				fs.Add(f+".to_line", "state", "项目“%s”%s，不能调入预算", tp.Title, ProjectStateNames[tp.State])
			case op.AmountFen <= 0:
				fs.Add(f+".amount_fen", "range", "调整金额应大于0")
			case from.ApprovedFen-op.AmountFen < from.PaidFen:
				fs.Add(f+".amount_fen", "range", "预算项“%s”核定%s、已支付%s，最多可调出%s", from.Item,
					param.Yuan(from.ApprovedFen), param.Yuan(from.PaidFen), param.Yuan(from.ApprovedFen-from.PaidFen))
			default:
				from.ApprovedFen -= op.AmountFen
				to.ApprovedFen += op.AmountFen
			}
		case OpSchedule:
			pr := project(op.ProjectID)
			switch {
			case pr == nil:
				fs.Add(f+".project_id", "unknown", "项目%d不属于本计划", op.ProjectID)
			case pr.State == "cancelled":
				fs.Add(f+".project_id", "state", "项目“%s”已撤销", pr.Title)
			case op.Sessions < 0 || op.Sessions > MaxSessions || pr.Kind == KindTraining && op.Sessions < 1:
				fs.Add(f+".sessions", "range", "场次应在%d至%d之间", either(pr.Kind == KindTraining, 1, 0), MaxSessions)
			case op.Attendance < 0 || op.Attendance > MaxAttendance || pr.Kind == KindTraining && op.Attendance < 1:
				fs.Add(f+".attendance", "range", "预计参训人次应在%d至%d之间", either(pr.Kind == KindTraining, 1, 0), MaxAttendance)
			default:
				pr.Sessions, pr.Attendance = op.Sessions, op.Attendance
			}
		default:
			fs.Add(f+".op", "choice", "未知的变更“%s”", op.Op)
		}
	}
	if len(work.Projects) > MaxProjects {
		fs.Add("ops", "too_many", "一个计划最多%d个项目", MaxProjects)
	}
	if err := fs.Err(); err != nil {
		return err
	}
	work.Totals()
	*p = work
	return nil
}

// prefixFields adds err's field errors to fs under prefix.
func prefixFields(fs *errs.Fields, prefix string, err error) {
	var e *errs.Error
	if errors.As(err, &e) {
		for _, x := range e.Fields {
			fs.Add(prefix+x.Field, x.Code, "%s", x.Message)
		}
	}
}

func either[T any](b bool, yes, no T) T {
	if b {
		return yes
	}
	return no
}

// clone is a deep copy of the plan.
func (p AnnualPlan) clone() AnnualPlan {
	out := p
	out.Projects = make([]Project, len(p.Projects))
	for i, pr := range p.Projects {
		pr.Lines = slices.Clone(pr.Lines)
		pr.Audience = slices.Clone(pr.Audience)
		pr.Enterprises = slices.Clone(pr.Enterprises)
		out.Projects[i] = pr
	}
	return out
}
