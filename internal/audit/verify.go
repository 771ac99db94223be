package audit

import (
	"crypto/hmac"
	"fmt"
	"sort"
)

// Problem describes the first break in a chain.
type Problem struct {
	Seq    int64  // the first row that does not fit
	Reason string // Chinese
}

func (p *Problem) Error() string { return fmt.Sprintf("审计日志第%d条：%s", p.Seq, p.Reason) }

// Verifier walks a chain in Seq order, one entry at a time, so the store can
// stream millions of rows through it. Given checkpoints, it also requires
// each checkpointed position to still hold the hash it had.
type Verifier struct {
	key     Key
	seq     int64
	hash    string
	n       int64
	version int // highest hash version seen so far
	cps     []Checkpoint
	next    int // first checkpoint not yet reached
}

// NewVerifier starts at the genesis. checkpoints must have valid
// signatures (see ParseCheckpoints); their order does not matter.
func NewVerifier(key Key, checkpoints []Checkpoint) *Verifier {
	cps := append([]Checkpoint(nil), checkpoints...)
	sort.SliceStable(cps, func(i, j int) bool { return cps[i].Seq < cps[j].Seq })
	v := &Verifier{key: key, hash: Genesis, cps: cps}
	for v.next < len(cps) && cps[v.next].Seq <= 0 {
		v.next++
	}
	return v
}

// Next checks one entry; it returns the first problem found.
func (v *Verifier) Next(e Entry) *Problem {
	switch {
	case e.Seq > v.seq+1:
		return &Problem{Seq: v.seq + 1, Reason: fmt.Sprintf("缺失（下一条为第%d条），记录被删除", e.Seq)}
	case e.Seq != v.seq+1:
		return &Problem{Seq: e.Seq, Reason: "序号重复或顺序被调换"}
	case e.HashVersion != V1 && e.HashVersion != V2:
		return &Problem{Seq: e.Seq, Reason: fmt.Sprintf("未知的哈希版本%d", e.HashVersion)}
	case e.HashVersion < v.version:
		return &Problem{Seq: e.Seq, Reason: "哈希版本低于前一条：记录被用无密钥的旧算法重新计算"}
	case e.PrevHash != v.hash:
		return &Problem{Seq: e.Seq, Reason: "前序哈希与上一条不符：上一条被修改、删除或顺序被调换"}
	case !hmac.Equal([]byte(ComputeHash(e, v.key)), []byte(e.Hash)):
		return &Problem{Seq: e.Seq, Reason: "内容与哈希不符：记录被修改，或不是用审计密钥封存的"}
	}
	v.seq, v.hash, v.version = e.Seq, e.Hash, e.HashVersion
	v.n++
	for ; v.next < len(v.cps) && v.cps[v.next].Seq == e.Seq; v.next++ {
		if cp := v.cps[v.next]; cp.Hash != e.Hash || cp.Count != v.n {
			return &Problem{Seq: e.Seq, Reason: fmt.Sprintf("与%s的检查点不符：该条及之前的记录被改写", cp.At)}
		}
	}
	return nil
}

// Finish compares the last entry seen with the chain head the store keeps,
// which catches deletion of the newest rows, checks the head's MAC once the
// chain holds keyed entries, and requires every checkpoint to have been
// reached, which catches rows cut since a checkpoint even when the head was
// put back to an older, genuinely signed state.
func (v *Verifier) Finish(head Head) *Problem {
	if head.Seq != v.seq || (head.Seq > 0 && head.Hash != v.hash) {
		return &Problem{Seq: v.seq + 1, Reason: fmt.Sprintf("日志末尾缺失：链头记录为第%d条，实际只到第%d条", head.Seq, v.seq)}
	}
	if v.next < len(v.cps) {
		cp := v.cps[len(v.cps)-1]
		return &Problem{Seq: v.seq + 1, Reason: fmt.Sprintf("日志末尾被截断：%s的检查点记录到第%d条，现在只到第%d条", cp.At, cp.Seq, v.seq)}
	}
	if (v.version >= V2 || head.MAC != "") && !hmac.Equal([]byte(head.MAC), []byte(headMAC(head, v.key))) {
		return &Problem{Seq: v.seq + 1, Reason: "链头签名无效：链头被改写，日志末尾可能被截断"}
	}
	return nil
}

// Count is how many entries were verified.
func (v *Verifier) Count() int64 { return v.n }
