package catalogue

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestValidCode(t *testing.T) {
	tests := []struct {
		cat  Category
		code string
		want bool
	}{
		{Drug, "XJ01DCT084B001010100123", true},
		{Drug, "ZG02AAG040A001010100456", true},
		{Drug, "XJ01DCT084B0", false},              // the 12-character drug code without spec and maker
		{Drug, "YJ01DCT084B001010100123", false},   // neither X nor Z
		{Drug, "X101DCT084B001010100123", false},   // classification starts with a letter
		{Drug, "xj01dct084b001010100123", false},   // not normalized
		{Item, "001102000010000", true},            // national item
		{Item, "371102000010000", true},            // a Shandong item
		{Item, "991102000010000", false},           // no such origin
		{Item, "00110200001000", false},            // 14 digits
		{Bed, "001103000010100", true},             // beds share the service shape
		{Rehab, "003402000010000", true},           // so do rehab items
		{Material, "C03050107900101000123", false}, // 21 characters
		{Material, "C0305010790010100012", true},
		{Material, "D0305010790010100012", false},
		{Device, "D37062409001", true},
		{Device, "D99062409001", false}, // no province 99
		{Device, "D3706240900", false},
		{Category("x"), "001102000010000", false},
	}
	for _, tt := range tests {
		if got := ValidCode(tt.cat, tt.code); got != tt.want {
			t.Errorf("ValidCode(%s, %s) = %v, want %v", tt.cat, tt.code, got, tt.want)
		}
	}
}

func TestParseYuanAndDay(t *testing.T) {
	for in, want := range map[string]int64{"12.5": 1250, "12.50": 1250, "0": 0, "1,234.05": 123405, "7.": 700, "0.01": 1} {
		if got, ok := parseYuan(in); !ok || got != want {
			t.Errorf("parseYuan(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"-1", "1.234", "abc", "", "1e3"} {
		if _, ok := parseYuan(in); ok {
			t.Errorf("parseYuan(%q) accepted", in)
		}
	}
	for in, want := range map[string]string{"2026-07-01": "2026-07-01", "2026/7/1": "2026-07-01", "2026.7.1": "2026-07-01",
		"46204": "2026-07-01", "45658": "2025-01-01", "45658.0": "2025-01-01"} {
		if got, ok := parseDay(in); !ok || got != want {
			t.Errorf("parseDay(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"2026-02-30", "2026-13-01", "1", "20260701", "1899-12-31", "2026年7月1日"} {
		if d, ok := parseDay(in); ok {
			t.Errorf("parseDay(%q) accepted as %s", in, d)
		}
	}
}

// good is a valid catalogue row in EntryHeader order.
func good() []string {
	return []string{"诊疗项目", "001102000010000", "普通门诊诊查费", "", "次", "8", "9", "10", "是", "2025-01-01", "",
		"1", "", "", "", "", "370000", ""}
}

// with returns good() with the cell under title set to v.
func with(title, v string) []string {
	r := good()
	for i, h := range entryHeader {
		if h == title {
			r[i] = v
		}
	}
	return r
}

func device() []string {
	r := with(ColCategory, "辅助器具")
	r[1], r[2], r[5], r[6], r[7], r[11] = "D37062409001", "小腿假肢", "", "", "", ""
	r[14], r[15] = "6000", "36"
	return r
}

func TestParseEntriesProblems(t *testing.T) {
	tests := []struct {
		name   string
		row    []string
		column string
		want   string // in the message
	}{
		{"category empty", with(ColCategory, ""), ColCategory, "不能为空"},
		{"category unknown", with(ColCategory, "耗材"), ColCategory, "应为药品"},
		{"code empty", with(ColCode, ""), ColCode, "不能为空"},
		{"code shape", with(ColCode, "1102000010000"), ColCode, "15位"},
		{"drug code shape", with(ColCategory, "药品"), ColCode, "23位"},
		{"name empty", with(ColName, " "), ColName, "不能为空"},
		{"name long", with(ColName, strings.Repeat("名", 201)), ColName, "200"},
		{"price text", with(ColPrice2, "九元"), ColPrice2, "不是金额"},
		{"price decimals", with(ColPrice3, "10.005"), ColPrice3, "两位小数"},
		{"price negative", with(ColPrice1, "-1"), ColPrice1, "不是金额"},
		{"price order", with(ColPrice1, "12"), ColPrice1, "低等级"},
		{"covered empty", with(ColCovered, ""), ColCovered, "不能为空"},
		{"covered bad", with(ColCovered, "可以"), ColCovered, "是或否"},
		{"from empty", with(ColValidFrom, ""), ColValidFrom, "不能为空"},
		{"from bad", with(ColValidFrom, "2025-02-30"), ColValidFrom, "不是日期"},
		{"to bad", with(ColValidTo, "明年"), ColValidTo, "不是日期"},
		{"to before from", with(ColValidTo, "2024-12-31"), ColValidTo, "早于生效日期"},
		{"per day bad", with(ColPerDay, "两次"), ColPerDay, "整数"},
		{"per stay negative", with(ColPerStay, "-3"), ColPerStay, "整数"},
		{"interval bad", with(ColMinInterval, "1.5"), ColMinInterval, "整数"},
		{"region empty", with(ColRegion, ""), ColRegion, "不能为空"},
		{"region bad", with(ColRegion, "3700"), ColRegion, "6位"},
		{"limit on an item", with(ColDeviceLimit, "100"), ColDeviceLimit, "只有辅助器具"},
		{"life on an item", with(ColLifeMonths, "12"), ColLifeMonths, "只有辅助器具"},
		{"device without limit", func() []string { r := device(); r[14] = ""; return r }(), ColDeviceLimit, "必须填写最高支付限额"},
		{"device zero limit", func() []string { r := device(); r[14] = "0.00"; return r }(), ColDeviceLimit, "应大于0"},
		{"device without life", func() []string { r := device(); r[15] = ""; return r }(), ColLifeMonths, "必须填写最低使用年限"},
		{"device zero life", func() []string { r := device(); r[15] = "0"; return r }(), ColLifeMonths, "应大于0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, ps := ParseEntries([][]string{entryHeader, good(), tt.row})
			if len(es) != 1 || len(ps) != 1 {
				t.Fatalf("entries %d, problems %v", len(es), ps)
			}
			p := ps[0]
			if p.Row != 3 || p.Column != tt.column || !strings.Contains(p.Message, tt.want) || !strings.HasPrefix(p.Message, tt.column+"：") {
				t.Errorf("problem %+v, want row 3, column %s, message naming the column with %q", p, tt.column, tt.want)
			}
		})
	}
}

func TestParseEntriesHeaderAndForms(t *testing.T) {
	if _, ps := ParseEntries(nil); len(ps) != 1 || ps[0].Row != 1 {
		t.Errorf("empty sheet: %v", ps)
	}
	_, ps := ParseEntries([][]string{{"名称", "规格"}, {"x", "y"}})
	if len(ps) != 1 || ps[0].Row != 1 || !strings.Contains(ps[0].Message, ColCode) || !strings.Contains(ps[0].Message, ColRegion) {
		t.Errorf("missing columns: %v", ps)
	}
	// Any column order, unknown columns ignored, full-width parentheses,
	// English category, Y/N, slash dates and Excel serials, blank rows.
	header := []string{"备注", "发布地区", "序号", "医保目录编码", "目录类别", "名称", "三级限价（元）", "工伤基金支付（是/否）", "生效日期", "失效日期"}
	rows := [][]string{header,
		{"", "370000", "1", " 001102000010000 ", "item", "诊查费", "10.5", "Y", "2025/1/1", "46203"},
		{"", "", "", "", "", "", "", "", "", ""},
		{},
		{"新价", "370000", "2", "001102000010000", "诊疗项目", "诊查费", "11", "1", "46204", ""},
	}
	es, ps := ParseEntries(rows)
	if len(ps) != 0 || len(es) != 2 {
		t.Fatalf("entries %v, problems %v", es, ps)
	}
	want := Entry{Region: "370000", Code: "001102000010000", Name: "诊查费", Category: Item, Prices: [3]int64{0, 0, 1050},
		Covered: true, ValidFrom: "2025-01-01", ValidTo: "2026-06-30"}
	if !reflect.DeepEqual(es[0], want) {
		t.Errorf("got %+v\nwant %+v", es[0], want)
	}
	if es[1].ValidFrom != "2026-07-01" || es[1].Prices[2] != 1100 || es[1].Note != "新价" {
		t.Errorf("second row %+v", es[1])
	}
}

func TestParseEntriesOverlap(t *testing.T) {
	a := with(ColValidTo, "2026-06-30")
	b := with(ColValidFrom, "2026-06-30") // overlaps a by one day
	c := with(ColRegion, "320000")        // another region: no overlap
	d := with(ColValidFrom, "2026-07-01")
	es, ps := ParseEntries([][]string{entryHeader, a, b, c})
	if len(es) != 3 || len(ps) != 1 || ps[0].Row != 3 || ps[0].Column != ColValidFrom || !strings.Contains(ps[0].Message, "第2行") {
		t.Errorf("overlap: %d entries, %v", len(es), ps)
	}
	if _, ps := ParseEntries([][]string{entryHeader, a, d, c}); len(ps) != 0 {
		t.Errorf("adjacent windows: %v", ps)
	}
	if _, ps := ParseEntries([][]string{entryHeader, good(), d}); len(ps) != 1 {
		t.Errorf("an open row overlaps a later one: %v", ps)
	}
}

func goodBundle() []string {
	return []string{"002103000020000", "002103000010000", "1", "2025-01-01", "", "增强扫描含同部位平扫", "370000"}
}

func TestParseBundlesProblems(t *testing.T) {
	set := func(i int, v string) []string { r := goodBundle(); r[i] = v; return r }
	tests := []struct {
		name   string
		row    []string
		column string
		want   string
	}{
		{"code1 empty", set(0, ""), ColCode1, "不能为空"},
		{"code1 shape", set(0, "ABC"), ColCode1, "不是医保目录编码"},
		{"code2 empty", set(1, ""), ColCode2, "不能为空"},
		{"code2 shape", set(1, "123"), ColCode2, "不是医保目录编码"},
		{"same code", set(1, "002103000020000"), ColCode2, "相同"},
		{"indicator empty", set(2, ""), ColIndicator, "不能为空"},
		{"indicator bad", set(2, "9"), ColIndicator, "应为0"},
		{"from empty", set(3, ""), ColValidFrom, "不能为空"},
		{"from bad", set(3, "2025-13-01"), ColValidFrom, "不是日期"},
		{"to before", set(4, "2024-01-01"), ColValidTo, "早于"},
		{"region bad", set(6, "37"), ColRegion, "6位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := []string{"001204000060000", "001204000020000", "1", "2025-01-01", "", "", "370000"}
			bs, ps := ParseBundles([][]string{bundleHeader, other, tt.row})
			if len(bs) != 1 || len(ps) != 1 {
				t.Fatalf("bundles %d, problems %v", len(bs), ps)
			}
			p := ps[0]
			if p.Row != 3 || p.Column != tt.column || !strings.Contains(p.Message, tt.want) || !strings.HasPrefix(p.Message, tt.column+"：") {
				t.Errorf("problem %+v, want row 3, column %s, %q", p, tt.column, tt.want)
			}
		})
	}
	if _, ps := ParseBundles([][]string{{"项目编码"}}); len(ps) != 1 || !strings.Contains(ps[0].Message, ColCode2) {
		t.Errorf("missing columns: %v", ps)
	}
	rev := goodBundle()
	rev[0], rev[1] = rev[1], rev[0]
	if _, ps := ParseBundles([][]string{bundleHeader, goodBundle(), rev}); len(ps) != 1 || ps[0].Row != 3 {
		t.Errorf("the same pair reversed overlaps: %v", ps)
	}
}

// cellText formats an exported cell as a sheet reader gives it back.
func cellText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case Money:
		return v.Yuan()
	default:
		return fmt.Sprint(v)
	}
}

func TestRoundTrip(t *testing.T) {
	es, bs := Sample()
	rows := [][]string{EntryHeader()}
	for _, e := range es {
		var r []string
		for _, c := range EntryCells(e) {
			r = append(r, cellText(c))
		}
		rows = append(rows, r)
	}
	got, ps := ParseEntries(rows)
	if len(ps) > 0 || !reflect.DeepEqual(got, es) {
		t.Fatalf("entries round trip: %d problems (%v), equal %v", len(ps), ps, reflect.DeepEqual(got, es))
	}
	rows = [][]string{BundleHeader()}
	for _, b := range bs {
		var r []string
		for _, c := range BundleCells(b) {
			r = append(r, cellText(c))
		}
		rows = append(rows, r)
	}
	gotB, ps := ParseBundles(rows)
	if len(ps) > 0 || !reflect.DeepEqual(gotB, bs) {
		t.Fatalf("bundles round trip: %v", ps)
	}
	if len(EntryCells(es[0])) != len(EntryHeader()) || len(BundleCells(bs[0])) != len(BundleHeader()) {
		t.Error("cells and header differ in length")
	}
	if Money(123405).Yuan() != "1234.05" || Money(-5).Yuan() != "-0.05" {
		t.Error("Money.Yuan")
	}
}
