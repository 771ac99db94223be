package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"gongshang/internal/errs"
)

// User is a staff account.
type User struct {
	ID           int64      `json:"id"`
	Username     string     `json:"username"`
	DisplayName  string     `json:"display_name"`
	Kind         Kind       `json:"kind"` // KindStaff
	Role         Role       `json:"role"`
	RegionCode   string     `json:"region_code"`
	PasswordHash string     `json:"-"`
	FailedLogins int        `json:"failed_logins"`
	LockedUntil  *time.Time `json:"locked_until,omitempty"`
	Disabled     bool       `json:"disabled"`
	LastLoginAt  *time.Time `json:"last_login_at,omitempty"` // the last successful sign-in
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Principal is the acting identity of u.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Kind: u.Kind, Role: u.Role, RegionCode: u.RegionCode}
}

// Locked reports whether failed logins have locked the account at now.
func (u User) Locked(now time.Time) bool { return u.LockedUntil != nil && now.Before(*u.LockedUntil) }

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{2,31}$`)

// NewUser is the input for creating a staff user.
type NewUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	RegionCode  string `json:"region_code"`
	Password    string `json:"password"`
}

// Validate checks the input.
func (n *NewUser) Validate() error {
	var fs errs.Fields
	n.Username = strings.TrimSpace(n.Username)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if !usernameRe.MatchString(n.Username) {
		fs.Add("username", "username_format", "用户名应为3至32位小写字母、数字或 _ . -，且以字母或数字开头")
	}
	if c := utf8.RuneCountInString(n.DisplayName); c < 2 || c > 40 {
		fs.Add("display_name", "display_name_length", "姓名应为2至40个字")
	}
	if !n.Role.Valid() {
		fs.Add("role", "role_unknown", "角色“%s”无效", n.Role)
	}
	if len(n.RegionCode) != 6 {
		fs.Add("region_code", "region_format", "所属地区应为6位行政区划代码")
	}
	fs.Merge(ValidatePassword("password", n.Password, n.Username))
	return fs.Err()
}

// LockPolicy is how many failures lock an account, and for how long; and
// how many refused attempts one source address may make per window.
type LockPolicy struct {
	MaxFailures int
	LockFor     time.Duration
	SourceMax   int           // attempts per source and window; 0 = 10 × MaxFailures
	Window      time.Duration // the source window; 0 = LockFor
}

// SourceLimit is the number of refused attempts a source may make per window.
func (p LockPolicy) SourceLimit() int {
	if p.SourceMax > 0 {
		return p.SourceMax
	}
	return 10 * max(p.MaxFailures, 1)
}

// SourceWindow is the length of a source's counting window.
func (p LockPolicy) SourceWindow() time.Duration {
	switch {
	case p.Window > 0:
		return p.Window
	case p.LockFor > 0:
		return p.LockFor
	}
	return 15 * time.Minute
}

// SourceWindowStart is the start of the fixed window holding now.
func (p LockPolicy) SourceWindowStart(now time.Time) time.Time {
	return now.UTC().Truncate(p.SourceWindow())
}

// argon2id parameters: OWASP's 19 MiB, 2 passes, 1 lane.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds how many argon2 computations run at once: each takes
// argonMemory KiB, so a flood of logins queues here instead of exhausting
// the server's memory.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// argonKey computes an argon2id key in one of the hashSlots.
func argonKey(pw string, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(pw), salt, t, m, p, n)
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	t, m := hashCost()
	key := argonKey(pw, salt, t, m, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, t, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword compares pw with a hash from HashPassword in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	if m > 1<<20 || t > 10 || len(want) > 64 {
		return false // not a hash we made: refuse rather than spend unbounded work
	}
	got := argonKey(pw, salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random URL-safe token of 32 bytes.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
