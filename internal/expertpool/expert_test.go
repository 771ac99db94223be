package expertpool

import (
	"testing"
	"time"

	"gongshang/internal/errs"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// expert is a valid active expert in term from 2025-01-01 to 2027-12-31.
func expert(id int64, g Group, hospital string) Expert {
	return Expert{ID: id, Name: "专家" + idList([]int64{id}), Group: g, Hospital: hospital, Title: "主任医师",
		Status: StatusActive, TermStart: day("2025-01-01"), TermEnd: day("2027-12-31")}
}

func TestExpertValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Expert)
		field string // "" = valid
		code  string
	}{
		{"OK", func(*Expert) {}, "", ""},
		{"OKDeviceEngineer", func(e *Expert) { e.Group, e.Title = GroupDevice, "高级工程师" }, "", ""},
		{"OKFullThreeYears", func(e *Expert) { e.TermEnd = day("2028-01-01") }, "", ""},
		{"NameRequired", func(e *Expert) { e.Name = "" }, "name", "required"},
		{"GroupUnknown", func(e *Expert) { e.Group = "dental" }, "group", "unknown"},
		{"HospitalRequired", func(e *Expert) { e.Hospital = "" }, "hospital", "required"},
		{"TitleJunior", func(e *Expert) { e.Title = "主治医师" }, "title", "not_senior"},
		{"TitleEmpty", func(e *Expert) { e.Title = "" }, "title", "not_senior"},
		{"StatusUnknown", func(e *Expert) { e.Status = "on_leave" }, "status", "unknown"},
		{"TermStartRequired", func(e *Expert) { e.TermStart = time.Time{} }, "term_start", "required"},
		{"TermEndRequired", func(e *Expert) { e.TermEnd = time.Time{} }, "term_end", "required"},
		{"TermEndBeforeStart", func(e *Expert) { e.TermEnd = day("2024-12-31") }, "term_end", "before_start"},
		{"TermTooLong", func(e *Expert) { e.TermEnd = day("2028-01-02") }, "term_end", "too_long"},
		{"ConflictHospitalEmpty", func(e *Expert) { e.ConflictHospitals = []string{"  "} }, "conflict_hospitals", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := expert(1, GroupOrtho, "曲阜市人民医院")
			tt.edit(&e)
			e.Normalize()
			err := e.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			f, ok := errs.First(err)
			if !ok || f.Field != tt.field || f.Code != tt.code || !errs.Is(err, errs.Invalid) {
				t.Fatalf("Validate = %v (%+v), want field %s code %s", err, f, tt.field, tt.code)
			}
		})
	}
}

func TestTooLongNamesTheLastDay(t *testing.T) {
	e := expert(1, GroupOrtho, "曲阜市人民医院")
	e.TermEnd = day("2029-01-01")
	want := "专家聘期不超过3年（令55号第二十四条），结束日期最迟为2028年1月1日"
	if err := e.Validate(); err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestInTermAndWorksAt(t *testing.T) {
	e := expert(1, GroupOrtho, "曲阜市人民医院")
	e.HospitalCode = "PDY000123"
	for _, tt := range []struct {
		on   string
		want bool
	}{{"2024-12-31", false}, {"2025-01-01", true}, {"2027-12-31", true}, {"2028-01-01", false}} {
		// A time late in the day in another zone still counts by its date.
		on := day(tt.on).Add(23 * time.Hour).In(time.FixedZone("CST", 8*3600)).Add(-8 * time.Hour)
		if got := e.InTerm(on); got != tt.want {
			t.Errorf("InTerm(%s) = %v, want %v", tt.on, got, tt.want)
		}
	}
	for _, tt := range []struct {
		h    string
		want bool
	}{{"曲阜市人民医院", true}, {" 曲阜市人民医院 ", true}, {"PDY000123", true}, {"济宁医学院附属医院", false}, {"", false}} {
		if got := e.WorksAt(tt.h); got != tt.want {
			t.Errorf("WorksAt(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestGroups(t *testing.T) {
	want := map[Group]string{
		"neuro": "神经内科、神经外科、精神科门", "ortho": "骨科、整形外科、烧伤科门", "sense": "眼科、耳鼻喉科、口腔科门",
		"visceral": "普外科、胸外科、泌尿生殖科门", "occupational": "职业病内科门",
	}
	clinical := 0
	for _, g := range Groups() {
		if !g.Clinical() {
			continue
		}
		clinical++
		if g.Name() != want[g] {
			t.Errorf("%s: name %s, want %s", g, g.Name(), want[g])
		}
	}
	if clinical != 5 || GroupDevice.Clinical() || !GroupDevice.Valid() || Group("x").Valid() {
		t.Errorf("want five clinical groups and a non-clinical device group")
	}
}
