package his

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"

	"gongshang/internal/errs"
)

func TestSign(t *testing.T) {
	sum := sha256.Sum256([]byte("1764554400" + "secret" + "n0nce" + "1764554400"))
	want := hex.EncodeToString(sum[:])
	if got := Sign("1764554400", "secret", "n0nce"); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !VerifySignature("1764554400", "n0nce", want, "secret") {
		t.Error("valid signature refused")
	}
	for _, bad := range []struct{ ts, nonce, sig, token string }{
		{"1764554401", "n0nce", want, "secret"},
		{"1764554400", "nonce", want, "secret"},
		{"1764554400", "n0nce", want, "Secret"},
		{"1764554400", "n0nce", want[:63], "secret"},
		{"1764554400", "n0nce", "", "secret"},
	} {
		if VerifySignature(bad.ts, bad.nonce, bad.sig, bad.token) {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestCheckTimestamp(t *testing.T) {
	now := time.Unix(1764554400, 0)
	ts := func(d int64) string { return strconv.FormatInt(1764554400+d, 10) }
	tests := []struct {
		ts string
		ok bool
	}{
		{ts(0), true}, {ts(300), true}, {ts(-300), true},
		{ts(301), false}, {ts(-301), false},
		{"", false}, {"abc", false}, {"-1", false}, {"1764554400.5", false}, {"99999999999999999999", false},
	}
	for _, tt := range tests {
		err := CheckTimestamp(tt.ts, now)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v, want ok=%v", tt.ts, err, tt.ok)
		}
		if err != nil && !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: %v is not Invalid", tt.ts, err)
		}
	}
}

func TestTimes(t *testing.T) {
	got, err := ParseDateTime("2026-12-31 23:59:59")
	if err != nil || !got.Equal(time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC)) {
		t.Fatalf("ParseDateTime = %v, %v", got, err)
	}
	if s := FormatDateTime(time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)); s != "2027-01-01 00:00:00" {
		t.Errorf("FormatDateTime = %s", s)
	}
	if s := FormatDate(time.Date(2028, 2, 28, 16, 0, 0, 0, time.UTC)); s != "2028-02-29" {
		t.Errorf("FormatDate = %s", s)
	}
	for _, bad := range []string{"2026-1-01", "2026-02-30", "2026-12-01 ", "26-12-01", "2026/12/01"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if _, err := ParseDateTime("2026-12-01 24:00:00"); err == nil {
		t.Error("hour 24 accepted")
	}
}
