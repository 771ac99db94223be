package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/errs"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// Excel everywhere in fund supervision: beside the leads and the ranking
// (ui_supervision.go), the campaign list and the inspector pool
// (/supervision/campaigns?format=xlsx[&table=inspectors]), a campaign's
// visits and its field findings (/supervision/campaigns/{id}?format=xlsx
// &table=visits|findings) and the rule base with its statistics
// (/supervision/rules?format=xlsx), each with the columns its page shows
// and audited through exportList. The pages mask nothing here (no
// insured person's data is listed), so neither do the files.

// wantsExport reports whether r asks for the Excel file.
func wantsExport(r *http.Request) bool { return r.URL.Query().Get("format") == "xlsx" }

// exportQuery is the list query of an export of an unfiltered page.
func exportQuery(r *http.Request, path, name string) (*web.ListQuery, error) {
	return web.ParseList(r, &web.ListSpec{Path: path, Name: name})
}

// either is yes when b, else no.
func either(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// exportCampaigns answers the campaign page's exports: the campaigns in
// scope, or (table=inspectors) the inspector pool.
func (s *Server) exportCampaigns(w http.ResponseWriter, r *http.Request, rq *request) error {
	switch table := r.URL.Query().Get("table"); table {
	case "", "campaigns":
		q, err := exportQuery(r, "/supervision/campaigns", "稽核计划")
		if err != nil {
			return err
		}
		cs, err := s.store.Campaigns(r.Context(), rq.P.Scope())
		if err != nil {
			return err
		}
		cols := []sheet.Column{{Header: "编号", Width: 8}, {Header: "计划", Width: 30}, {Header: "年度", Width: 8}, {Header: "筛查", Width: 10},
			{Header: "状态", Width: 12}, {Header: "检查组", Width: 8}, {Header: "制定", Width: 18}, {Header: "制定人", Width: 16}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportCampaigns, File: "campaigns", Columns: cols, Total: len(cs),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, c := range cs {
					if err := add(c.ID, c.Name, c.Year, fmt.Sprintf("筛查%d", c.ScanID), store.CampaignStates[c.State], c.Teams,
						c.CreatedAt.In(cst).Format("2006-01-02 15:04"), c.CreatedBy); err != nil {
						return i, err
					}
				}
				return len(cs), nil
			}})
	case "inspectors":
		q, err := exportQuery(r, "/supervision/campaigns", "稽核人员库")
		if err != nil {
			return err
		}
		pool, err := s.store.Inspectors(r.Context(), false)
		if err != nil {
			return err
		}
		cols := []sheet.Column{{Header: "姓名", Width: 12}, {Header: "区县", Width: 12}, {Header: "专业", Width: 14}, {Header: "执法证", Width: 8},
			{Header: "曾任职机构", Width: 30}, {Header: "状态", Width: 8}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportInspectors, File: "inspectors", Columns: cols, Total: len(pool),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, p := range pool {
					if err := add(p.Name, regionText(p.County), p.Specialty, either(p.Officer, "有", "无"), strings.Join(p.Former, "、"),
						either(p.Active, "在库", "停用")); err != nil {
						return i, err
					}
				}
				return len(pool), nil
			}})
	default:
		return errs.Field("table", "choice", "“%s”不可导出，可导出campaigns（稽核计划）或inspectors（稽核人员库）", table)
	}
}

// visitState names a visit's state as the campaign page does.
func visitState(s string) string {
	return map[string]string{"planned": "待检查", "visited": "已检查", "closed": "已办结"}[s]
}

// exportCampaign answers a campaign page's exports: its visits in scope
// (table=visits, the default) or its field findings (table=findings).
func (s *Server) exportCampaign(w http.ResponseWriter, r *http.Request, rq *request, id int64) error {
	ctx := r.Context()
	c, err := s.store.FindCampaign(ctx, rq.P, id)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/supervision/campaigns/%d", id)
	visits, err := s.store.CampaignVisits(ctx, rq.P.Scope(), id)
	if err != nil {
		return err
	}
	team := func(no int) string {
		if no == 0 {
			return "待分组"
		}
		return fmt.Sprintf("第%d检查组", no)
	}
	switch table := r.URL.Query().Get("table"); table {
	case "", "visits":
		q, err := exportQuery(r, path, c.Name+"检查对象")
		if err != nil {
			return err
		}
		cols := []sheet.Column{{Header: "检查组", Width: 12}, {Header: "机构编码", Width: 16}, {Header: "机构", Width: 28}, {Header: "区县", Width: 12},
			{Header: "风险层级", Width: 10}, {Header: "风险分", Width: 8}, {Header: "检查深度", Width: 14}, {Header: "状态", Width: 8}, {Header: "信用等级", Width: 14}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportVisits, File: "visits", Columns: cols, Total: len(visits),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, v := range visits {
					rating, err := s.store.Rating(ctx, v.Institution)
					if err != nil {
						return i, err
					}
					depth := "简易"
					if v.Depth == supervision.DepthFull {
						depth = "全面" + either(v.Random, "（随机抽中）", "")
					}
					if err := add(team(v.Team), v.Institution, v.Name, regionText(v.County), riskTierNames[v.Tier], strconv.FormatFloat(v.Score, 'f', 2, 64),
						depth, visitState(v.State), fmt.Sprintf("%s（%.1f分）", rating.Grade, rating.Points)); err != nil {
						return i, err
					}
				}
				return len(visits), nil
			}})
	case "findings":
		q, err := exportQuery(r, path, c.Name+"稽核发现")
		if err != nil {
			return err
		}
		fs, err := s.store.FieldFindings(ctx, rq.P.Scope(), id)
		if err != nil {
			return err
		}
		byVisit := map[int64]store.CampaignVisit{}
		for _, v := range visits {
			byVisit[v.ID] = v
		}
		cols := []sheet.Column{{Header: "稽核发现", Width: 10}, {Header: "检查组", Width: 12}, {Header: "机构编码", Width: 16}, {Header: "机构", Width: 28},
			{Header: "区县", Width: 12}, {Header: "行为类别", Width: 16}, {Header: "违规类型", Width: 14}, {Header: "违规性质", Width: 10},
			{Header: "金额", Width: 14}, {Header: "状态", Width: 10}, {Header: "引用线索", Width: 16}, {Header: "问题描述", Width: 40},
			{Header: "回复期限", Width: 12}, {Header: "机构回复", Width: 30}, {Header: "审议意见", Width: 30}, {Header: "整改期限", Width: 12},
			{Header: "追回登记", Width: 14}, {Header: "已追回", Width: 14}, {Header: "追回明细", Width: 40}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportFieldFindings, File: "field-findings", Columns: cols, Total: len(fs),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, f := range fs {
					rs, err := s.store.Recoveries(ctx, f.ID)
					if err != nil {
						return i, err
					}
					var booked, back int64
					var parts []string
					for _, x := range rs {
						booked, back = booked+x.Fen, back+x.Recovered
						way := either(x.Kind == supervision.RecoveryRefund, "退回", "抵扣")
						if x.State == "done" {
							parts = append(parts, fmt.Sprintf("%s%s元：已追回%s元", way, supervision.YuanText(x.Fen), supervision.YuanText(x.Recovered)))
						} else {
							parts = append(parts, fmt.Sprintf("%s%s元：待追回", way, supervision.YuanText(x.Fen)))
						}
					}
					var leads []string
					for _, l := range f.LeadIDs {
						leads = append(leads, strconv.FormatInt(l, 10))
					}
					v := byVisit[f.VisitID]
					if err := add(f.ID, team(v.Team), f.Institution, v.Name, regionText(f.Region), supervision.CategoryName(f.Category), f.Type, f.Tier.Name(),
						sheet.Money(f.Fen), f.State.Name(), strings.Join(leads, "、"), f.Description, f.ReplyDue, f.Reply, f.ReviewNote, f.RectifyDue,
						sheet.Money(booked), sheet.Money(back), strings.Join(parts, "；")); err != nil {
						return i, err
					}
				}
				return len(fs), nil
			}})
	default:
		return errs.Field("table", "choice", "“%s”不可导出，可导出visits（检查对象）或findings（稽核发现）", table)
	}
}

// exportRules sends the rule base with its statistics, as the rules page
// lists it.
func (s *Server) exportRules(w http.ResponseWriter, r *http.Request, rq *request, rows []ruleRow) error {
	q, err := exportQuery(r, "/supervision/rules", "规则库")
	if err != nil {
		return err
	}
	cols := []sheet.Column{{Header: "规则", Width: 36}, {Header: "类别", Width: 16}, {Header: "结果类型", Width: 10}, {Header: "环节", Width: 16},
		{Header: "逻辑", Width: 60}, {Header: "参数（本地区当前值）", Width: 40}, {Header: "触发", Width: 10}, {Header: "确认", Width: 8},
		{Header: "排除", Width: 8}, {Header: "命中率", Width: 10}, {Header: "状态", Width: 8}}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportRuleStats, File: "rules", Columns: cols, Total: len(rows),
		Rows: func(add sheet.RowFunc) (int, error) {
			for i, row := range rows {
				var params []string
				for _, p := range row.Params {
					v, ok := row.Values[p.Name]
					if !ok {
						v = p.Default
					}
					params = append(params, fmt.Sprintf("%s：%v%s", p.Label, v, p.Unit))
				}
				if err := add(row.ID+" "+row.Name, supervision.CategoryName(row.Category), supervision.SeverityName(row.Severity), strings.Join(row.Stages, " "),
					row.Logic, strings.Join(params, "；"), row.Stat.Triggers, row.Stat.Confirmed, row.Stat.Dismissed, row.Stat.HitRate(),
					either(row.Enabled, "启用", "已停用")); err != nil {
					return i, err
				}
			}
			return len(rows), nil
		}})
}
