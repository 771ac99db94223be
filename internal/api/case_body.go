package api

import (
	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/deadline"
	"gongshang/internal/param"
	"gongshang/internal/store"
)

// The answers of the case endpoints. The domain types carry the data; these
// add what a caller needs besides: the Chinese names, the actions the
// caller may take now, the materials and the document count.

// baselineDocuments is what the source text asks of an applicant for
// recognition, assessment and benefits at three desks: 11 documents, 3 of
// them duplicates (issue 8).
const baselineDocuments = 11

// actionBody is one action a caller may take.
type actionBody struct {
	Action casebundle.ActionName `json:"action"`
	Name   string                `json:"name"`
}

// serviceBody is a service with its labels and the caller's actions.
type serviceBody struct {
	casebundle.Service
	KindName       string       `json:"kind_name"`
	StateName      string       `json:"state_name"`
	StepTitle      string       `json:"step_title"` // "" when no time limit runs
	AllowedActions []actionBody `json:"allowed_actions"`
}

// caseBody is a case with its services as the caller sees them.
type caseBody struct {
	casebundle.Case
	ChannelName    string        `json:"channel_name"`
	ApplicantLabel string        `json:"applicant_label"` // 用人单位, 职工本人 …
	InjuryKindName string        `json:"injury_kind_name"`
	Services       []serviceBody `json:"services"`
}

// materialItem is one requirement of a service and what satisfies it.
type materialItem struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Upload     bool              `json:"upload"` // the applicant may supply it
	Source     casebundle.Source `json:"source"` // "" when missing
	SourceName string            `json:"source_name"`
	Detail     string            `json:"detail"`
	Missing    bool              `json:"missing"`
}

// materialsBody are the requirements of one service.
type materialsBody struct {
	Service     casebundle.ServiceKind `json:"service"`
	ServiceName string                 `json:"service_name"`
	Items       []materialItem         `json:"items"`
}

// documentsBody counts the distinct documents the applicant provides.
type documentsBody struct {
	Count int      `json:"count"`
	Codes []string `json:"codes"`
}

// periodBody is the application period (条例 Art. 17).
type periodBody struct {
	Step    string `json:"step"`
	Due     string `json:"due"`
	Late    bool   `json:"late"`
	Explain string `json:"explain"`
}

// caseDetail is the whole case page of the API.
type caseDetail struct {
	caseBody
	Materials          []materialsBody `json:"materials"`
	ApplicantDocuments documentsBody   `json:"applicant_documents"`
	BaselineDocuments  int             `json:"baseline_documents"`
	ApplicationPeriod  periodBody      `json:"application_period"`
}

// eventBody is one move of a service an action caused.
type eventBody struct {
	ServiceID   int64                  `json:"service_id"`
	Service     casebundle.ServiceKind `json:"service"`
	ServiceName string                 `json:"service_name"`
	Action      casebundle.ActionName  `json:"action"` // "" when another service's action caused it
	ActionName  string                 `json:"action_name"`
	From        casebundle.State       `json:"from"`
	To          casebundle.State       `json:"to"`
	ToName      string                 `json:"to_name"`
	On          string                 `json:"on"`
	Note        string                 `json:"note"`
}

// actionResult answers an action: the case afterwards and what moved.
type actionResult struct {
	Case   caseDetail  `json:"case"`
	Events []eventBody `json:"events"`
}

// queueItem is one open step of a work queue.
type queueItem struct {
	ServiceID  int64                  `json:"service_id"`
	CaseID     int64                  `json:"case_id"`
	Number     string                 `json:"number"`
	RegionCode string                 `json:"region_code"`
	Kind       casebundle.ServiceKind `json:"kind"`
	KindName   string                 `json:"kind_name"`
	State      casebundle.State       `json:"state"`
	StateName  string                 `json:"state_name"`
	Step       string                 `json:"step"`
	StepTitle  string                 `json:"step_title"`
	Due        string                 `json:"due"`
	Overdue    bool                   `json:"overdue"`
	Simple     bool                   `json:"simple"`
	WorkerName string                 `json:"worker_name"`
	Employer   string                 `json:"employer"`
	InjuryDate string                 `json:"injury_date"`
}

// historyItem is one line of a case's history.
type historyItem struct {
	ServiceID int64            `json:"service_id"` // 0 for the case as a whole (an upload)
	Action    string           `json:"action"`
	From      casebundle.State `json:"from"`
	To        casebundle.State `json:"to"`
	On        string           `json:"on"`
	Note      string           `json:"note"`
	ActorName string           `json:"actor_name"`
	ActorKind access.Kind      `json:"actor_kind"`
	ActorRole access.Role      `json:"actor_role"`
}

// fileBody is one uploaded material of a case.
type fileBody struct {
	ID           int64  `json:"id"`
	Material     string `json:"material"`
	MaterialName string `json:"material_name"`
	SHA256       string `json:"sha256"`
	Size         int64  `json:"size"`
	ContentType  string `json:"content_type"`
	FileName     string `json:"file_name"`
	UploadedAt   string `json:"uploaded_at"`
}

// letterBody is one issued letter of a case.
type letterBody struct {
	ID        int64  `json:"id"`
	ServiceID int64  `json:"service_id"`
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	IssuedOn  string `json:"issued_on"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
}

// stepTitle is the Chinese name of a deadline step.
func stepTitle(step string) string {
	if st, ok := deadline.StepByName(step); ok {
		return st.Title
	}
	return ""
}

// caseBodyOf labels a case and lists, per service, what p may do now.
func caseBodyOf(p access.Principal, c casebundle.Case) caseBody {
	out := caseBody{Case: c, ChannelName: c.Channel.Name(), ApplicantLabel: c.Applicant.Name(), InjuryKindName: c.InjuryKind.Name(),
		Services: make([]serviceBody, len(c.Services))}
	out.Case.Services = nil // the labelled services below replace them
	for i := range c.Services {
		svc := &c.Services[i]
		acts := []actionBody{}
		for _, a := range casebundle.Allowed(p, svc) {
			acts = append(acts, actionBody{Action: a, Name: a.Name()})
		}
		out.Services[i] = serviceBody{Service: *svc, KindName: svc.Kind.Name(), StateName: svc.State.Name(),
			StepTitle: stepTitle(svc.Step), AllowedActions: acts}
	}
	return out
}

// materialsOf turns resolved needs into the answer's lists.
func materialsOf(needs []casebundle.Needs) []materialsBody {
	out := make([]materialsBody, len(needs))
	for i, n := range needs {
		items := make([]materialItem, len(n.Items))
		for j, it := range n.Items {
			items[j] = materialItem{Code: it.Material.Code, Name: it.Material.Name, Upload: it.Material.Upload, Source: it.Source,
				SourceName: it.Source.Name(), Detail: it.Detail, Missing: it.Missing()}
		}
		out[i] = materialsBody{Service: n.Service, ServiceName: n.Service.Name(), Items: items}
	}
	return out
}

// detailOf is the case with its materials, document count and application
// period, as p sees it.
func detailOf(p access.Principal, set *param.Set, c casebundle.Case, needs []casebundle.Needs) (caseDetail, error) {
	per, err := c.ApplicationPeriod(param.NewResolver(set, c.RegionCode))
	if err != nil {
		return caseDetail{}, err
	}
	codes := casebundle.ApplicantDocuments(needs)
	if codes == nil {
		codes = []string{}
	}
	return caseDetail{caseBody: caseBodyOf(p, c), Materials: materialsOf(needs),
		ApplicantDocuments: documentsBody{Count: len(codes), Codes: codes}, BaselineDocuments: baselineDocuments,
		ApplicationPeriod: periodBody{Step: per.Step, Due: per.Due, Late: per.Late, Explain: per.Explain}}, nil
}

// eventsOf labels the moves of an action.
func eventsOf(evs []casebundle.Event) []eventBody {
	out := make([]eventBody, len(evs))
	for i, e := range evs {
		out[i] = eventBody{ServiceID: e.ServiceID, Service: e.Service, ServiceName: e.Service.Name(), Action: e.Action,
			ActionName: e.Action.Name(), From: e.From, To: e.To, ToName: e.To.Name(), On: e.On, Note: e.Note}
	}
	return out
}

func queueItemOf(r store.QueueRow) queueItem {
	return queueItem{ServiceID: r.ServiceID, CaseID: r.CaseID, Number: r.Number, RegionCode: r.RegionCode, Kind: r.Kind,
		KindName: r.Kind.Name(), State: r.State, StateName: r.State.Name(), Step: r.Step, StepTitle: stepTitle(r.Step),
		Due: r.Due, Overdue: r.Overdue, Simple: r.Simple, WorkerName: r.WorkerName, Employer: r.Employer, InjuryDate: r.InjuryDate}
}

func historyOf(evs []store.CaseEvent) []historyItem {
	out := make([]historyItem, len(evs))
	for i, e := range evs {
		out[i] = historyItem{ServiceID: e.ServiceID, Action: e.Action, From: e.From, To: e.To, On: e.On, Note: e.Note,
			ActorName: e.ActorName, ActorKind: e.ActorKind, ActorRole: e.ActorRole}
	}
	return out
}

func fileOf(f store.CaseFile) fileBody {
	m, _ := casebundle.MaterialByCode(f.Material)
	return fileBody{ID: f.ID, Material: f.Material, MaterialName: m.Name, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType,
		FileName: f.FileName, UploadedAt: f.UploadedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

func letterOf(l store.CaseLetter) letterBody {
	return letterBody{ID: l.ID, ServiceID: l.ServiceID, Kind: l.Kind, Number: l.Number, IssuedOn: l.IssuedOn, SHA256: l.SHA256, Size: l.Size}
}
