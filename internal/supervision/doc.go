package supervision

import (
	"fmt"
	"strings"
)

// RuleTable renders the rule base as a Markdown table (docs/rules.md is
// this text; a test keeps it current).
func RuleTable() string {
	var b strings.Builder
	b.WriteString("# The rule base (generated from internal/supervision.Base; do not edit by hand)\n\n")
	b.WriteString("Regenerate with `go test ./internal/supervision -run RuleDoc -update`.\n\n")
	for _, c := range Categories {
		fmt.Fprintf(&b, "## %s（%s）\n\n", CategoryName(c), c)
		b.WriteString("| id | 名称 | 结果类型 | 环节 | 时间区间 | 逻辑 | 参数（默认） | 依据 |\n|---|---|---|---|---|---|---|---|\n")
		for _, r := range Base {
			if r.Category != c {
				continue
			}
			var ps []string
			for _, p := range r.Params {
				ps = append(ps, fmt.Sprintf("%s %s=%g%s（%g–%g）", p.Label, p.Name, p.Default, p.Unit, p.Min, p.Max))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.ID, r.Name, SeverityName(r.Severity), strings.Join(r.Stages, "、"),
				r.Window, r.Logic, strings.Join(ps, "；"), r.Basis)
		}
		b.WriteString("\n")
	}
	return b.String()
}
