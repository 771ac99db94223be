package main

import (
	"context"
	"encoding/json"
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
	"gongshang/internal/api"
	"gongshang/internal/audit"
	"gongshang/internal/backoffice"
	"gongshang/internal/bench"
	"gongshang/internal/blob"
	"gongshang/internal/calc"
	"gongshang/internal/config"
	"gongshang/internal/demo"
	"gongshang/internal/hisapi"
	"gongshang/internal/jobs"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/pii"
	"gongshang/internal/portal"
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
  worker          只运行后台任务（GONGSHANG_WORKERS=off 时 serve 不再运行它们）
  calc            从标准输入读 JSON 请求，计算工伤待遇或法定时限（见 docs/calc.md）；
                  有数据库时（--data、--database）使用其中新增的参数版本
  audit verify    用审计密钥重算审计日志哈希链，指出第一条被修改、删除或调换的记录
                  （--checkpoints FILE：并核对库外签名检查点，发现末尾被截断）
  audit import DIR  导入结算数据文件夹（docs/settlement-extract.md；再次导入同一文件夹即替换）
  audit scan --json 筛查最近导入的结算数据，标准输出为疑点JSON数组（--extract ID 指定）
  audit rank --json 标准输出为协议机构稽核排序JSON数组（尚未筛查时先筛查）
  bench NAME      性能测量（registry、audit、demo、export、cases、settle、payroll、supervision），输出 BENCH 行
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
	case "worker":
		return runWorker(ctx, rest, getenv, stdout, stderr)
	case "calc":
		return runCalc(ctx, rest, getenv, stdin, stdout, stderr)
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
	return openStoreAt(ctx, cfg, log, nil)
}

// openStoreAt opens the store with a clock (nil: the real time); the demo
// loader moves it to lay down the payroll's history.
func openStoreAt(ctx context.Context, cfg config.Config, log *slog.Logger, now func() time.Time) (*store.Store, error) {
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
	files, err := blob.NewDir(filepath.Join(cfg.DataDir, "files"), cfg.MaxUploadBytes)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, url, store.Options{DataKey: cfg.DataKey, AuditKey: cfg.AuditKey, Logger: log, Files: files, Now: now})
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
	fixtures := len(args) > 0 && args[0] == "fixtures"
	if fixtures {
		args = args[1:]
	}
	var seed uint64
	var scale float64
	var withCases bool
	cfg, err := loadConfig("demo", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&seed, "seed", 20260301, "demo data seed")
		fs.Float64Var(&scale, "scale", 1, "demo size: 1 ≈ 2,000 employers and 20,000 workers")
		fs.BoolVar(&withCases, "cases", true, "walk the demo's 工伤一件事 cases through every stage (false: the registry only)")
	})
	if err != nil {
		return err
	}
	if err := demoKeys(&cfg); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	start := time.Now()
	clock := &demo.Clock{}
	s, err := openStoreAt(ctx, cfg, log, clock.Now)
	if err != nil {
		return err
	}
	defer s.Close()
	loaded, err := demo.Load(ctx, s, seed, scale, time.Now())
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	out := stdout
	if fixtures {
		out = stderr
	}
	if loaded {
		set, err := param.Default()
		if err != nil {
			return err
		}
		n, settled := 0, 0
		var pay demo.PayrollSummary
		var sup demo.SupervisionSummary
		var prev demo.PreventionSummary
		if withCases || fixtures {
			if n, err = demo.LoadCases(ctx, s, set, seed, time.Now()); err != nil {
				return fmt.Errorf("demo cases: %w", err)
			}
			if _, err := demo.LoadSettlement(ctx, s, seed, time.Now()); err != nil {
				return fmt.Errorf("demo settlement: %w", err)
			}
			if settled, err = demoTraffic(ctx, cfg, s, seed, log); err != nil {
				return fmt.Errorf("demo settlement traffic: %w", err)
			}
			if pay, err = demo.LoadPayroll(ctx, s, set, clock.Set, seed, time.Now()); err != nil {
				return fmt.Errorf("demo payroll: %w", err)
			}
			if sup, err = demo.LoadSupervision(ctx, s, seed, scale, time.Now().Year()); err != nil {
				return fmt.Errorf("demo supervision: %w", err)
			}
			if prev, err = demo.LoadPrevention(ctx, s, set, seed, scale, time.Now()); err != nil {
				return fmt.Errorf("demo prevention: %w", err)
			}
		}
		fmt.Fprintf(out, "已生成济宁演示数据（种子 %d，规模 %g，工伤一件事案件 %d 件，协议机构和工伤目录，联网结算 %d 笔，待遇发放 %d 项待遇、%d 个发放周期、退票 %d 笔，基金监管筛查 %d 次就诊、%d 条明细、线索 %d 条，工伤预防计划 %d 个、培训 %d 场 %d 人次），用时 %.1f 秒。\n",
			seed, scale, n, settled, pay.Entitlements, pay.Cycles, pay.Returns, sup.Encounters, sup.Lines, sup.Leads, prev.Plans, prev.Sessions, prev.Attendances,
			time.Since(start).Seconds())
	} else {
		fmt.Fprintln(out, "复用已有的演示数据。")
	}
	if fixtures {
		f, err := demo.ReadFixtures(ctx, s, seed, time.Now())
		if err != nil {
			return err
		}
		if len(f.Persons) == 0 {
			return errors.New("演示数据没有联网结算测试环境（以 --cases=false 生成的演示数据不含它）：请删除数据目录后重新运行")
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	}
	return serve(ctx, cfg, s, log, stdout, func(url string) {
		fmt.Fprintf(stdout, "\n演示账号（密码均为 %s）：\n", demo.DemoPassword)
		for _, l := range demo.Logins() {
			fmt.Fprintf(stdout, "  %-16s %-10s %s\n", l.Username, l.Role, l.Region)
		}
		fmt.Fprintf(stdout, "\n职工和用人单位网上办理：%s/portal/ （激活码由窗口人员在职工或用人单位页面生成）\n", url)
		fmt.Fprintf(stdout, "\n就绪，用时 %.1f 秒。请用浏览器打开 %s ，按 Ctrl+C 停止。\n", time.Since(start).Seconds(), url)
	})
}

// paramService is the process's parameter service over s.
func paramService(ctx context.Context, s *store.Store, log *slog.Logger) (*params.Service, error) {
	return params.New(ctx, s, params.Options{MaxAge: params.DefaultMaxAge, Logger: log})
}

// startWorkers starts the job runner; stop it with stopWorkers.
func startWorkers(ctx context.Context, cfg config.Config, s *store.Store, svc *params.Service, log *slog.Logger) (*jobs.Runner, error) {
	r, err := jobs.New(s, svc, jobs.Options{SessionSweep: cfg.SessionSweep, Logger: log})
	if err != nil {
		return nil, err
	}
	return r, r.Start(ctx)
}

func stopWorkers(cfg config.Config, r *jobs.Runner) error {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	return r.Stop(ctx)
}

// runWorker runs only the background jobs until ctx ends.
func runWorker(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("worker", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := paramService(ctx, s, log)
	if err != nil {
		return err
	}
	r, err := startWorkers(ctx, cfg, s, svc, log)
	if err != nil {
		return err
	}
	// The audit sealer runs here as well as in serve: sealers exclude each
	// other on the head row, so two of them only share the work.
	stopSealer := startSealer(ctx, cfg, s, log)
	fmt.Fprintf(stdout, "gongshang 后台任务已启动（数据库：%s），按 Ctrl+C 停止。\n", s.Engine())
	<-ctx.Done()
	log.Info("shutting down")
	err = stopWorkers(cfg, r)
	stopSealer()
	return err
}

// mount builds the HTTP handler: the shared plumbing with every surface
// (the back office and the JSON API) on it.
func mount(cfg config.Config, s *store.Store, log *slog.Logger, ps *params.Service) (*web.Server, error) {
	if ps == nil {
		var err error
		if ps, err = params.New(context.Background(), s, params.Options{MaxAge: params.DefaultMaxAge, Logger: log}); err != nil {
			return nil, err
		}
	}
	staff := web.StaffSessions{Store: s, SessionTTL: cfg.SessionTTL, SecureCookies: cfg.SecureCookies,
		Lock: access.LockPolicy{MaxFailures: cfg.LockFailures, LockFor: cfg.LockFor, SourceMax: cfg.LoginPerAddr}}
	bo, err := backoffice.New(backoffice.Options{Store: s, Logger: log, Staff: staff, Params: ps, MaxBodyBytes: cfg.MaxBodyBytes})
	if err != nil {
		return nil, err
	}
	ap, err := api.New(api.Options{Store: s, Logger: log, Staff: staff, Params: ps, MaxBodyBytes: cfg.MaxBodyBytes, Version: version})
	if err != nil {
		return nil, err
	}
	pt, err := portal.New(portal.Options{Store: s, Logger: log, Params: ps, SessionTTL: cfg.SessionTTL, Lock: staff.Lock,
		SecureCookies: cfg.SecureCookies, MaxBodyBytes: max(cfg.MaxBodyBytes, cfg.MaxUploadBytes+1<<20)})
	if err != nil {
		return nil, err
	}
	hp := hisapi.New(hisapi.Options{Store: s, Params: ps, Logger: log})
	return web.Mount(web.Options{Store: s, Logger: log, MetricsToken: cfg.MetricsToken, MetricsSeparate: cfg.MetricsListen != ""}, bo, ap, pt, hp)
}

// serve listens, prints the URL, and serves until ctx ends, then shuts
// down gracefully.
func serve(ctx context.Context, cfg config.Config, s *store.Store, log *slog.Logger, stdout io.Writer, ready func(url string)) (err error) {
	svc, err := paramService(ctx, s, log)
	if err != nil {
		return err
	}
	h, err := mount(cfg, s, log, svc)
	if err != nil {
		return err
	}
	if cfg.Workers {
		var r *jobs.Runner
		if r, err = startWorkers(ctx, cfg, s, svc, log); err != nil {
			return err
		}
		// Deferred: the HTTP server stops first, then jobs finish.
		defer func() { err = errors.Join(err, stopWorkers(cfg, r)) }()
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
	defer stopSealer() // after the servers have drained, so their last entries are sealed
	servers := []*http.Server{newHTTPServer(h)}
	listeners := []net.Listener{ln}
	if cfg.MetricsListen != "" {
		mln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			ln.Close()
			return err
		}
		fmt.Fprintf(stdout, "运行指标：http://%s/metrics\n", mln.Addr())
		servers, listeners = append(servers, newHTTPServer(h.MetricsHandler())), append(listeners, mln)
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	var first error
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
}

// runCalc answers one calculation. With a database (--database, or an
// existing gongshang.db in --data) it uses the stored parameter versions
// through the parameter service, like the server; without one, the
// embedded law.
func runCalc(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("calc", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	var s *store.Store
	if url, ok := calcDatabase(cfg); ok {
		for _, k := range []struct {
			dst       *string
			file, env string
		}{{&cfg.DataKey, "data.key", "GONGSHANG_DATA_KEY"}, {&cfg.AuditKey, "audit.key", "GONGSHANG_AUDIT_KEY"}} {
			if *k.dst != "" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(cfg.DataDir, k.file))
			if err != nil {
				return fmt.Errorf("%s is not set and the data folder has no %s: the database cannot be opened", k.env, k.file)
			}
			*k.dst = strings.TrimSpace(string(b))
		}
		cfg.DatabaseURL = url
		if s, err = openStore(ctx, cfg, newLogger(cfg, stderr)); err != nil {
			return err
		}
		defer s.Close()
	}
	svc, err := params.New(ctx, s, params.Options{})
	if err != nil {
		return err
	}
	if code := calc.Main(stdin, stdout, stderr, svc.Set(ctx)); code != 0 {
		return exitError(code)
	}
	return nil
}

// calcDatabase is the database calc reads parameters from, if any.
func calcDatabase(cfg config.Config) (string, bool) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, true
	}
	path := filepath.Join(cfg.DataDir, "gongshang.db")
	if _, err := os.Stat(path); err == nil {
		return path, true
	}
	return "", false
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runAuditImport(ctx, args[1:], getenv, stdout, stderr)
		case "scan":
			return runAuditScan(ctx, args[1:], getenv, stdout, stderr)
		case "rank":
			return runAuditRank(ctx, args[1:], getenv, stdout, stderr)
		case "synth":
			return runAuditSynth(ctx, args[1:], stdout, stderr)
		case "eval":
			return runAuditEval(ctx, args[1:], stdout, stderr)
		}
	}
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "用法: gongshang audit verify [--data DIR] [--database URL] [--checkpoints DIR/audit-checkpoints.jsonl]")
		fmt.Fprintln(stderr, auditExtractUsage)
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
