package letters

import (
	"strings"
	"testing"

	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/pdf"
)

func sample(t *testing.T) Input {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := &casebundle.Case{Number: "GS370811-2025-000001", RegionCode: "370811", InjuryDate: "2025-03-10", ApplicationDate: "2025-03-20",
		ApplicantName: "济宁某某机械有限公司", Place: "二号车间", Cause: "操作冲床时右手被压伤", InjuredPart: "右手", Diagnosis: "右手示指末节骨折",
		Hospital: "济宁医学院附属医院", Services: []casebundle.Service{
			{ID: 1, Kind: casebundle.Recognition, State: casebundle.Decided, Detail: casebundle.Detail{AcceptedOn: "2025-03-21",
				DecidedOn: "2025-04-01", Outcome: casebundle.OutcomeRecognised, Ground: "14.1", Investigators: []string{"李明", "王芳"}}},
			{ID: 2, Kind: casebundle.InitialAssess, State: casebundle.Concluded, Detail: casebundle.Detail{ReceivedOn: "2025-04-01", PanelSize: 3,
				ExamOn: "2025-05-06", Level: 9, Clauses: []string{"5.9.2(14)"}}},
		}}
	return Input{Case: c, Service: &c.Services[0], On: "2025-04-01", Number: Number("任城区", Recognised, 2025, 12),
		Party:      Party{WorkerName: "张伟", Sex: "男", Age: 36, IDNumber: "370811198803151234", Employer: "济宁某某机械有限公司"},
		RegionName: "任城区", CityName: "济宁市", Params: param.NewResolver(set, "370811")}
}

// TestDecisionHasEveryArticle19Element: 令8号 Art. 19 — employer, worker's
// name, sex, age, ID; injured part, accident time, diagnosis, course;
// the legal basis; review and lawsuit bodies and limits; the date.
func TestDecisionHasEveryArticle19Element(t *testing.T) {
	in := sample(t)
	in.Kind = Recognised
	l, err := Compose(in)
	if err != nil {
		t.Fatal(err)
	}
	text := all(l)
	for _, want := range []string{"济宁某某机械有限公司", "张伟", "男", "36岁", "370811198803151234", "右手", "2025年3月10日", "右手示指末节骨折",
		"操作冲床时右手被压伤", "第十四条第（一）项", "60日内向济宁市任城区人民政府申请行政复议", "6个月内向人民法院提起行政诉讼"} {
		if !strings.Contains(text, want) {
			t.Errorf("decision lacks %q", want)
		}
	}
	if l.Number != "任人社工认〔2025〕000012号" || l.Date.Format("2006-01-02") != "2025-04-01" {
		t.Errorf("number %s date %s", l.Number, l.Date)
	}
}

// TestEveryKindRenders: each letter composes and prints (every character
// is in the shipped font), the same bytes twice.
func TestEveryKindRenders(t *testing.T) {
	for k := range titles {
		in := sample(t)
		in.Kind = k
		switch k {
		case Conclusion, ExamNotice:
			in.Service = &in.Case.Services[1]
			in.Service.Detail.ExamPlace = "济宁市劳动能力鉴定中心"
		case Correction:
			in.Service.Detail.Missing = []string{"diagnosis", "labour_relation"}
		case Refusal, Suspension:
			in.Service.Detail.Reason = "超过申请时限"
		case BenefitNotice:
			in.Service = &casebundle.Service{Kind: casebundle.BenefitApproval, Detail: casebundle.Detail{BaseWageFen: 600000, PreparedName: "王核", ApprovedName: "李审",
				Lines: []casebundle.BenefitLine{{Code: "disability_lump_sum", Name: "一次性伤残补助金", Payer: "fund", Period: "once", AmountFen: 5400000}}}}
		case NotRecognised:
			in.Service.Detail.Outcome, in.Service.Detail.Ground = casebundle.OutcomeNotRecognised, "16.2"
		}
		l, err := Compose(in)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		a, err := pdf.Render(l)
		if err != nil {
			t.Fatalf("%s: render: %v", k, err)
		}
		b, _ := pdf.Render(l)
		if string(a) != string(b) {
			t.Errorf("%s: two renders differ", k)
		}
		if k == Correction && !strings.Contains(all(l), "医疗诊断证明书") {
			t.Error("correction notice does not list the missing materials")
		}
	}
}

func TestFor(t *testing.T) {
	for _, tc := range []struct {
		svc  casebundle.ServiceKind
		act  casebundle.ActionName
		out  casebundle.Outcome
		want Kind
	}{
		{casebundle.Recognition, casebundle.ActAccept, "", Acceptance},
		{casebundle.Recognition, casebundle.ActDecide, casebundle.OutcomeDeemed, Recognised},
		{casebundle.Recognition, casebundle.ActDecide, casebundle.OutcomeNotRecognised, NotRecognised},
		{casebundle.InitialAssess, casebundle.ActNotice, "", Correction},
		{casebundle.ReviewAssessment, casebundle.ActConclude, "", Conclusion},
		{casebundle.BenefitApproval, casebundle.ActApprove, "", BenefitNotice},
	} {
		if got, ok := For(tc.svc, tc.act, tc.out); !ok || got != tc.want {
			t.Errorf("%s %s: %s", tc.svc, tc.act, got)
		}
	}
	if _, ok := For(casebundle.Recognition, casebundle.ActInvestigate, ""); ok {
		t.Error("investigation issues a letter")
	}
}

func all(l pdf.Letter) string {
	parts := append([]string{l.Authority, l.Title, l.Number, l.To, l.Notice, l.Signer}, l.Paragraphs...)
	parts = append(parts, l.Items...)
	for _, f := range l.Fields {
		parts = append(parts, f.Label+" "+f.Value)
	}
	return strings.Join(parts, "\n")
}
