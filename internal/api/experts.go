package api

import (
	"net/http"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/web"
)

// The assessment committee's expert pool (专家库): the city's committee
// (37xx00) assesses initial and 复查 cases, the province's (370000) 再次鉴定.

// committeeOf is the committee region a staff member's region answers to.
func committeeOf(p access.Principal) string {
	if len(p.RegionCode) != 6 {
		return p.RegionCode
	}
	return p.RegionCode[:4] + "00"
}

// expertInput is a new member of a committee's pool.
type expertInput struct {
	RegionCode        string   `json:"region_code" openapi:"optional"` // the committee; the caller's city when empty
	Name              string   `json:"name"`
	Group             string   `json:"group"`
	Hospital          string   `json:"hospital"`
	HospitalCode      string   `json:"hospital_code" openapi:"optional"`
	Title             string   `json:"title"`
	Status            string   `json:"status" openapi:"optional"` // active when empty
	TermStart         string   `json:"term_start"`                // YYYY-MM-DD
	TermEnd           string   `json:"term_end"`                  // YYYY-MM-DD
	ConflictEmployers []int64  `json:"conflict_employers" openapi:"optional"`
	ConflictHospitals []string `json:"conflict_hospitals" openapi:"optional"`
}

// expertOf reads the input's dates; the domain checks the rest.
func expertOf(in expertInput) (expertpool.Expert, error) {
	var fs errs.Fields
	date := func(field, label, v string) time.Time {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
		if err != nil {
			fs.Add(field, "date_format", "请填写有效的%s（格式YYYY-MM-DD）", label)
		}
		return d
	}
	e := expertpool.Expert{Name: in.Name, Group: expertpool.Group(in.Group), Hospital: in.Hospital, HospitalCode: in.HospitalCode,
		Title: in.Title, Status: expertpool.Status(in.Status), TermStart: date("term_start", "聘期开始日期", in.TermStart),
		TermEnd: date("term_end", "聘期结束日期", in.TermEnd), ConflictEmployers: in.ConflictEmployers, ConflictHospitals: in.ConflictHospitals}
	return e, fs.Err()
}

func (s *Server) apiExperts(w http.ResponseWriter, r *http.Request, rq *request) error {
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	if region == "" {
		region = committeeOf(rq.P)
	}
	es, err := s.store.Experts(r.Context(), rq.P, region)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[expertpool.Expert]{Items: nonNil(es), Total: len(es), Limit: len(es)})
	return nil
}

func (s *Server) apiExpertCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in expertInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := expertOf(in)
	if err != nil {
		return err
	}
	region := strings.TrimSpace(in.RegionCode)
	if region == "" {
		region = committeeOf(rq.P)
	}
	if err := s.store.CreateExpert(r.Context(), rq.P, region, &e); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, e)
	return nil
}
