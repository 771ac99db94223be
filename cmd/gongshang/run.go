package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/bench"
	"gongshang/internal/calc"
	"gongshang/internal/config"
	"gongshang/internal/demo"
	"gongshang/internal/param"
	"gongshang/internal/pii"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// exitError is an exit status chosen by a subcommand (calc uses 2).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `用法: gongshang <命令> [参数]

命令:
  demo            用内置 SQLite 和济宁演示数据启动（首次运行生成数据，之后复用）
  serve           生产方式启动（GONGSHANG_DATABASE_URL、GONGSHANG_DATA_KEY）
  calc            从标准输入读 JSON 请求，计算工伤待遇或法定时限（见 docs/calc.md）
  audit verify    用审计密钥重算审计日志哈希链，指出第一条被修改、删除或调换的记录
                  （--checkpoints FILE：并核对库外签名检查点，发现末尾被截断）
  bench NAME      性能测量（registry、audit、demo），输出 BENCH 行
  config          打印生效的配置（密钥已隐藏）
  migrate         只执行数据库迁移
`

// run is the whole program; tests call it with their own arguments,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return runDemo(ctx, rest, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "calc":
		return runCalc(stdin, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return bench.Run(ctx, rest, stdout, stderr)
	case "config":
		return runConfig(rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "未知命令“%s”\n\n%s", cmd, usage)
	return exitError(2)
}

// serverFlags are the flags serve and demo share; each maps to a setting.
func serverFlags(name string, stderr io.Writer) (*flag.FlagSet, map[string]*string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{
		"GONGSHANG_LISTEN":       fs.String("listen", "", "listen address, e.g. 127.0.0.1:8080 (GONGSHANG_LISTEN)"),
		"GONGSHANG_DATA_DIR":     fs.String("data", "", "data folder (GONGSHANG_DATA_DIR)"),
		"GONGSHANG_DATABASE_URL": fs.String("database", "", "SQLite path or postgres:// URL (GONGSHANG_DATABASE_URL)"),
	}
	return fs, vals
}

func overrides(vals map[string]*string) map[string]string {
	m := map[string]string{}
	for k, v := range vals {
		if *v != "" {
			m[k] = *v
		}
	}
	return m
}

func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, error) {
	fs, vals := serverFlags(name, stderr)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return config.Config{}, exitError(2)
	}
	return config.Load(getenv, overrides(vals))
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// databaseURL defaults to a SQLite file in the data folder.
func databaseURL(cfg config.Config) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(cfg.DataDir, "gongshang.db"), nil
}

func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, error) {
	url, err := databaseURL(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.DataKey == "" {
		return nil, errors.New("GONGSHANG_DATA_KEY is not set: personal data cannot be encrypted (generate one with: head -c32 /dev/urandom | base64)")
	}
	if cfg.AuditKey == "" {
		return nil, errors.New("GONGSHANG_AUDIT_KEY is not set: the audit log cannot be sealed (generate one with: head -c32 /dev/urandom | base64)")
	}
	return store.Open(ctx, url, store.Options{DataKey: cfg.DataKey, AuditKey: cfg.AuditKey, Logger: log})
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	return serve(ctx, cfg, s, log, stdout, nil)
}

// demoKey reads the data folder's key file, creating it on first use, so
// the demo keeps its encrypted data readable across restarts.
func demoKey(dir string) (string, error) { return keyFile(dir, "data.key", pii.NewKey) }

// demoKeys fills in the data and audit keys the configuration lacks from
// the data folder's key files.
func demoKeys(cfg *config.Config) (err error) {
	if cfg.DataKey == "" {
		if cfg.DataKey, err = demoKey(cfg.DataDir); err != nil {
			return err
		}
	}
	if cfg.AuditKey == "" {
		cfg.AuditKey, err = keyFile(cfg.DataDir, "audit.key", audit.NewKey)
	}
	return err
}

func keyFile(dir, name string, newKey func() string) (string, error) {
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	key := newKey()
	return key, os.WriteFile(path, []byte(key+"\n"), 0o600)
}

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var seed uint64
	var scale float64
	cfg, err := loadConfig("demo", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&seed, "seed", 20260301, "demo data seed")
		fs.Float64Var(&scale, "scale", 1, "demo size: 1 ≈ 2,000 employers and 20,000 workers")
	})
	if err != nil {
		return err
	}
	if err := demoKeys(&cfg); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	start := time.Now()
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	loaded, err := demo.Load(ctx, s, seed, scale, time.Now())
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if loaded {
		fmt.Fprintf(stdout, "已生成济宁演示数据（种子 %d，规模 %g），用时 %.1f 秒。\n", seed, scale, time.Since(start).Seconds())
	} else {
		fmt.Fprintln(stdout, "复用已有的演示数据。")
	}
	return serve(ctx, cfg, s, log, stdout, func(url string) {
		fmt.Fprintf(stdout, "\n演示账号（密码均为 %s）：\n", demo.DemoPassword)
		for _, l := range demo.Logins() {
			fmt.Fprintf(stdout, "  %-16s %-10s %s\n", l.Username, l.Role, l.Region)
		}
		fmt.Fprintf(stdout, "\n就绪，用时 %.1f 秒。请用浏览器打开 %s ，按 Ctrl+C 停止。\n", time.Since(start).Seconds(), url)
	})
}

// params is the effective parameter set: the embedded law plus the
// versions administrators added, replayed in order.
func params(ctx context.Context, s *store.Store) (*param.Set, error) {
	set, err := param.Default()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return set, nil
	}
	added, err := s.ParamVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range added {
		if err := set.Add(v); err != nil {
			return nil, fmt.Errorf("stored parameter %s/%s: %w", v.Table, v.Key, err)
		}
	}
	return set, nil
}

// serve listens, prints the URL, and serves until ctx ends, then shuts
// down gracefully.
func serve(ctx context.Context, cfg config.Config, s *store.Store, log *slog.Logger, stdout io.Writer, ready func(url string)) error {
	set, err := params(ctx, s)
	if err != nil {
		return err
	}
	h, err := web.New(web.Options{Store: s, Logger: log, SessionTTL: cfg.SessionTTL, SecureCookies: cfg.SecureCookies,
		Lock: access.LockPolicy{MaxFailures: cfg.LockFailures, LockFor: cfg.LockFor}, MaxBodyBytes: cfg.MaxBodyBytes,
		Version: version, Params: set})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "gongshang 已启动：%s （数据库：%s）\n", url, s.Engine())
	if ready != nil {
		ready(url)
	}
	stopSealer := startSealer(ctx, cfg, s, log)
	defer stopSealer() // after the server has drained, so its last entries are sealed
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	return srv.Shutdown(sctx)
}

func runCalc(stdin io.Reader, stdout, stderr io.Writer) error {
	set, err := param.Default()
	if err != nil {
		return err
	}
	if code := calc.Main(stdin, stdout, stderr, set); code != 0 {
		return exitError(code)
	}
	return nil
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "用法: gongshang audit verify [--data DIR] [--database URL] [--checkpoints DIR/audit-checkpoints.jsonl]")
		return exitError(2)
	}
	var cpFile string
	cfg, err := loadConfig("audit verify", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&cpFile, "checkpoints", "", "signed checkpoint file to hold the chain against (serve and demo write <data dir>/audit-checkpoints.jsonl)")
	})
	if err != nil {
		return err
	}
	if err := demoKeys(&cfg); err != nil {
		return err
	}
	cps, err := readCheckpoints(cpFile, cfg.AuditKey)
	if err != nil {
		fmt.Fprintf(stdout, "审计日志校验失败：%v\n", err)
		return exitError(1)
	}
	s, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx, cps)
	if err != nil {
		return err
	}
	if rep.Problem != nil {
		fmt.Fprintf(stdout, "审计日志校验失败：已核对%d条；%s\n", rep.Sealed, rep.Problem.Error())
		return exitError(1)
	}
	fmt.Fprintf(stdout, "审计日志完整：共%d条，哈希链校验通过", rep.Sealed)
	if cpFile != "" {
		fmt.Fprintf(stdout, "，与%d个检查点相符", rep.Checkpoints)
	}
	fmt.Fprintf(stdout, "；另有%d条尚未封存（不在校验范围内）。\n", rep.Pending)
	return nil
}

func runConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, vals := serverFlags("config", stderr)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	config.Print(stdout, getenv, overrides(vals))
	_, err := config.Load(getenv, overrides(vals))
	return err
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "数据库迁移完成（%s）。\n", s.Engine())
	return nil
}
