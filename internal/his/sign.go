package his

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"time"

	"gongshang/internal/errs"
)

// Header names of the signature (provincial gateway style).
const (
	HeaderPaasID    = "x-tif-paasid"
	HeaderTimestamp = "x-tif-timestamp"
	HeaderNonce     = "x-tif-nonce"
	HeaderSignature = "x-tif-signature"
)

// Skew is how far a request's timestamp may be from the server's clock.
const Skew = 300 * time.Second

// NonceTTL is how long a nonce may not be reused.
const NonceTTL = 10 * time.Minute

// Path is where the HIS posts every envelope.
const Path = "/fsi/api/rsfComIfsService/callService"

// MaxBody is the largest request body; a larger one is answered 413.
const MaxBody = 4 << 20

// Sign is the lowercase hex SHA-256 of timestamp + token + nonce + timestamp.
func Sign(timestamp, token, nonce string) string {
	h := sha256.New()
	h.Write([]byte(timestamp))
	h.Write([]byte(token))
	h.Write([]byte(nonce))
	h.Write([]byte(timestamp))
	return hex.EncodeToString(h.Sum(nil))
}

// VerifySignature reports whether signature is Sign(timestamp, token, nonce),
// comparing in constant time.
func VerifySignature(timestamp, nonce, signature, token string) bool {
	want := Sign(timestamp, token, nonce)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}

// CheckTimestamp accepts Unix seconds within Skew of now.
func CheckTimestamp(ts string, now time.Time) error {
	if ts == "" || len(ts) > 12 || !allDigits(ts) {
		return errs.Field(HeaderTimestamp, "format", MsgBadTimestamp)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errs.Field(HeaderTimestamp, "format", MsgBadTimestamp)
	}
	d := now.Sub(time.Unix(sec, 0))
	if d > Skew || d < -Skew {
		return errs.Field(HeaderTimestamp, "skew", MsgStaleTimestamp)
	}
	return nil
}
