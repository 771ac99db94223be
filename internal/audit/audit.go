// Package audit defines the append-only, hash-chained audit log. Each entry
// carries the hash of the one before it, so editing, deleting or reordering
// any row breaks the chain from that row on. The store appends entries in
// the same transaction as the change they describe. Pure logic, no I/O.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is one audited change.
type Entry struct {
	Seq        int64  `json:"seq"` // 1, 2, 3, … without gaps
	At         string `json:"at"`  // UTC instant, microseconds, RFC 3339
	ActorID    int64  `json:"actor_id"`
	Actor      string `json:"actor"` // username
	Role       string `json:"role"`
	Region     string `json:"region"`
	Action     string `json:"action"` // e.g. employer.create
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	ObjRegion  string `json:"object_region"` // region of the object changed
	Before     string `json:"before"`        // JSON snapshot, "" for creations
	After      string `json:"after"`         // JSON snapshot, "" for deletions
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// Genesis is the PrevHash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// FormatTime fixes an instant to the precision both engines keep.
func FormatTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// Snapshot renders an object as the JSON kept in Before/After. Callers pass
// views with personal data already masked.
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

// ComputeHash returns the hash of e chained to e.PrevHash. Every field but
// Hash enters it, each length-prefixed so no two entries collide by shifting
// text between fields.
func ComputeHash(e Entry) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.At, strconv.FormatInt(e.ActorID, 10), e.Actor, e.Role,
		e.Region, e.Action, e.ObjectType, e.ObjectID, e.ObjRegion, e.Before, e.After, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets PrevHash and Hash for e appended after prev (nil for the first).
func Seal(e *Entry, prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = ComputeHash(*e)
}

// Problem describes the first break in a chain.
type Problem struct {
	Seq    int64  // the first row that does not fit
	Reason string // Chinese
}

func (p *Problem) Error() string { return fmt.Sprintf("审计日志第%d条：%s", p.Seq, p.Reason) }

// Verifier walks a chain in Seq order, one entry at a time, so the store can
// stream millions of rows through it.
type Verifier struct {
	seq  int64
	hash string
	n    int64
}

// NewVerifier starts at the genesis.
func NewVerifier() *Verifier { return &Verifier{hash: Genesis} }

// Next checks one entry; it returns the first problem found.
func (v *Verifier) Next(e Entry) *Problem {
	switch {
	case e.Seq != v.seq+1 && e.Seq > v.seq+1:
		return &Problem{Seq: v.seq + 1, Reason: fmt.Sprintf("缺失（下一条为第%d条），记录被删除", e.Seq)}
	case e.Seq != v.seq+1:
		return &Problem{Seq: e.Seq, Reason: "序号重复或顺序被调换"}
	case e.PrevHash != v.hash:
		return &Problem{Seq: e.Seq, Reason: "前序哈希与上一条不符：上一条被修改、删除或顺序被调换"}
	case ComputeHash(e) != e.Hash:
		return &Problem{Seq: e.Seq, Reason: "内容与哈希不符，记录被修改"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.n++
	return nil
}

// Finish compares the last entry seen with the chain head the store keeps,
// which catches deletion of the newest rows.
func (v *Verifier) Finish(headSeq int64, headHash string) *Problem {
	if headSeq != v.seq || (headSeq > 0 && headHash != v.hash) {
		return &Problem{Seq: v.seq + 1, Reason: fmt.Sprintf("日志末尾缺失：链头记录为第%d条，实际只到第%d条", headSeq, v.seq)}
	}
	return nil
}

// Count is how many entries were verified.
func (v *Verifier) Count() int64 { return v.n }

// ActionName gives a Chinese label for an action code, for display.
func ActionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	return strings.ReplaceAll(action, ".", " ")
}

var actionNames = map[string]string{
	"employer.create": "登记用人单位", "employer.update": "修改用人单位",
	"worker.create": "登记职工", "worker.update": "修改职工",
	"employment.create": "登记劳动关系", "employment.end": "终止劳动关系",
	"wage.record": "登记缴费工资", "user.create": "新建用户", "user.update": "修改用户",
	"user.login": "登录", "user.login_failed": "登录失败", "user.locked": "账号锁定", "user.logout": "退出", "user.password": "修改密码",
	"import.run": "批量导入", "param.add": "新增参数版本", "demo.load": "载入演示数据",
}
