package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gongshang/internal/auditsynth"
)

// runAuditSynth writes a labelled synthetic city-year:
// gongshang audit synth DIR [--scale 1] [--seed 1] [--year 2025].
// The extract goes to DIR, the labels to DIR/labels; the summary to stderr.
func runAuditSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Float64("scale", 1, "规模：1 = 一个城市一年（约 35,000 次就诊）")
	seed := fs.Uint64("seed", 1, "随机种子：同一种子生成完全相同的文件")
	year := fs.Int("year", 2025, "就诊所在的自然年")
	dir, rest := splitDir(args)
	if err := fs.Parse(rest); err != nil {
		return exitError(2)
	}
	if dir == "" && fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if dir == "" {
		fmt.Fprintln(stderr, "用法: gongshang audit synth DIR [--scale 1] [--seed 1] [--year 2025]")
		return exitError(2)
	}
	start := time.Now()
	sum, err := auditsynth.Generate(dir, auditsynth.Options{Seed: *seed, Scale: *scale, Year: *year})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s生成用时 %s\n", sum.Text(), time.Since(start).Round(time.Millisecond))
	return nil
}

// splitDir takes a leading positional argument (the folder) off the flags.
func splitDir(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// runAuditEval scores a detector run against the labels:
// gongshang audit eval --labels DIR/labels --findings findings.json [--ranking rank.json].
func runAuditEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	labels := fs.String("labels", "", "标注目录（audit synth 输出目录下的 labels）")
	findings := fs.String("findings", "", "audit scan --json 的输出文件")
	ranking := fs.String("ranking", "", "audit rank --json 的输出文件（可选）")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	if *labels == "" || *findings == "" {
		fmt.Fprintln(stderr, "用法: gongshang audit eval --labels DIR/labels --findings findings.json [--ranking rank.json]")
		return exitError(2)
	}
	var fs1 []auditsynth.Finding
	if err := readJSONFile(*findings, &fs1); err != nil {
		return err
	}
	var rk []auditsynth.Ranked
	if *ranking != "" {
		if err := readJSONFile(*ranking, &rk); err != nil {
			return err
		}
		if rk == nil {
			rk = []auditsynth.Ranked{}
		}
	}
	rep, err := auditsynth.Evaluate(*labels, fs1, rk)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, rep.Text())
	return err
}

func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s 不是有效的 JSON 数组：%w", path, err)
	}
	return nil
}
