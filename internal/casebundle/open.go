package casebundle

import (
	"slices"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// ChannelFor is the channel a principal's application arrives by: the
// portal for workers and employers; for staff the role decides (the
// hotline's operators, the partner insurer's staff), else the window.
func ChannelFor(p access.Principal) Channel {
	switch {
	case p.Kind == access.KindWorker || p.Kind == access.KindEmployer:
		return ChannelPortal
	case p.Role == access.RoleHotline:
		return ChannelHotline
	case p.Role == access.RoleInsurer:
		return ChannelInsurer
	}
	return ChannelWindow
}

// Open prepares a new case with its services: recognition received on the
// application date, the assessment prepared (it starts when a positive
// decision lands), the benefit decision in pre-check. kinds defaults to the
// standard bundle; recognition is always part of a case. A requested simple
// procedure needs the whole checklist. Late marks an application after its
// period; the clocks are computed.
func Open(c *Case, kinds []ServiceKind, r *param.Resolver) error {
	if len(kinds) == 0 {
		kinds = StandardBundle
	}
	if !slices.Contains(kinds, Recognition) {
		return errs.Field("services", "recognition_required", "工伤一件事须包含工伤认定")
	}
	c.Services = c.Services[:0]
	for i, k := range kinds {
		if k != Recognition && k != InitialAssess && k != BenefitApproval {
			return errs.Field("services", "not_at_opening", "%s不能在申请时一并办理，请在案件中另行申请", k.Name())
		}
		if slices.Index(kinds, k) != i {
			return errs.Field("services", "duplicate", "%s重复", k.Name())
		}
		s := Service{Kind: k, Version: 1}
		switch k {
		case Recognition:
			s.State, s.Detail.ReceivedOn = Received, c.ApplicationDate
		case InitialAssess:
			s.State = Prepared
		case BenefitApproval:
			s.State = Precheck
		}
		c.Services = append(c.Services, s)
	}
	if c.Simple && !c.Checklist.Complete() {
		return errs.Field("simple", "checklist", "适用简易程序须同时满足：%s；尚不满足：%s", "事实清楚、用人单位对工伤事实无异议、材料齐全、无第三方争议",
			strings.Join(c.Checklist.Missing(), "、"))
	}
	p, err := c.ApplicationPeriod(r)
	if err != nil {
		return err
	}
	c.Late = p.Late
	return c.Reclock(r)
}

// AddService gives a case a later service (再次鉴定, 复查鉴定 or a
// confirmation), received on date on.
func (c *Case) AddService(k ServiceKind, on string, r *param.Resolver) (*Service, error) {
	if !k.Valid() {
		return nil, errs.Field("service", "unknown", "业务类型“%s”不存在", k)
	}
	if k == Recognition || k == InitialAssess || k == BenefitApproval {
		return nil, errs.Field("service", "bundled", "%s在申请时办理，不能另行增加", k.Name())
	}
	rec := c.Service(Recognition)
	if rec == nil || !rec.Detail.Outcome.Positive() {
		return nil, errs.E(errs.Conflict, "工伤认定决定作出前不能申请%s", k.Name())
	}
	if k.IsAssessment() {
		prior := c.Service(InitialAssess)
		if prior == nil || (prior.State != Concluded && prior.State != Delivered) {
			return nil, errs.E(errs.Conflict, "初次鉴定结论作出前不能申请%s", k.Name())
		}
		for _, s := range c.Services {
			if s.Kind == k && !s.State.Final() {
				return nil, errs.E(errs.Conflict, "本案已有办理中的%s", k.Name())
			}
		}
		if k == Reassessment && prior.Detail.DeliveredOn != "" {
			from, _ := ParseDate(prior.Detail.DeliveredOn)
			res, err := deadline.Compute(r, deadline.Request{Step: "reassessment_request", Start: from})
			if err != nil {
				return nil, err
			}
			if due := res.Due.Format(time.DateOnly); on > due {
				return nil, errs.Field("on", "too_late", "再次鉴定须在收到鉴定结论之日起15日内申请（本案结论于%s送达，截止%s）", prior.Detail.DeliveredOn, due)
			}
		}
		if k == ReviewAssessment {
			earliest, err := c.reviewEarliest(prior, r)
			if err != nil {
				return nil, err
			}
			if on < earliest {
				return nil, errs.Field("on", "too_early", "复查鉴定须在鉴定结论作出1年后申请，最早%s", earliest)
			}
		}
	}
	c.Services = append(c.Services, Service{Kind: k, State: Received, Version: 1, Detail: Detail{ReceivedOn: on}})
	if err := c.Reclock(r); err != nil {
		return nil, err
	}
	return &c.Services[len(c.Services)-1], nil
}

func (c *Case) reviewEarliest(prior *Service, r *param.Resolver) (string, error) {
	from, _ := ParseDate(prior.Detail.DecidedOn)
	res, err := deadline.Compute(r, deadline.Request{Step: "review_assessment_earliest", Start: from})
	if err != nil {
		return "", err
	}
	return res.Due.Format(time.DateOnly), nil
}

// procedureOpen reports whether the recognition can still change procedure.
func (c *Case) procedureOpen() error {
	rec := c.Service(Recognition)
	switch rec.State {
	case Received, Correction, Corrected, Accepted, Investigating, Suspended:
		return nil
	}
	return errs.E(errs.Conflict, "工伤认定已%s，不能再变更程序", rec.State.Name())
}

// UseSimple switches the case to the simple procedure (简易程序) when the
// whole checklist holds; the clocks re-compute with the region's shortened
// limits.
func (c *Case) UseSimple(p access.Principal, cl Checklist, r *param.Resolver) error {
	if !p.Can(access.PermCaseRecognize) {
		return errs.E(errs.Forbidden, "您的角色不能变更工伤认定程序")
	}
	if err := c.procedureOpen(); err != nil {
		return err
	}
	if !cl.Complete() {
		return errs.Field("checklist", "incomplete", "适用简易程序须同时满足四项条件，尚不满足：%s", strings.Join(cl.Missing(), "、"))
	}
	c.Simple, c.Checklist, c.FallbackReason = true, cl, ""
	return c.Reclock(r)
}

// Fallback returns a simple case to the normal procedure with a reason;
// the clocks re-compute with the statutory limits.
func (c *Case) Fallback(p access.Principal, reason string, r *param.Resolver) error {
	if !p.Can(access.PermCaseRecognize) {
		return errs.E(errs.Forbidden, "您的角色不能变更工伤认定程序")
	}
	if !c.Simple {
		return errs.E(errs.Conflict, "本案未适用简易程序")
	}
	if err := c.procedureOpen(); err != nil {
		return err
	}
	if err := required("reason", "转为普通程序的理由", reason, maxLongText); err != nil {
		return err
	}
	c.Simple, c.FallbackReason = false, strings.TrimSpace(reason)
	return c.Reclock(r)
}
