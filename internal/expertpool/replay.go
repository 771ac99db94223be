package expertpool

import (
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/errs"
)

// Replay draws again from pool with the recorded request and reports, in
// one Conflict error, every way the result differs from rec: the pool
// digest, the eligible experts, the exclusions and the panel. nil means
// the record is reproduced exactly. pool is the pool as it stood at the
// draw (the caller keeps that snapshot).
func Replay(pool []Expert, rec Record) error {
	if rec.Algorithm != Algorithm {
		return errs.E(errs.Conflict, "抽取记录使用的算法“%s”本系统不支持（支持“%s”），无法重放", rec.Algorithm, Algorithm)
	}
	got, err := Draw(pool, rec.Request)
	if err != nil {
		return errs.E(errs.Conflict, "重放抽取失败：%s", err.Error())
	}
	if diffs := compare(rec, got); len(diffs) > 0 {
		return errs.E(errs.Conflict, "重放结果与抽取记录不一致：%s", strings.Join(diffs, "；"))
	}
	return nil
}

// compare lists the differences between a record and its replay.
func compare(rec, got Record) []string {
	var diffs []string
	if rec.PoolDigest != got.PoolDigest {
		diffs = append(diffs, fmt.Sprintf("专家库与抽取时不同（摘要 %.12s ≠ %.12s）", rec.PoolDigest, got.PoolDigest))
	}
	if d := setDiff("可抽取专家", rec.Eligible, got.Eligible); d != "" {
		diffs = append(diffs, d)
	}
	if !slices.EqualFunc(rec.Excluded, got.Excluded, sameExclusion) {
		diffs = append(diffs, fmt.Sprintf("排除名单不同（记录：%s；重放：%s）", exclusions(rec.Excluded), exclusions(got.Excluded)))
	}
	if r, g := rec.ChosenIDs(), got.ChosenIDs(); !slices.Equal(r, g) {
		diffs = append(diffs, fmt.Sprintf("抽中专家不同（记录：%s；重放：%s）", idList(r), idList(g)))
	}
	return diffs
}

// setDiff describes which IDs only one of the two lists holds, or a
// change of order; "" when the lists are equal.
func setDiff(label string, rec, got []int64) string {
	if slices.Equal(rec, got) {
		return ""
	}
	var onlyRec, onlyGot []int64
	for _, id := range rec {
		if !slices.Contains(got, id) {
			onlyRec = append(onlyRec, id)
		}
	}
	for _, id := range got {
		if !slices.Contains(rec, id) {
			onlyGot = append(onlyGot, id)
		}
	}
	return fmt.Sprintf("%s不同（仅记录中有：%s；仅重放中有：%s）", label, orNone(onlyRec), orNone(onlyGot))
}

func orNone(ids []int64) string {
	if len(ids) == 0 {
		return "无"
	}
	return idList(ids)
}

func sameExclusion(a, b Exclusion) bool {
	return a.ExpertID == b.ExpertID && a.Group == b.Group && slices.Equal(a.Reasons, b.Reasons)
}

// exclusions formats exclusions for a message: "3（已停用）、7（申报回避）".
func exclusions(xs []Exclusion) string {
	if len(xs) == 0 {
		return "无"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		names := make([]string, len(x.Reasons))
		for j, r := range x.Reasons {
			names[j] = r.Name()
		}
		parts[i] = fmt.Sprintf("%d（%s）", x.ExpertID, strings.Join(names, "、"))
	}
	return strings.Join(parts, "、")
}
