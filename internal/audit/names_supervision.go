package audit

// The Chinese names of fund supervision's and prevention's actions (issues
// 11 and 12; the trainings' are in names_training.go), so the audit log
// reads as the agency speaks.
func init() {
	for k, v := range map[string]string{
		"supervision.extract.import": "导入结算数据", "supervision.scan": "保存筛查结果", "supervision.scan.start": "开始筛查",
		"supervision.scan.done": "筛查完成", "supervision.scan.failed": "筛查失败", "supervision.rule.set": "调整筛查规则",
		"supervision.lead.confirm": "确认筛查线索", "supervision.lead.dismiss": "排除筛查线索",
		"supervision.inspector.add": "加入稽核人员库", "supervision.inspector.retire": "稽核人员退出人员库",
		"supervision.campaign.plan": "制定稽核计划", "supervision.campaign.draw": "稽核抽签分组", "supervision.campaign.on_site": "稽核进入现场检查",
		"supervision.campaign.close": "结束稽核计划", "supervision.visit.visited": "检查对象已检查", "supervision.visit.close": "检查对象办结",
		"supervision.visit.pack": "下载检查资料", "supervision.visit.letter": "下载稽核文书", "supervision.letter.issue": "出具稽核文书",
		"supervision.evidence.add": "登记现场证据", "supervision.field_finding.record": "登记稽核发现",
		"supervision.field_finding.feed_back": "稽核发现反馈机构", "supervision.field_finding.reply": "登记机构回复",
		"supervision.field_finding.confirm": "集体审议确认", "supervision.field_finding.dismiss": "集体审议排除",
		"supervision.field_finding.notify": "书面通知", "supervision.field_finding.rectify": "责令整改", "supervision.field_finding.close": "稽核发现复查办结",
		"supervision.finding.refer": "稽核发现移送", "supervision.recovery.add": "登记追回", "supervision.recovery.settle": "追回办结",
		"supervision.recovery.offset": "清算抵扣追回款", "supervision.points.assign": "医师记分", "supervision.points.revoke": "撤销医师记分",
		"supervision.rating":        "机构信用等级变化",
		"supervision.sanction.talk": "协议处理：约谈", "supervision.sanction.rectify": "协议处理：限期整改", "supervision.sanction.withhold": "协议处理：暂缓支付",
		"supervision.sanction.suspend": "协议处理：暂停结算", "supervision.sanction.terminate": "协议处理：解除协议",
		"prevention.year.set": "设置工伤预防年度预算", "prevention.year.focus": "确定年度重点行业和企业",
		"prevention.plan.create": "新建工伤预防计划", "prevention.plan.project": "编辑计划项目", "prevention.plan.project_remove": "删除计划项目",
		"prevention.plan.submit": "报送工伤预防计划", "prevention.plan.return": "退回工伤预防计划", "prevention.plan.approve": "批准工伤预防计划",
		"prevention.plan.change": "变更已批准计划", "prevention.change.request": "申请计划变更", "prevention.change.approve": "批准计划变更",
		"prevention.change.reject": "驳回计划变更",
		"prevention.expert.add":    "加入工伤预防专家库", "prevention.expert.update": "修改专家信息", "prevention.expert.status": "变更专家状态",
		"prevention.courseware.upload": "上传培训课件", "prevention.courseware.review": "论证培训课件", "prevention.courseware.supersede": "课件被新版本替代",
		"prevention.evaluation_form.set": "设置培训评估表", "prevention.project.accept": "宣传项目验收",
		"campaign.export": "导出稽核计划", "field_finding.export": "导出稽核发现", "inspector.export": "导出稽核人员库", "lead.export": "导出筛查线索",
		"ranking.export": "导出机构风险排名", "rule_stat.export": "导出规则统计", "visit.export": "导出检查对象",
		"supervision_dashboard.export": "导出基金监管统计", "prevention_dashboard.export": "导出工伤预防统计",
		"prevention_expert.export": "导出工伤预防专家库", "prevention_industry.export": "导出重点行业", "prevention_plan.export": "导出工伤预防计划",
		"payroll_line.export": "导出发放明细",
	} {
		actionNames[k] = v
	}
}
