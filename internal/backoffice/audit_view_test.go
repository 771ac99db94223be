package backoffice

import (
	"testing"

	"gongshang/internal/audit"
)

// An entry's snapshots become rows with Chinese labels and shown values;
// only what differs is marked changed; masked data stays as it was stored.
func TestDiffOf(t *testing.T) {
	t.Parallel()
	e := audit.Entry{
		Before: `{"id":7,"name":"济宁机械","region_code":"370811","address":"旧址","risk_class":4,"contact_phone_masked":"139****2345","updated_at":"2026-03-02T01:30:00Z"}`,
		After:  `{"id":7,"name":"济宁机械","region_code":"370811","address":"新址","risk_class":4,"contact_phone_masked":"139****2345","updated_at":"2026-03-03T01:30:00Z","status":"active"}`,
	}
	got := diffOf(e)
	want := []diffRow{
		{"编号", "7", "7", false}, {"名称", "济宁机械", "济宁机械", false}, {"所属地区", "任城区", "任城区", false},
		{"地址", "旧址", "新址", true}, {"行业风险类别", "4类", "4类", false}, {"联系电话", "139****2345", "139****2345", false},
		{"修改时间", "2026-03-02 09:30:00", "2026-03-03 09:30:00", true}, {"状态", "", "正常", true},
	}
	if len(got) != len(want) {
		t.Fatalf("rows:\n got %v\nwant %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if s := changeSummary(got); s != "地址：旧址 → 新址；修改时间：2026-03-02 09:30:00 → 2026-03-03 09:30:00；状态：（空） → 正常" {
		t.Errorf("summary %q", s)
	}
}

func TestDiffOfCreationAndArrays(t *testing.T) {
	t.Parallel()
	rows := diffOf(audit.Entry{After: `[{"employer_id":3,"period":"2025-01","amount_fen":612345}]`})
	want := []diffRow{{"第1项 · 用人单位编号", "", "3", false}, {"第1项 · 缴费月份", "", "2025-01", false}, {"第1项 · 缴费工资", "", "6,123.45 元", false}}
	if len(rows) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, rows[i], want[i])
		}
	}
	if rows := diffOf(audit.Entry{After: `not json`}); len(rows) != 1 || rows[0].After != "not json" {
		t.Errorf("text that is no JSON: %v", rows)
	}
	if rows := diffOf(audit.Entry{}); rows != nil {
		t.Errorf("no snapshots: %v", rows)
	}
}
