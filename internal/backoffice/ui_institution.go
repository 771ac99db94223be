package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The register of designated institutions (协议机构): the list, the
// register form, the page with the agreement's status and the interface
// credentials. Region-scoped: routes with {id} are Obj "institution"
// (store.OwnersOf), lists and creations are scoped by the store.

type institutionsPage struct {
	base
	L         *web.ListQuery
	Items     []settlement.Institution
	CanManage bool
	Pager     web.Pager
}

func (s *Server) institutionList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, web.InstitutionListSpec("/institutions", regions))
	if err != nil {
		return err
	}
	f := web.InstitutionFilterOf(q)
	page := storePage(q)
	if q.Export {
		page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindInstitutions(r.Context(), rq.P.Scope(), f, page)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportInstitutions(w, r, rq, q, f, total)
	}
	s.render(w, r, rq, http.StatusOK, "institutions", &institutionsPage{base: base{Title: "协议机构"}, L: q, Items: items,
		CanManage: rq.P.Can(access.PermInstitutions), Pager: q.Pager(total)})
	return nil
}

// institutionColumns are the export's columns: the list's own and the
// register's other fields.
var institutionColumns = []sheet.Column{{Header: "机构编码", Width: 15}, {Header: "机构名称", Width: 32}, {Header: "地区", Width: 10},
	{Header: "机构类型", Width: 16}, {Header: "等级", Width: 6}, {Header: "核定床位", Width: 9}, {Header: "科室", Width: 30},
	{Header: "设备", Width: 30}, {Header: "协议起始日期", Width: 12}, {Header: "协议终止日期", Width: 12}, {Header: "协议状态", Width: 10},
	{Header: "状态原因", Width: 24}, {Header: "接入标识(paasid)", Width: 26}}

func (s *Server) exportInstitutions(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.InstitutionQuery, total int) error {
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportInstitutions, File: "institutions", Columns: institutionColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			err := s.store.EachInstitution(r.Context(), rq.P.Scope(), f, func(in settlement.Institution) error {
				n++
				return add(in.Code, in.Name, regionText(in.RegionCode), in.Type.Name(), web.LevelNames[in.Level], in.Beds,
					strings.Join(in.Depts, "、"), strings.Join(in.Equipment, "、"), in.AgreementFrom, in.AgreementTo,
					in.Status.Name(), in.StatusReason, in.PaasID)
			})
			return n, err
		}})
}

type institutionFormPage struct {
	base
	In      settlement.Institution
	Edit    bool
	Errors  map[string]string
	Regions []registry.Region
	Types   []settlement.InstitutionType
	Levels  []int
}

// showInstitutionForm renders the register form; a stale version (the
// entry changed since the form was filled) is shown as 409 with the
// message on the form.
func (s *Server) showInstitutionForm(w http.ResponseWriter, r *http.Request, rq *request, in settlement.Institution, edit bool, err error) error {
	status := http.StatusOK
	if err != nil && errs.Is(err, errs.Conflict) {
		if _, ok := errs.First(err); !ok {
			status, err = http.StatusConflict, errs.Field("version", "stale", "%s", err.Error())
		}
	}
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	if fe != nil && status == http.StatusOK {
		status = http.StatusBadRequest
	}
	regions, rerr := s.store.Regions(r.Context(), rq.P.Scope())
	if rerr != nil {
		return rerr
	}
	title := "登记协议机构"
	if edit {
		title = "修改协议机构"
	}
	s.render(w, r, rq, status, "institution_form", &institutionFormPage{base: base{Title: title}, In: in, Edit: edit, Errors: fe,
		Regions: regions, Types: []settlement.InstitutionType{settlement.Medical, settlement.Rehab, settlement.Device}, Levels: []int{3, 2, 1, 0}})
	return nil
}

func (s *Server) institutionNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	today := cstDay(s.store.Now())
	in := settlement.Institution{RegionCode: rq.P.RegionCode, Type: settlement.Medical, Level: 2, AgreementFrom: today,
		AgreementTo: today[:4] + "-12-31"}
	return s.showInstitutionForm(w, r, rq, in, false, nil)
}

// splitList reads a textarea of names, one a line or separated by 、 , ；.
func splitList(v string) []string {
	f := func(r rune) bool {
		return r == '\n' || r == '\r' || r == '、' || r == ',' || r == '，' || r == ';' || r == '；'
	}
	var out []string
	for _, x := range strings.FieldsFunc(v, f) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// institutionFromForm reads the register form; numbers that do not parse
// are field errors reported with the rest by Validate.
func institutionFromForm(r *http.Request) (settlement.Institution, errs.Fields) {
	var fs errs.Fields
	in := settlement.Institution{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), RegionCode: r.PostFormValue("region_code"),
		Type: settlement.InstitutionType(r.PostFormValue("type")), Depts: splitList(r.PostFormValue("depts")),
		Equipment: splitList(r.PostFormValue("equipment")), AgreementFrom: strings.TrimSpace(r.PostFormValue("agreement_from")),
		AgreementTo: strings.TrimSpace(r.PostFormValue("agreement_to")), Address: strings.TrimSpace(r.PostFormValue("address")),
		Contact: strings.TrimSpace(r.PostFormValue("contact"))}
	in.Level = formInt(r, &fs, "level", "机构等级")
	if strings.TrimSpace(r.PostFormValue("beds")) == "" {
		in.Beds = 0
	} else {
		in.Beds = formInt(r, &fs, "beds", "核定床位数")
	}
	return in, fs
}

// withValidation adds Validate's field errors to the form's own.
func withValidation(in *settlement.Institution, fs errs.Fields) error {
	if err := in.Validate(); err != nil {
		var all errs.Fields
		all.Merge(fs.Err())
		all.Merge(err)
		return all.Err()
	}
	return fs.Err()
}

func (s *Server) institutionCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, fs := institutionFromForm(r)
	if len(fs) > 0 {
		return s.showInstitutionForm(w, r, rq, in, false, withValidation(&in, fs))
	}
	in.Status = settlement.Active
	if err := s.store.CreateInstitution(r.Context(), rq.P, &in); err != nil {
		return s.showInstitutionForm(w, r, rq, in, false, err)
	}
	s.flash(r, rq, "协议机构“"+in.Name+"”已登记。请发放接口凭证后，机构方可联网结算。")
	http.Redirect(w, r, fmt.Sprintf("/institutions/%d", in.ID), http.StatusSeeOther)
	return nil
}

type institutionPage struct {
	base
	In        settlement.Institution
	CanManage bool
	Messages  int       // interface messages in the last 30 days
	TokenAt   time.Time // when the current token was issued
	Statuses  []settlement.Status
	Errors    map[string]string
	Today     string
	Refusal   string // why the HIS would be refused today, "" when it may transact
	// The credentials just issued: shown on this one answer, never again.
	PaasID, Token string
	Rotated       bool
	// The credit rating's latest change, for the supervision's readers.
	Rating *store.RatingRecord
}

func (s *Server) institutionAt(r *http.Request, rq *request) (settlement.Institution, error) {
	id, err := web.PathID(r)
	if err != nil {
		return settlement.Institution{}, err
	}
	return s.store.FindInstitution(r.Context(), rq.P, id)
}

func (s *Server) institutionPageOf(r *http.Request, rq *request, in settlement.Institution) (*institutionPage, error) {
	now := s.store.Now()
	p := &institutionPage{base: base{Title: in.Name}, In: in, CanManage: rq.P.Can(access.PermInstitutions),
		Statuses: []settlement.Status{settlement.Active, settlement.Suspended, settlement.Ended}, Today: cstDay(now)}
	p.Refusal = in.Refusal(p.Today)
	var err error
	if p.Messages, err = s.store.InstitutionMessages(r.Context(), in.ID, now.AddDate(0, 0, -30)); err != nil {
		return nil, err
	}
	if p.TokenAt, err = s.store.InstitutionTokenSetAt(r.Context(), in.ID); err != nil {
		return nil, err
	}
	if rq.P.Can(access.PermSupervisionRead) {
		h, err := s.store.RatingHistory(r.Context(), in.Code)
		if err != nil {
			return nil, err
		}
		if len(h) > 0 {
			p.Rating = &h[len(h)-1]
		}
	}
	return p, nil
}

func (s *Server) institutionShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	p, err := s.institutionPageOf(r, rq, in)
	if err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "institution", p)
	return nil
}

func (s *Server) institutionEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	return s.showInstitutionForm(w, r, rq, in, true, nil)
}

func (s *Server) institutionSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	before, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	in, fs := institutionFromForm(r)
	// The code, the credentials and the status are not changed here.
	in.ID, in.Code, in.PaasID, in.Status, in.StatusReason = before.ID, before.Code, before.PaasID, before.Status, before.StatusReason
	in.Version = formVersion(r)
	if len(fs) > 0 {
		return s.showInstitutionForm(w, r, rq, in, true, withValidation(&in, fs))
	}
	if err := s.store.UpdateInstitution(r.Context(), rq.P, &in, formVersion(r)); err != nil {
		in.Version = formVersion(r)
		return s.showInstitutionForm(w, r, rq, in, true, err)
	}
	s.flash(r, rq, "协议机构“"+in.Name+"”已保存。")
	http.Redirect(w, r, fmt.Sprintf("/institutions/%d", in.ID), http.StatusSeeOther)
	return nil
}

// institutionStatus changes the agreement's status with a reason; a
// suspension makes the hospital interface refuse every transaction.
func (s *Server) institutionStatus(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	status := settlement.Status(r.PostFormValue("status"))
	after, err := s.store.SetInstitutionStatus(r.Context(), rq.P, in.ID, formVersion(r), status, r.PostFormValue("status_reason"))
	if err != nil {
		fe, ferr := fieldErrors(err)
		if ferr != nil {
			return ferr
		}
		p, perr := s.institutionPageOf(r, rq, in)
		if perr != nil {
			return perr
		}
		p.Errors = fe
		s.render(w, r, rq, http.StatusBadRequest, "institution", p)
		return nil
	}
	s.flash(r, rq, "协议机构“"+after.Name+"”已变更为“"+after.Status.Name()+"”。")
	http.Redirect(w, r, fmt.Sprintf("/institutions/%d", in.ID), http.StatusSeeOther)
	return nil
}

// institutionToken issues (or rotates) the interface credentials and shows
// the token on this one answer: it is kept only sealed, is never shown
// again and is not in the audit entry; the answer is no-store like every
// page. A rotation stops the old token at once.
func (s *Server) institutionToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	rotated := in.PaasID != ""
	paasid, token, err := s.store.IssueInstitutionToken(r.Context(), rq.P, in.ID)
	if err != nil {
		return err
	}
	if in, err = s.store.FindInstitution(r.Context(), rq.P, in.ID); err != nil {
		return err
	}
	p, err := s.institutionPageOf(r, rq, in)
	if err != nil {
		return err
	}
	p.PaasID, p.Token, p.Rotated = paasid, token, rotated
	s.render(w, r, rq, http.StatusOK, "institution", p)
	return nil
}

// levelText names an institution level (一级 … 三级, 无).
func levelText(n int) string {
	if name, ok := web.LevelNames[n]; ok {
		return name
	}
	return strconv.Itoa(n)
}

func init() { funcs["instLevel"] = levelText }
