package audit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// Checkpoint is a signed statement, written outside the database, that the
// chain held Count entries up to Seq ending in Hash at the instant At. A
// later verification that finds the chain shorter, or a different hash at
// Seq, shows rows were cut or rewritten since.
type Checkpoint struct {
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
	Count int64  `json:"count"`
	At    string `json:"at"`
	Sig   string `json:"sig"`
}

// NewCheckpoint signs the chain's position (seq, hash) at instant at.
func NewCheckpoint(seq int64, hash, at string, key Key) Checkpoint {
	c := Checkpoint{Seq: seq, Hash: hash, Count: seq, At: at}
	c.Sig = c.signature(key)
	return c
}

func (c Checkpoint) signature(key Key) string {
	m := hmac.New(sha256.New, key)
	for _, f := range []string{"gongshang-audit-checkpoint", strconv.FormatInt(c.Seq, 10), c.Hash,
		strconv.FormatInt(c.Count, 10), c.At} {
		fmt.Fprintf(m, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Valid reports whether the signature is the key's.
func (c Checkpoint) Valid(key Key) bool {
	return hmac.Equal([]byte(c.Sig), []byte(c.signature(key)))
}

// Line renders the checkpoint as one JSON line (without newline).
func (c Checkpoint) Line() []byte {
	b, _ := json.Marshal(c)
	return b
}

// ParseCheckpoints reads JSON lines of checkpoints, as written to the
// checkpoint file, and refuses a line that is not one or whose signature
// is not the key's. Blank lines are skipped.
func ParseCheckpoints(data []byte, key Key) ([]Checkpoint, error) {
	var out []Checkpoint
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, fmt.Errorf("检查点文件第%d行不是检查点：%v", i+1, err)
		}
		if !c.Valid(key) {
			return nil, fmt.Errorf("检查点文件第%d行签名无效：被改写，或不是用此审计密钥签发的", i+1)
		}
		out = append(out, c)
	}
	return out, nil
}
