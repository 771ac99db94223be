package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
)

func sampleReport(rows int) Report {
	g := &Grid{Columns: []GridColumn{{Header: "序号", Weight: 0.6}, {Header: "就诊流水号", Weight: 1.6}, {Header: "原因", Weight: 4}, {Header: "金额（元）"}}}
	for i := range rows {
		reason := "同日重复收取磁共振检查费，证据为费用明细L0000000002"
		if i%7 == 0 {
			reason = strings.Repeat("住院期间连续多日仅有床位费和护理费，", 12) // a tall row
		}
		g.Rows = append(g.Rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("ZY2025%06d", i), reason, "1,234.50"})
	}
	return Report{Authority: "济宁市人力资源和社会保障局", Title: "工伤保险基金稽核检查资料", Subtitle: "济宁市第一人民医院（H37080200001）",
		Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Footer: "内部资料 注意保密",
		Sections: []Section{
			{Heading: "一、风险概况", Fields: []Field{{Label: "风险层级", Value: "高"}, {Label: "风险分", Value: "0.87"}}},
			{Heading: "二、筛查线索", Grid: g},
			{Heading: "三、检查清单", NewPage: true, Paragraphs: []string{"□ 不打招呼到病区床旁点名"}},
		}}
}

func TestRenderReportPagesAndBytes(t *testing.T) {
	short, err := RenderReport(sampleReport(3))
	if err != nil {
		t.Fatal(err)
	}
	long, err := RenderReport(sampleReport(120))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(short, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	// the short report: head and grid on page 1, the checklist's new page
	if n := len(pageObject.FindAll(short, -1)); n != 2 {
		t.Fatalf("short report has %d pages, want 2", n)
	}
	if n := len(pageObject.FindAll(long, -1)); n < 6 {
		t.Fatalf("120 rows on %d pages", n)
	}
	again, _ := RenderReport(sampleReport(120))
	if !bytes.Equal(long, again) {
		t.Fatal("two renders of one report differ")
	}
}

func TestRenderReportRefuses(t *testing.T) {
	r := sampleReport(2)
	r.Title, r.Date = "", time.Time{}
	r.Sections[1].Grid.Rows[1][2] = "\U0001F600"
	r.Sections[1].Grid.Rows = append(r.Sections[1].Grid.Rows, []string{"1", "2", "3", "4", "5"})
	_, err := RenderReport(r)
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{"title", "date", "sections[1].grid.rows[1][2]", "sections[1].grid.rows[2]"} {
		if !hasField(err, want) {
			t.Errorf("no error for %s: %v", want, err)
		}
	}
}

func hasField(err error, name string) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == name {
			return true
		}
	}
	return false
}
