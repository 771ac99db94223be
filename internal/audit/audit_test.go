package audit

import "testing"

func chain(n int) []Entry {
	var out []Entry
	prevSeq, prev := int64(0), Genesis
	for i := 0; i < n; i++ {
		e := Entry{At: "2026-01-01T00:00:00.000000Z", Actor: "u", Role: "clerk", Region: "370811",
			Action: "employer.create", ObjectType: "employer", ObjectID: "1", After: `{"a":1}`}
		Seal(&e, prevSeq, prev)
		prevSeq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry, headSeq int64, headHash string) *Problem {
	v := NewVerifier()
	for _, e := range es {
		if p := v.Next(e); p != nil {
			return p
		}
	}
	return v.Finish(headSeq, headHash)
}

func TestVerify(t *testing.T) {
	good := chain(5)
	head := good[4]
	tests := []struct {
		name    string
		mutate  func([]Entry) []Entry
		wantSeq int64 // 0: no problem
	}{
		{"intact", func(e []Entry) []Entry { return e }, 0},
		{"edited", func(e []Entry) []Entry { e[2].After = `{"a":2}`; return e }, 3},
		{"deleted middle", func(e []Entry) []Entry { return append(e[:1:1], e[2:]...) }, 2},
		{"deleted tail", func(e []Entry) []Entry { return e[:4] }, 5},
		{"swapped", func(e []Entry) []Entry { e[1], e[2] = e[2], e[1]; e[1].Seq, e[2].Seq = 2, 3; return e }, 2},
		{"rehashed edit", func(e []Entry) []Entry { e[3].After = "x"; e[3].Hash = ComputeHash(e[3]); return e }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := tt.mutate(append([]Entry(nil), good...))
			p := verify(es, head.Seq, head.Hash)
			switch {
			case tt.wantSeq == 0 && p != nil:
				t.Fatalf("unexpected problem %v", p)
			case tt.wantSeq != 0 && (p == nil || p.Seq != tt.wantSeq):
				t.Fatalf("problem = %v, want at seq %d", p, tt.wantSeq)
			}
		})
	}
}
