package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/config"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The fund-supervision commands of docs/settlement-extract.md §3. Stdout
// carries only JSON; progress and errors go to stderr. They act as the
// system principal: whoever runs them holds the data folder and its keys.

const auditExtractUsage = `用法:
  gongshang audit import DIR [--region CODE] [--data DIR] [--database URL]  导入结算数据文件夹（再次导入同一文件夹即替换；默认归属其全部机构所在的地区）
  gongshang audit scan --json [--extract ID]                  筛查最近导入的结算数据，标准输出为疑点JSON数组
  gongshang audit rank --json [--extract ID]                  标准输出为机构排序JSON数组（尚未筛查时先筛查）
  gongshang audit synth DIR [--scale 1] [--seed 1] [--year 2025] 生成带标注的模拟城市年度结算数据（labels/ 为标注）
  gongshang audit eval --labels DIR/labels --findings F.json [--ranking R.json]  用标注评价筛查结果（各类别精确率、召回率等）`

// auditFlags parses a command's flags around one optional positional
// argument (DIR may come before or after the flags).
func auditFlags(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	var fset *flag.FlagSet
	var pos []string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		pos, args = args[:1], args[1:]
	}
	cfg, err := loadConfig(name, args, getenv, stderr, func(fs *flag.FlagSet) {
		fset = fs
		if extra != nil {
			extra(fs)
		}
	})
	if err != nil {
		return cfg, nil, err
	}
	pos = append(pos, fset.Args()...)
	return cfg, pos, demoKeys(&cfg)
}

func runAuditImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var region string
	cfg, pos, err := auditFlags("audit import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&region, "region", "", "region the extract is filed under (default: the region holding all its institutions)")
	})
	if err != nil {
		return err
	}
	actor := access.System
	if region != "" {
		if _, ok := registry.RegionNames()[region]; !ok {
			fmt.Fprintf(stderr, "--region：行政区划代码“%s”不存在\n", region)
			return exitError(2)
		}
		actor.RegionCode = region
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, auditExtractUsage)
		return exitError(2)
	}
	dir, err := filepath.Abs(filepath.Clean(pos[0]))
	if err != nil {
		return err
	}
	files, err := readExtractDir(dir)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	fmt.Fprintf(stderr, "导入结算数据 %s …\n", dir)
	info, err := s.ImportExtract(ctx, actor, dir, files)
	var ee *supervision.ExtractError
	if errors.As(err, &ee) {
		fmt.Fprintln(stderr, ee.Error())
		return exitError(1)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "已导入结算数据%d（%d年）：%d个就诊、%d条费用明细，用时%s\n", info.ID, info.Year,
		info.Counts["encounters"], info.Counts["lines"], time.Since(start).Round(time.Millisecond))
	return writeJSON(stdout, info)
}

// readExtractDir reads the extract files a folder holds (the others are
// not read).
func readExtractDir(dir string) (map[string][]byte, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s 不是文件夹", dir)
	}
	files := map[string][]byte{}
	for _, name := range supervision.ExtractFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

// scanFlags are scan's and rank's: --json (the only output there is) and
// --extract.
func scanFlags(name string, args []string, getenv func(string) string, stderr io.Writer) (config.Config, int64, error) {
	var extract int64
	cfg, pos, err := auditFlags(name, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.Bool("json", true, "print JSON on stdout (the only output format)")
		fs.Int64Var(&extract, "extract", 0, "extract id (default: the one imported last)")
	})
	if err == nil && len(pos) > 0 {
		fmt.Fprintln(stderr, auditExtractUsage)
		err = exitError(2)
	}
	return cfg, extract, err
}

func runAuditScan(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, extractID, err := scanFlags("audit scan", args, getenv, stderr)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	scan, err := screen(ctx, s, extractID, stderr)
	if err != nil {
		return err
	}
	fs, err := s.ScanFindings(ctx, scan.ID)
	if err != nil {
		return err
	}
	return writeJSON(stdout, fs)
}

func runAuditRank(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, extractID, err := scanFlags("audit rank", args, getenv, stderr)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	x, err := pickExtract(ctx, s, extractID)
	if err != nil {
		return err
	}
	scan, err := s.LatestScan(ctx, x.ID)
	if errs.Is(err, errs.NotFound) {
		fmt.Fprintf(stderr, "结算数据%d尚未筛查，先筛查\n", x.ID)
		scan, err = screen(ctx, s, x.ID, stderr)
	}
	if err != nil {
		return err
	}
	rank, err := s.ScanRanking(ctx, scan.ID)
	if err != nil {
		return err
	}
	if rank == nil {
		rank = []supervision.Rank{}
	}
	return writeJSON(stdout, rank)
}

// pickExtract is the extract asked for, or the one imported last.
func pickExtract(ctx context.Context, s *store.Store, id int64) (store.ExtractInfo, error) {
	if id != 0 {
		return s.FindExtract(ctx, id)
	}
	return s.LatestExtract(ctx)
}

// screen runs a scan of an extract (0: the one imported last) and saves
// it, telling stderr how far it is.
func screen(ctx context.Context, s *store.Store, extractID int64, stderr io.Writer) (store.ScanInfo, error) {
	info, err := pickExtract(ctx, s, extractID)
	if err != nil {
		return store.ScanInfo{}, err
	}
	start := time.Now()
	fmt.Fprintf(stderr, "读取结算数据%d（%s）…\n", info.ID, info.Name)
	x, err := s.LoadExtract(ctx, info.ID)
	if err != nil {
		return store.ScanInfo{}, err
	}
	fmt.Fprintf(stderr, "筛查%d个就诊、%d条费用明细 …\n", len(x.Encounters), len(x.Lines))
	// The scan is the extract's region's: its rule settings, its scope.
	actor := access.System
	actor.RegionCode = info.Region
	cfg, err := s.RuleConfig(ctx, info.Region, time.Now().In(chinaTime).Format(time.DateOnly))
	if err != nil {
		return store.ScanInfo{}, err
	}
	fs := supervision.Scan(x, cfg, progressTo(stderr))
	rank := supervision.RankInstitutions(x, fs)
	scan, err := s.SaveScan(ctx, actor, info.ID, fs, rank)
	if err != nil {
		return scan, err
	}
	fmt.Fprintf(stderr, "筛查%d完成：%d个疑点，涉及%s元，用时%s\n", scan.ID, scan.Findings, supervision.YuanText(scan.Fen),
		time.Since(start).Round(time.Millisecond))
	return scan, nil
}

// progressTo prints a scan's progress at most once a second and at the end.
func progressTo(w io.Writer) supervision.Progress {
	var last time.Time
	return func(done, total int) {
		if done < total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "筛查进度 %d/%d\n", done, total)
	}
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// chinaTime is the agency's clock zone (UTC+8, no daylight saving): the
// day whose rule settings a command-line scan applies.
var chinaTime = time.FixedZone("CST", 8*3600)
