package backoffice

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// xlsxRows downloads path as c and reads its first sheet's rows (title,
// note, header, then the data).
func xlsxRows(t *testing.T, c *webtest.Client, path string) [][]string {
	t.Helper()
	resp := c.Do("GET", path, "", nil)
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("%s: %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), buf.String())
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) < 3 {
		t.Fatalf("%s: %d rows %v", path, len(rows), err)
	}
	return rows
}

// cellOf is the text of the page's element with id.
func cellOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no #%s on the page:\n%s", id, page)
	}
	return m[1]
}

func rowText(row []string) string { return strings.Join(row, "|") }

func TestSupervisionDashboardPage(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		dc := storetest.NewDashCampaign(t, e.S)
		city, qufu, insurer := e.Login("auditor-370800"), e.Login("auditor-370881"), e.Login("insurer-370800")

		if home := getPage(t, city, "/supervision", 200); !strings.Contains(home, `href="/supervision/dashboard"`) {
			t.Fatal("the supervision home page does not link the dashboard")
		}
		page := getPage(t, city, "/supervision/dashboard", 200)
		for id, want := range map[string]string{"stat-found": "¥800.00", "stat-confirmed": "¥700.00", "stat-recovered": "¥450.00", "stat-outstanding": "¥200.00"} {
			if got := cellOf(t, page, id); got != want {
				t.Errorf("#%s %q, want %q", id, got, want)
			}
		}
		for _, want := range []string{`id="table-county"`, "<td>370802</td><td class=\"num\">2</td><td class=\"num\">¥600.00</td>", "<td>曲阜市</td>",
			"济宁市第一人民医院", "<td>合计</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">¥700.00</td><td class=\"num\">¥450.00</td>",
			`<svg class="chart"`, `id="export-teams"`, dc.Campaign} {
			if !strings.Contains(page, want) {
				t.Fatalf("the city's dashboard has no %q:\n%s", want, page)
			}
		}
		// 曲阜's auditor: 曲阜 only
		qp := getPage(t, qufu, "/supervision/dashboard", 200)
		if got := cellOf(t, qp, "stat-found"); got != "¥200.00" || strings.Contains(qp, "<td>370802</td>") || !strings.Contains(qp, "<td>曲阜市</td>") {
			t.Fatalf("曲阜's dashboard: found %s\n%s", got, qp)
		}
		// the insurer's staff read it; another year is empty; a campaign selects
		getPage(t, insurer, "/supervision/dashboard", 200)
		if got := cellOf(t, getPage(t, city, "/supervision/dashboard?year=2025", 200), "stat-found"); got != "¥0.00" {
			t.Fatalf("2025 found %s", got)
		}
		cid := strconv.FormatInt(dc.CampaignID, 10)
		if got := cellOf(t, getPage(t, city, "/supervision/dashboard?campaign="+cid, 200), "stat-found"); got != "¥800.00" {
			t.Fatalf("the campaign's found %s", got)
		}
		for path, want := range map[string]int{"/supervision/dashboard?year=x": 400, "/supervision/dashboard?campaign=999999": 404,
			"/supervision/dashboard?format=xlsx&table=nope": 400, "/supervision/dashboard?format=pdf": 400} {
			if code, body := city.Raw("GET", path, "", ""); code != want {
				t.Errorf("%s: %d, want %d\n%s", path, code, want, body)
			}
		}

		// every table exports with its header and rows
		headers := map[string]string{
			"leads":       "行为类别|结果类型|线索|涉及金额|已确认|已排除|待核实|确认金额",
			"category":    "行为类别|稽核发现|涉及金额|认定|认定金额",
			"county":      "区县|稽核发现|涉及金额|认定|认定金额",
			"institution": "排名|机构编码|机构|稽核发现|涉及金额|认定|认定金额",
			"recovery":    "区县|追回笔数|未办结|已登记|已追回|待追回|退回登记|退回已追回|抵扣登记|抵扣已追回",
			"rules":       "规则|结果类型|触发|确认|排除|命中率",
			"teams":       "稽核计划|检查组|检查对象|待检查|已检查|已办结|稽核发现|认定|涉及金额|认定金额",
		}
		for _, table := range dashTables {
			rows := xlsxRows(t, city, "/supervision/dashboard?year=2026&format=xlsx&table="+table)
			if got := rowText(rows[2]); got != headers[table] {
				t.Errorf("%s header %q, want %q", table, got, headers[table])
			}
			if !strings.Contains(rows[0][0], "基金监管统计") || !strings.Contains(rows[1][0], "导出人") || len(rows) < 4 {
				t.Errorf("%s: %q", table, rows)
			}
			switch table {
			case "county":
				if len(rows) != 5 || !strings.HasPrefix(rowText(rows[3]), "370802|2|600") || !strings.HasPrefix(rowText(rows[4]), "曲阜市|1|200") {
					t.Errorf("county rows %q", rows[3:])
				}
			case "recovery":
				if len(rows) != 6 || !strings.HasPrefix(rowText(rows[5]), "合计|3|1|700") {
					t.Errorf("recovery rows %q", rows[3:])
				}
			case "institution":
				if len(rows) != 5 || !strings.HasPrefix(rowText(rows[3]), "1|H37080200001|济宁市第一人民医院|2|600") {
					t.Errorf("institution rows %q", rows[3:])
				}
			case "teams":
				n := 0
				for _, r := range rows[3:] {
					v, _ := strconv.Atoi(r[2])
					n += v
				}
				if n != dc.Visits {
					t.Errorf("teams rows %q: %d visits, want %d", rows[3:], n, dc.Visits)
				}
			}
		}
		if qr := xlsxRows(t, qufu, "/supervision/dashboard?format=xlsx&table=county"); len(qr) != 4 || !strings.HasPrefix(rowText(qr[3]), "曲阜市|1|200") {
			t.Errorf("曲阜's county export %q", qr)
		}
		auditCount(t, e, "supervision_dashboard.export", len(dashTables)+1)

		// the lists' exports: campaigns, the pool, a campaign's visits and findings, the rules
		cp := "/supervision/campaigns/" + cid
		for _, want := range []string{`id="export-visits"`, `id="export-findings"`} {
			if !strings.Contains(getPage(t, city, cp, 200), want) {
				t.Fatalf("the campaign page has no %s", want)
			}
		}
		lists := []struct {
			path, header string
			rows         int
			first        string
		}{
			{"/supervision/campaigns?format=xlsx", "编号|计划|年度|筛查|状态|检查组|制定|制定人", 1, cid + "|" + dc.Campaign + "|2026|"},
			{"/supervision/campaigns?format=xlsx&table=inspectors", "姓名|区县|专业|执法证|曾任职机构|状态", 6, "张一|"},
			{cp + "?format=xlsx&table=visits", "检查组|机构编码|机构|区县|风险层级|风险分|检查深度|状态|信用等级", dc.Visits, "第"},
			{cp + "?format=xlsx&table=findings", "稽核发现|检查组|机构编码|机构|区县|行为类别|违规类型|违规性质|金额|状态|引用线索|问题描述|回复期限|机构回复|审议意见|整改期限|追回登记|已追回|追回明细", 3, ""},
			{"/supervision/rules?format=xlsx", "规则|类别|结果类型|环节|逻辑|参数（本地区当前值）|触发|确认|排除|命中率|状态", -1, ""},
		}
		for _, l := range lists {
			for _, who := range []*webtest.Client{city, insurer} {
				rows := xlsxRows(t, who, l.path)
				if got := rowText(rows[2]); got != l.header {
					t.Errorf("%s header %q, want %q", l.path, got, l.header)
				}
				if l.rows >= 0 && len(rows)-3 != l.rows || l.rows < 0 && len(rows) < 4 {
					t.Errorf("%s: %d rows, want %d: %q", l.path, len(rows)-3, l.rows, rows[3:])
				} else if !strings.HasPrefix(rowText(rows[3]), l.first) {
					t.Errorf("%s first row %q, want it to start %q", l.path, rows[3], l.first)
				}
			}
		}
		findings := xlsxRows(t, city, cp+"?format=xlsx&table=findings")
		all := rowText(findings[3]) + rowText(findings[4]) + rowText(findings[5])
		for _, want := range []string{"退回300.00元：已追回300.00元", "抵扣200.00元：待追回", "抵扣200.00元：已追回150.00元", "370802", "曲阜市"} {
			if !strings.Contains(all, want) {
				t.Errorf("findings export has no %q: %q", want, findings[3:])
			}
		}
		if code, _ := city.Raw("GET", cp+"?format=xlsx&table=nope", "", ""); code != http.StatusBadRequest {
			t.Errorf("an unknown campaign table: %d", code)
		}
		// 曲阜's auditor may not export the city's campaign
		if code, _ := qufu.Raw("GET", cp+"?format=xlsx&table=findings", "", ""); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("曲阜 exports the city's campaign: %d", code)
		}
		auditCount(t, e, "campaign.export", 2)
		auditCount(t, e, "field_finding.export", 3)
		auditCount(t, e, "rule_stat.export", 2)
	})
}

// auditCount checks the number of audit entries of an action.
func auditCount(t *testing.T, e *webtest.Env, action string, want int) {
	t.Helper()
	var n int
	if err := e.S.DB().QueryRowContext(t.Context(), `SELECT (SELECT COUNT(*) FROM audit_pending WHERE action = $1) +
		(SELECT COUNT(*) FROM audit_log WHERE action = $1)`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d audit entries %s, want %d", n, action, want)
	}
}
