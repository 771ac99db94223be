package audit

// The Chinese names of the prevention trainings' actions (issue 12),
// kept beside the main table so the parts of the prevention work add
// theirs without touching one another's lines.
func init() {
	for k, v := range map[string]string{
		"prevention.session.create": "登记培训场次", "prevention.session.update": "修改培训场次",
		"prevention.session.held": "登记培训已举办", "prevention.session.close": "培训场次验收", "prevention.session.cancel": "取消培训场次",
		"prevention.session.score":     "计算培训评估得分",
		"prevention.attendance.roster": "导入培训名单", "prevention.attendance.manual": "登记参训人员", "prevention.attendance.checkin": "扫码签到",
		"prevention.archive.add":          "上传培训影音资料",
		"prevention.evaluation.checklist": "录入培训评估表", "prevention.evaluation.questionnaire": "录入培训调查问卷",
		"prevention.payment.prepare": "提交工伤预防费支付", "prevention.payment.approve": "审批工伤预防费支付",
		"prevention.payment.return": "退回工伤预防费支付", "prevention.project.paid": "记录项目已支付金额",
		"prevention.target.add": "登记工伤预防目标任务", "training_session.export": "导出培训场次",
	} {
		actionNames[k] = v
	}
}
