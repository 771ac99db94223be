package audit

import (
	"strings"
	"testing"
)

var testKey, _ = ParseKey(NewKey())

// chain seals n entries, the first v1 of them with the plain version 1
// hash, as a log written before keys was.
func chain(n, v1 int, key Key) ([]Entry, Head) {
	var out []Entry
	head := Head{Hash: Genesis}
	for i := 0; i < n; i++ {
		e := Entry{At: "2026-01-01T00:00:00.000000Z", ActorKind: "staff", Actor: "u", Role: "clerk", Region: "370811",
			Action: "employer.create", ObjectType: "employer", ObjectID: "1", After: `{"a":1}`}
		Seal(&e, head.Seq, head.Hash, key)
		if i < v1 {
			e.HashVersion = V1
			e.Hash = ComputeHash(e, nil)
		}
		head = Head{Seq: e.Seq, Hash: e.Hash}
		out = append(out, e)
	}
	SignHead(&head, key)
	return out, head
}

func verify(es []Entry, head Head, cps []Checkpoint) *Problem {
	v := NewVerifier(testKey, cps)
	for _, e := range es {
		if p := v.Next(e); p != nil {
			return p
		}
	}
	return v.Finish(head)
}

// rechain re-seals es from i on after editing, as someone with the
// database but not the key would, with the public Seal and their own key.
func rechain(es []Entry, i int, key Key) Head {
	prev := Head{Hash: Genesis}
	if i > 0 {
		prev = Head{Seq: es[i-1].Seq, Hash: es[i-1].Hash}
	}
	for j := i; j < len(es); j++ {
		Seal(&es[j], prev.Seq, prev.Hash, key)
		prev = Head{Seq: es[j].Seq, Hash: es[j].Hash}
	}
	return prev
}

func TestVerify(t *testing.T) {
	good, head := chain(6, 2, testKey) // entries 1–2 are version 1, 3–6 version 2
	at := func(es []Entry, i int) Head { return Head{Seq: es[i].Seq, Hash: es[i].Hash} }
	otherKey, _ := ParseKey(NewKey())
	tests := []struct {
		name    string
		mutate  func([]Entry, *Head) []Entry
		wantSeq int64 // 0: no problem
		reason  string
	}{
		{"intact", func(e []Entry, _ *Head) []Entry { return e }, 0, ""},
		{"edited v1", func(e []Entry, _ *Head) []Entry { e[1].After = `{"a":2}`; return e }, 2, "内容与哈希不符"},
		{"edited v2", func(e []Entry, _ *Head) []Entry { e[3].After = `{"a":2}`; return e }, 4, "内容与哈希不符"},
		{"actor kind edited", func(e []Entry, _ *Head) []Entry { e[3].ActorKind = "system"; return e }, 4, "内容与哈希不符"},
		{"deleted middle", func(e []Entry, _ *Head) []Entry { return append(e[:1:1], e[2:]...) }, 2, "缺失"},
		{"deleted tail", func(e []Entry, _ *Head) []Entry { return e[:5] }, 6, "日志末尾缺失"},
		{"swapped", func(e []Entry, _ *Head) []Entry { e[3], e[4] = e[4], e[3]; e[3].Seq, e[4].Seq = 4, 5; return e }, 4, ""},
		{"rehashed edit, same version", func(e []Entry, _ *Head) []Entry {
			e[3].After = "x"
			e[3].Hash = ComputeHash(e[3], otherKey)
			return e
		}, 4, "内容与哈希不符"},
		{"tail cut, head reset unsigned", func(e []Entry, h *Head) []Entry { *h = at(e, 3); return e[:4] }, 5, "链头签名无效"},
		{"re-chained with Seal and another key", func(e []Entry, h *Head) []Entry {
			e[3].After = `{"a":9}`
			*h = rechain(e, 3, otherKey)
			SignHead(h, otherKey)
			return e
		}, 4, "内容与哈希不符"},
		{"re-chained as version 1", func(e []Entry, h *Head) []Entry {
			e[3].After = `{"a":9}`
			for j := 3; j < len(e); j++ {
				e[j].PrevHash, e[j].HashVersion = e[j-1].Hash, V1
				e[j].Hash = ComputeHash(e[j], nil)
			}
			*h = at(e, 5)
			return e
		}, 4, "哈希版本低于"},
		{"unknown version", func(e []Entry, _ *Head) []Entry { e[4].HashVersion = 9; return e }, 5, "未知的哈希版本"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := head
			es := tt.mutate(append([]Entry(nil), good...), &h)
			p := verify(es, h, nil)
			switch {
			case tt.wantSeq == 0 && p != nil:
				t.Fatalf("unexpected problem %v", p)
			case tt.wantSeq != 0 && (p == nil || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason)):
				t.Fatalf("problem = %v, want at seq %d (%s)", p, tt.wantSeq, tt.reason)
			}
		})
	}
}

// TestVerifyLegacy: a chain of version 1 entries only, with the unsigned
// head the migration left, verifies as it always did.
func TestVerifyLegacy(t *testing.T) {
	es, head := chain(3, 3, testKey)
	head.MAC = ""
	if p := verify(es, head, nil); p != nil {
		t.Fatal(p)
	}
}

func TestVerifyCheckpoints(t *testing.T) {
	good, head := chain(6, 0, testKey)
	cp := func(i int) Checkpoint {
		return NewCheckpoint(good[i].Seq, good[i].Hash, "2026-01-01T00:01:00.000000Z", testKey)
	}
	older, _ := chain(4, 0, testKey) // the genuine, signed head at seq 4, replayed
	tests := []struct {
		name    string
		es      []Entry
		head    Head
		cps     []Checkpoint
		wantSeq int64
		reason  string
	}{
		{"intact", good, head, []Checkpoint{cp(1), cp(5)}, 0, ""},
		{"entries after the last checkpoint", good, head, []Checkpoint{cp(2)}, 0, ""},
		{"tail cut, older signed head replayed", good[:4], func() Head { h := Head{Seq: 4, Hash: older[3].Hash}; SignHead(&h, testKey); return h }(),
			[]Checkpoint{cp(5)}, 5, "日志末尾被截断"},
		{"whole log deleted, head back to genesis", nil, Head{Hash: Genesis}, []Checkpoint{cp(1), cp(5)}, 1, "日志末尾被截断"},
		{"checkpointed entry rewritten and chain regrown", func() []Entry {
			es := append([]Entry(nil), good...)
			es[2].After = `{"a":7}`
			rechain(es, 2, testKey) // even with the key, the checkpoint holds the old hash
			return es
		}(), Head{}, []Checkpoint{cp(3)}, 4, "检查点不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.head
			if h.Seq == 0 && len(tt.es) > 0 {
				last := tt.es[len(tt.es)-1]
				h = Head{Seq: last.Seq, Hash: last.Hash}
				SignHead(&h, testKey)
			}
			p := verify(tt.es, h, tt.cps)
			switch {
			case tt.wantSeq == 0 && p != nil:
				t.Fatalf("unexpected problem %v", p)
			case tt.wantSeq != 0 && (p == nil || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason)):
				t.Fatalf("problem = %v, want at seq %d (%s)", p, tt.wantSeq, tt.reason)
			}
		})
	}
}

func TestParseCheckpoints(t *testing.T) {
	a := NewCheckpoint(3, "ab", "2026-01-01T00:01:00.000000Z", testKey)
	b := NewCheckpoint(5, "cd", "2026-01-01T00:02:00.000000Z", testKey)
	data := string(a.Line()) + "\n\n" + string(b.Line()) + "\n"
	got, err := ParseCheckpoints([]byte(data), testKey)
	if err != nil || len(got) != 2 || got[1] != b {
		t.Fatalf("got %+v, %v", got, err)
	}
	forged := b
	forged.Seq = 4 // moved back to fit a truncated chain
	otherKey, _ := ParseKey(NewKey())
	for name, data := range map[string]string{
		"edited":    string(a.Line()) + "\n" + string(forged.Line()),
		"other key": string(NewCheckpoint(3, "ab", "2026-01-01T00:01:00.000000Z", otherKey).Line()),
		"not json":  "seq=3",
	} {
		if _, err := ParseCheckpoints([]byte(data), testKey); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
