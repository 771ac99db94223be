package casebundle

import (
	"fmt"
	"strings"
	"time"

	"gongshang/internal/deadline"
	"gongshang/internal/param"
)

// Clock is the time limit a service is under now.
type Clock struct {
	Step        string // deadline step name
	Start       string // the triggering event's date
	Party       Party
	Due         string
	Explanation string
	Provisional bool // a year without a loaded holiday calendar was consulted
}

// clockStep says which step runs in a service's state and from which date;
// step "" means no time limit runs (waiting, suspended, finished).
func (c *Case) clockStep(s *Service) (step, start string, party Party) {
	d := s.Detail
	switch s.Kind {
	case Recognition:
		switch s.State {
		case Received:
			return "recognition_acceptance", d.ReceivedOn, PartyAgency
		case Corrected:
			return "recognition_acceptance_corrected", d.CorrectedOn, PartyAgency
		case Accepted, Investigating:
			return "recognition_decision", d.AcceptedOn, PartyAgency
		case Decided:
			return "recognition_delivery", d.DecidedOn, PartyAgency
		case Delivered:
			return "admin_review_request", d.DeliveredOn, PartyWindow
		case NotAccepted:
			return "admin_review_request", d.DecidedOn, PartyWindow
		}
	case InitialAssess, Reassessment, ReviewAssessment:
		switch s.State {
		case Received:
			return "assessment_correction", d.ReceivedOn, PartyAgency
		case Panel, Scheduled:
			if d.Extended {
				return "assessment_conclusion_extended", d.ReceivedOn, PartyAgency
			}
			return "assessment_conclusion", d.ReceivedOn, PartyAgency
		case Concluded:
			return "assessment_delivery", d.DecidedOn, PartyAgency
		case Delivered:
			if s.Kind != Reassessment { // the provincial conclusion is final
				return "reassessment_request", d.DeliveredOn, PartyWindow
			}
		}
	case PaidLeaveExt, Recurrence, DeviceConfirm, RehabConfirm:
		switch s.State {
		case Received:
			return "assessment_conclusion", d.ReceivedOn, PartyAgency
		case Concluded:
			return "assessment_delivery", d.DecidedOn, PartyAgency
		}
	}
	return "", "", ""
}

// ClockOf computes the time limit a service is under now.
func (c *Case) ClockOf(s *Service, r *param.Resolver) (Clock, error) {
	step, start, party := c.clockStep(s)
	if step == "" {
		return Clock{}, nil
	}
	from, ok := ParseDate(start)
	if !ok {
		return Clock{}, fmt.Errorf("casebundle: %s in %s has no start date for %s", s.Kind, s.State, step)
	}
	// The simple procedure shortens only the steps that have a simple limit.
	st, _ := deadline.StepByName(step)
	simple := c.Simple && s.Kind == Recognition && st.SimpleKey != ""
	// A suspension (or an exam moved at the worker's request) stops the
	// decision's or the conclusion's clock only, not the later steps'.
	var susp []deadline.Suspension
	if step == "recognition_decision" || strings.HasPrefix(step, "assessment_conclusion") {
		susp = s.Suspensions
	}
	res, err := deadline.Compute(r, deadline.Request{Step: step, Start: from, Simple: simple, Suspensions: susp})
	if err != nil {
		return Clock{}, err
	}
	return Clock{Step: step, Start: start, Party: party, Due: res.Due.Format(time.DateOnly),
		Explanation: res.Explanation, Provisional: res.Provisional}, nil
}

// Reclock recomputes every service's step and due date, as after a
// suspension, resumption, extension or a fall-back to the normal procedure.
// The overdue mark is cleared when the due date moves.
func (c *Case) Reclock(r *param.Resolver) error {
	if r == nil {
		return nil
	}
	for i := range c.Services {
		s := &c.Services[i]
		cl, err := c.ClockOf(s, r)
		if err != nil {
			return err
		}
		if cl.Step != s.Step || cl.Due != s.Due {
			s.Overdue = false
		}
		s.Step, s.Due, s.Party = cl.Step, cl.Due, cl.Party
	}
	return nil
}

// Period is the application period of a case (条例 Art. 17).
type Period struct {
	Step    string // employer_application or worker_application
	Due     string
	Late    bool
	Explain string
}

// ApplicationPeriod computes the applicant's period from the injury date,
// leaving out the recorded excluded days (法释〔2014〕9号 Art. 7), and
// whether the application came after it.
func (c *Case) ApplicationPeriod(r *param.Resolver) (Period, error) {
	step := "worker_application"
	if c.Applicant == ApplicantEmployer {
		step = "employer_application"
	}
	inj, ok := ParseDate(c.InjuryDate)
	if !ok {
		return Period{}, fmt.Errorf("casebundle: injury date %q", c.InjuryDate)
	}
	req := deadline.Request{Step: step, Start: inj}
	if c.ExcludedDays > 0 {
		req.Suspensions = []deadline.Suspension{{From: inj, To: inj.AddDate(0, 0, c.ExcludedDays)}}
	}
	res, err := deadline.Compute(r, req)
	if err != nil {
		return Period{}, err
	}
	due := res.Due.Format(time.DateOnly)
	p := Period{Step: step, Due: due, Late: c.ApplicationDate > due}
	limit := "1年"
	if step == "employer_application" {
		limit = "30日"
	}
	p.Explain = fmt.Sprintf("%s申请期限为受伤（诊断）之日起%s，截止%s", c.Applicant.Name(), limit, due)
	if c.ExcludedDays > 0 {
		p.Explain += fmt.Sprintf("（已扣除不计入时限的%d日）", c.ExcludedDays)
	}
	return p, nil
}
