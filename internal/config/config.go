// Package config declares every setting once — its environment name, flag,
// default, validation and whether it is secret — and parses them into one
// Config value that run passes down. Nothing here is global.
package config

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the effective configuration.
type Config struct {
	Listen         string
	DatabaseURL    string
	DataDir        string
	DataKey        string
	SessionTTL     time.Duration
	LockFailures   int
	LockFor        time.Duration
	LoginPerAddr   int
	LogLevel       slog.Level
	LogFormat      string
	SecureCookies  bool
	MaxBodyBytes   int64
	MaxUploadBytes int64
	ShutdownWait   time.Duration
	MetricsToken   string        // bearer token /metrics requires; "" = none
	MetricsListen  string        // own listener for /metrics; "" = the main one
	Workers        bool          // run the job workers inside serve and demo
	SessionSweep   time.Duration // how often the workers delete expired sessions

	// The audit log's key and how often its checkpoints are written.
	AuditKey             string
	AuditCheckpointEvery time.Duration
}

// Option declares one setting.
type Option struct {
	Env     string
	Default string
	Secret  bool
	Doc     string
	set     func(c *Config, v string) error
}

// Options lists every setting, in the order `gongshang config` prints them.
var Options = []Option{
	{"GONGSHANG_LISTEN", "127.0.0.1:8080", false, "HTTP listen address (host:port)", func(c *Config, v string) error {
		_, _, err := net.SplitHostPort(v)
		c.Listen = v
		return err
	}},
	{"GONGSHANG_DATABASE_URL", "", true, "SQLite file path or postgres:// URL; empty = <data dir>/gongshang.db", func(c *Config, v string) error {
		c.DatabaseURL = v
		return nil
	}},
	{"GONGSHANG_DATA_DIR", "gongshang-data", false, "folder for the embedded SQLite database and the demo data key", func(c *Config, v string) error {
		c.DataDir = v
		return nonEmpty(v)
	}},
	{"GONGSHANG_DATA_KEY", "", true, "base64 AES-256 key encrypting personal data at rest (required for serve; the demo makes one)", func(c *Config, v string) error {
		c.DataKey = v
		if v == "" {
			return nil
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != 32 {
			return fmt.Errorf("must be 32 bytes, base64-encoded")
		}
		return nil
	}},
	{"GONGSHANG_AUDIT_KEY", "", true, "base64 32-byte key sealing the audit log and signing its checkpoints; keep it away from the database (required for serve; the demo makes one)", func(c *Config, v string) error {
		c.AuditKey = v
		return base64Key(v)
	}},
	{"GONGSHANG_AUDIT_CHECKPOINT_EVERY", "1m", false, "how often a signed audit checkpoint goes to <data dir>/audit-checkpoints.jsonl and the log", durationInto(func(c *Config) *time.Duration { return &c.AuditCheckpointEvery })},
	{"GONGSHANG_SESSION_TTL", "12h", false, "how long a login lasts", durationInto(func(c *Config) *time.Duration { return &c.SessionTTL })},
	{"GONGSHANG_LOCK_FAILURES", "5", false, "failed logins in a row that lock an account", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return fmt.Errorf("must be a whole number from 1 to 100")
		}
		c.LockFailures = n
		return nil
	}},
	{"GONGSHANG_LOCK_FOR", "15m", false, "how long a locked account stays locked", durationInto(func(c *Config) *time.Duration { return &c.LockFor })},
	{"GONGSHANG_LOGIN_PER_ADDRESS", "50", false, "refused logins one client address may make per lock period, over all accounts", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return fmt.Errorf("must be a whole number from 1 to 100000")
		}
		c.LoginPerAddr = n
		return nil
	}},
	{"GONGSHANG_LOG_LEVEL", "info", false, "debug, info, warn or error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"GONGSHANG_LOG_FORMAT", "text", false, "text or json", func(c *Config, v string) error {
		c.LogFormat = v
		if v != "text" && v != "json" {
			return fmt.Errorf("must be text or json")
		}
		return nil
	}},
	{"GONGSHANG_SECURE_COOKIES", "false", false, "mark cookies Secure (set true behind a TLS proxy; direct TLS requests always get Secure)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.SecureCookies = b
		return err
	}},
	{"GONGSHANG_MAX_BODY_BYTES", "33554432", false, "largest request body accepted (uploads included)", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return fmt.Errorf("must be a whole number of bytes, at least 1024")
		}
		c.MaxBodyBytes = n
		return nil
	}},
	{"GONGSHANG_MAX_UPLOAD_BYTES", "20971520", false, "largest case material (PDF, JPEG or PNG) accepted; files are kept under <data dir>/files", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return fmt.Errorf("must be a whole number of bytes, at least 1024")
		}
		c.MaxUploadBytes = n
		return nil
	}},
	{"GONGSHANG_SHUTDOWN_WAIT", "10s", false, "how long a shutdown waits for requests in flight", durationInto(func(c *Config) *time.Duration { return &c.ShutdownWait })},
	{"GONGSHANG_METRICS_TOKEN", "", true, "bearer token /metrics requires (16+ characters A-Z a-z 0-9 _ -); without it or GONGSHANG_METRICS_LISTEN /metrics is refused", func(c *Config, v string) error {
		c.MetricsToken = v
		if v != "" && !tokenRe.MatchString(v) {
			return fmt.Errorf("must be at least 16 characters of A-Z a-z 0-9 _ -")
		}
		return nil
	}},
	{"GONGSHANG_METRICS_LISTEN", "", false, "own listen address for /metrics (host:port); then the main listener does not serve it", func(c *Config, v string) error {
		c.MetricsListen = v
		if v == "" {
			return nil
		}
		_, _, err := net.SplitHostPort(v)
		return err
	}},
	{"GONGSHANG_WORKERS", "on", false, "on: serve and demo run the background job workers; off: run them in `gongshang worker`", func(c *Config, v string) error {
		switch v {
		case "on":
			c.Workers = true
		case "off":
			c.Workers = false
		default:
			return fmt.Errorf("must be on or off")
		}
		return nil
	}},
	{"GONGSHANG_SESSION_SWEEP", "1h", false, "how often the workers delete expired sessions", durationInto(func(c *Config) *time.Duration { return &c.SessionSweep })},
}

var tokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{16,}$`)

// base64Key accepts "" (checked where the key is needed) or 32 bytes in
// base64.
func base64Key(v string) error {
	if v == "" {
		return nil
	}
	if b, err := base64.StdEncoding.DecodeString(v); err != nil || len(b) != 32 {
		return fmt.Errorf("must be 32 bytes, base64-encoded")
	}
	return nil
}

func nonEmpty(v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("must not be empty")
	}
	return nil
}

func durationInto(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("must be a positive duration such as 15m or 12h")
		}
		*field(c) = d
		return nil
	}
}

// Load reads every option from getenv, falling back to defaults, with
// overrides (from flags) taking precedence. All errors are reported at once.
func Load(getenv func(string) string, overrides map[string]string) (Config, error) {
	var c Config
	var problems []string
	for _, o := range Options {
		v := getenv(o.Env)
		if ov, ok := overrides[o.Env]; ok {
			v = ov
		}
		if v == "" {
			v = o.Default
		}
		if err := o.set(&c, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", o.Env, err))
		}
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// Print writes the effective configuration with secrets masked.
func Print(w io.Writer, getenv func(string) string, overrides map[string]string) {
	for _, o := range Options {
		v, src := getenv(o.Env), "env"
		if ov, ok := overrides[o.Env]; ok {
			v, src = ov, "flag"
		}
		if v == "" {
			v, src = o.Default, "default"
		}
		if o.Secret && v != "" {
			v = maskSecret(v)
		}
		fmt.Fprintf(w, "%-26s = %-34s # %s; %s\n", o.Env, v, src, o.Doc)
	}
}

// maskSecret hides a secret, keeping a URL's scheme and host readable.
func maskSecret(v string) string {
	if i := strings.Index(v, "://"); i > 0 {
		rest := v[i+3:]
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			return v[:i+3] + "****@" + rest[at+1:]
		}
		return v
	}
	if strings.ContainsAny(v, "/.") && !strings.HasSuffix(v, "=") {
		return v // a file path is not secret
	}
	return "****"
}
