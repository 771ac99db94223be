package expertpool

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"gongshang/internal/errs"
)

// Algorithm names the draw procedure documented on Draw. A record keeps
// it; a future change to the procedure gets a new name, and Replay refuses
// a record whose algorithm it does not implement.
const Algorithm = "gongshang-expertpool-v1"

// Seed builds the seed of a draw: the case number, the draw's sequence
// number within the case (1 for the first, 2 after a redraw …) and a
// nonce, joined by "|": "GS370881-2025-000123|1|9f86d081884c7d65". The
// nonce is a random value the server makes once for the draw (at least 16
// characters, e.g. 8 random bytes in hex) and records with it, so nobody
// can choose the panel by choosing the case number, and the draw can
// still be replayed from the record.
func Seed(caseNumber string, seq int, nonce string) string {
	return caseNumber + "|" + strconv.Itoa(seq) + "|" + nonce
}

// minNonce is the shortest nonce accepted.
const minNonce = 16

// checkSeed checks that seed is Seed(caseNumber, seq, nonce) with seq ≥ 1
// and a nonce of at least minNonce characters.
func checkSeed(fs *errs.Fields, seed, caseNumber string) {
	parts := strings.Split(seed, "|")
	if len(parts) != 3 || parts[0] != caseNumber {
		fs.Add("seed", "format", "抽取种子格式应为“案件编号|抽取序号|随机数”，且以本案编号开头")
		return
	}
	if n, err := strconv.Atoi(parts[1]); err != nil || n < 1 {
		fs.Add("seed", "sequence", "抽取种子中的抽取序号应为正整数（收到“%s”）", parts[1])
	}
	if len(parts[2]) < minNonce {
		fs.Add("seed", "nonce", "抽取种子中的随机数至少%d位（收到%d位）", minNonce, len(parts[2]))
	}
}

// stream is the random stream of a draw. Block i (i = 0, 1, 2 …) is
//
//	SHA-256( Algorithm ‖ 0x00 ‖ seed ‖ 0x00 ‖ i as 8 bytes big-endian )
//
// and each block gives four 64-bit words, read big-endian from bytes
// 0–7, 8–15, 16–23 and 24–31, in that order. Any SHA-256 tool can
// recompute it; it depends on no Go random-number generator.
type stream struct {
	seed  string
	block [sha256.Size]byte
	next  uint64 // index of the next block
	used  int    // words of block already read (4 = none left)
}

func newStream(seed string) *stream { return &stream{seed: seed, used: 4} }

// word returns the next 64-bit word of the stream.
func (s *stream) word() uint64 {
	if s.used == 4 {
		msg := make([]byte, 0, len(Algorithm)+len(s.seed)+10)
		msg = append(msg, Algorithm...)
		msg = append(msg, 0)
		msg = append(msg, s.seed...)
		msg = append(msg, 0)
		msg = binary.BigEndian.AppendUint64(msg, s.next)
		s.block = sha256.Sum256(msg)
		s.next++
		s.used = 0
	}
	w := binary.BigEndian.Uint64(s.block[8*s.used:])
	s.used++
	return w
}

// below returns a uniform integer in [0, n), n ≥ 1: it reads words,
// discards any word w < 2^64 mod n (so the words kept are a whole number
// of runs of n), and returns w mod n.
func (s *stream) below(n int) int {
	m := uint64(n)
	low := -m % m // 2^64 mod m
	for {
		if w := s.word(); w >= low {
			return int(w % m)
		}
	}
}
