package expertpool

import (
	"fmt"
	"testing"

	"gongshang/internal/benefit"
	"gongshang/internal/errs"
)

// votes builds votes for experts 1, 2, … from "level/care" pairs.
func votes(pairs ...string) []Vote {
	vs := make([]Vote, len(pairs))
	for i, p := range pairs {
		var care string
		fmt.Sscanf(p, "%d/%s", &vs[i].Level, &care)
		vs[i].ExpertID, vs[i].Care = int64(i+1), benefit.Care(care)
	}
	return vs
}

func TestMajority(t *testing.T) {
	tests := []struct {
		name    string
		votes   []Vote
		level   int
		care    benefit.Care
		dissent []int64
		err     string // "" = decided
	}{
		{"Unanimous", votes("5/none", "5/none", "5/none"), 5, benefit.CareNone, []int64{}, ""},
		{"TwoOfThree", votes("7/none", "6/none", "7/none"), 7, benefit.CareNone, []int64{2}, ""},
		{"NoLevelByMajority", votes("0/none", "0/none", "10/none"), 0, benefit.CareNone, []int64{3}, ""},
		{"CareDecidedApart", votes("2/full", "2/most", "1/full"), 2, benefit.CareFull, []int64{2, 3}, ""},
		{"EmptyCareIsNone", votes("9/", "9/none", "9/"), 9, benefit.CareNone, []int64{}, ""},
		{"ThreeOfFive", votes("4/partial", "3/partial", "4/partial", "4/most", "5/partial"), 4, benefit.CarePartial, []int64{2, 4, 5}, ""},
		{"NoMajorityOfThree", votes("5/none", "6/none", "7/none"), 0, "", nil,
			"伤残等级未形成多数意见，需重新评议（五级1票、六级1票、七级1票）"},
		{"TieOfFiveHasNoTieBreak", votes("5/none", "5/none", "6/none", "6/none", "7/none"), 0, "", nil,
			"伤残等级未形成多数意见，需重新评议（五级2票、六级2票、七级1票）"},
		{"CareNoMajority", votes("3/full", "3/most", "3/partial"), 0, "", nil,
			"生活自理障碍程度未形成多数意见，需重新评议（生活完全不能自理1票、生活大部分不能自理1票、生活部分不能自理1票）"},
		{"FourVotes", votes("5/none", "5/none", "5/none", "5/none"), 0, "", nil, "应由专家组全体3名或5名专家表决，收到4票"},
		{"LevelOutOfRange", votes("11/none", "5/none", "5/none"), 0, "", nil, "专家1的伤残等级应为1–10级或未达到伤残等级，收到11"},
		{"UnknownCare", votes("5/some", "5/none", "5/none"), 0, "", nil, "专家1的生活自理障碍程度无效（some）"},
		{"DuplicateVoter", append(votes("5/none", "5/none"), Vote{ExpertID: 1, Level: 5}), 0, "", nil, "专家1重复表决"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Majority(tt.votes)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || !errs.Is(err, errs.Invalid) {
					t.Fatalf("Majority = %+v, %v\nwant error %s", c, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Level != tt.level || c.Care != tt.care || fmt.Sprint(c.Dissent) != fmt.Sprint(tt.dissent) {
				t.Errorf("got %+v, want level %d care %s dissent %v", c, tt.level, tt.care, tt.dissent)
			}
		})
	}
}

func TestRecordMajorityChecksVoters(t *testing.T) {
	rec := Record{Chosen: []Expert{{ID: 3}, {ID: 1}, {ID: 2}}}
	if _, err := rec.Majority(votes("5/none", "5/none", "6/none")); err != nil {
		t.Fatalf("panel votes: %v", err)
	}
	vs := votes("5/none", "5/none", "6/none")
	vs[2].ExpertID = 9
	_, err := rec.Majority(vs)
	if f, _ := errs.First(err); f.Code != "not_panel" || err.Error() != "表决专家（1、2、9）应与抽取的专家组（1、2、3）一致" {
		t.Fatalf("got %v", err)
	}
}
