package api

import (
	"slices"
	"strings"

	"gongshang/internal/casebundle"
	"gongshang/internal/expertpool"
	"gongshang/internal/web"
)

// The OpenAPI descriptions of the case endpoints (routes.go).

var (
	docCaseQueue = &apiDoc{Summary: "工作队列：管辖范围内待经办机构办理的步骤，最早到期（含已逾期）在前", Tag: "工伤一件事",
		Params: queueParams(), Response: web.ListBody[queueItem]{}, Status: 200}
	docCaseOpen = &apiDoc{Summary: "提出工伤认定申请，开立工伤一件事案件（同一职工、同一受伤日期、同一用人单位只开立一件，重复申请返回409及已有案件编号）",
		Tag: "工伤一件事", Request: caseInput{}, Response: caseDetail{}, Status: 201}
	docCaseByNumber = &apiDoc{Summary: "按案件编号查询（12333“我的案件办到哪了”）", Tag: "工伤一件事", Response: caseDetail{}, Status: 200,
		Path: map[string]string{"number": "案件编号，如GS370881-2025-000123"}}
	docCaseGet = &apiDoc{Summary: "案件详情：各办理事项的状态、时限、本人可办理的动作，材料及其来源，申请人提交的材料件数（原需11件）", Tag: "工伤一件事",
		Response: caseDetail{}, Status: 200}
	docCaseAct = &apiDoc{Summary: "对案件的一项办理事项办理一个动作（动作及所需字段见 allowed_actions；version 为所见版本，已变更时返回409 version_conflict）",
		Tag: "工伤一件事", Request: casebundle.Action{}, Response: actionResult{}, Status: 200,
		Path: map[string]string{"sid": "办理事项编号（services[].id）"}}
	docCaseProcedure = &apiDoc{Summary: "适用简易程序（simple=true，checklist四项均须满足）或转为普通程序（simple=false，须填写reason），时限重新计算",
		Tag: "工伤一件事", Request: procedureInput{}, Response: caseDetail{}, Status: 200}
	docCaseClaim = &apiDoc{Summary: "认领办理事项（assign=true，进入“分配给我”），或释放回地区待办（assign=false）；只有办理该类事项的角色可以认领", Tag: "工伤一件事",
		Request: claimInput{}, Response: caseDetail{}, Status: 200, Path: map[string]string{"sid": "办理事项编号（services[].id）"}}
	docCaseAddService = &apiDoc{Summary: "为案件增加办理事项：再次鉴定、复查鉴定或确认类事项", Tag: "工伤一件事", Request: serviceInput{}, Response: caseDetail{}, Status: 201}
	docCaseFiles      = &apiDoc{Summary: "案件已上传的材料", Tag: "工伤一件事", Response: web.ListBody[fileBody]{}, Status: 200}
	docCaseUpload     = &apiDoc{Summary: "上传一件材料（PDF、JPEG或PNG，大小受限；系统已掌握的材料无需上传）", Tag: "工伤一件事",
		Multipart: uploadSchema(), Response: fileBody{}, Status: 201}
	docCaseFile    = &apiDoc{Summary: "材料文件原件（本案的文件）", Tag: "工伤一件事", Binary: "application/octet-stream", Status: 200, Path: map[string]string{"fid": "文件编号"}}
	docCaseLetters = &apiDoc{Summary: "案件的文书（受理、补正、中止、认定、鉴定结论、待遇核定等）", Tag: "工伤一件事", Response: web.ListBody[letterBody]{}, Status: 200}
	docCaseLetter  = &apiDoc{Summary: "文书PDF（每次下载字节相同）", Tag: "工伤一件事", Binary: "application/pdf", Status: 200, Path: map[string]string{"lid": "文书编号"}}
	docCasePanel   = &apiDoc{Summary: "为鉴定随机抽取3或5名专家组成专家组（回避职工就诊医院和申报的利害关系，抽取记录可重放）", Tag: "工伤一件事",
		Request: panelInput{}, Response: caseDetail{}, Status: 200, Path: map[string]string{"sid": "鉴定事项编号（services[].id）"}}
	docCasePanelDraws = &apiDoc{Summary: "鉴定的专家抽取记录及抽取时的专家库（可据此重放）", Tag: "工伤一件事", Response: web.ListBody[drawBody]{}, Status: 200,
		Path: map[string]string{"sid": "鉴定事项编号（services[].id）"}}
	docCaseProposal = &apiDoc{Summary: "按本案事实（伤残等级、护理等级、本人工资）测算的待遇，逐项附计算说明，供核算前审阅", Tag: "工伤一件事",
		Response: casebundle.Proposal{}, Status: 200}
	docCaseEntitlements = &apiDoc{Summary: "待遇核定通过后生成的按月待遇和一次性应付项目", Tag: "工伤一件事", Response: entitlementsBody{}, Status: 200}
	docCaseDashboard    = &apiDoc{Summary: "工伤一件事统计：申请至认定决定的天数（中位数、90百分位，普通和简易程序）、法定及本地时限内办结数、每案材料件数、减少跑腿次数、在办及逾期步骤",
		Tag: "工伤一件事", Response: figuresBody{}, Status: 200,
		Params: []any{map[string]any{"name": "region", "in": "query", "description": "行政区划代码（须在本人管辖范围内；不给出时为全部管辖范围）", "schema": map[string]any{"type": "string"}}}}
	docExperts = &apiDoc{Summary: "劳动能力鉴定专家库（不给出region时为本人所在市的鉴定委员会）", Tag: "鉴定专家库", Response: web.ListBody[expertpool.Expert]{}, Status: 200,
		Params: []any{map[string]any{"name": "region", "in": "query", "description": "鉴定委员会的行政区划代码：市（37xx00）或省（370000）", "schema": map[string]any{"type": "string"}}}}
	docExpertCreate = &apiDoc{Summary: "专家入库（姓名、医学门类、所在医院、职称、聘期、申报回避）", Tag: "鉴定专家库", Request: expertInput{}, Response: expertpool.Expert{}, Status: 201}
	docCaseHistory  = &apiDoc{Summary: "案件办理记录（最早在前）", Tag: "工伤一件事", Response: web.ListBody[historyItem]{}, Status: 200}
)

// queueParams documents the queue's query: the repeatable kind, the
// toolkit's filters and paging; the search box and sorting do not apply.
func queueParams() []any {
	kinds := make([]string, len(casebundle.ServiceKinds))
	names := make([]string, len(casebundle.ServiceKinds))
	for i, k := range casebundle.ServiceKinds {
		kinds[i], names[i] = string(k), string(k)+"="+k.Name()
	}
	out := []any{map[string]any{"name": "kind", "in": "query", "style": "form", "explode": true,
		"description": "办理事项，可重复或以逗号分隔（" + strings.Join(names, "，") + "）",
		"schema":      map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": kinds}}}}
	for _, p := range listParams(queueSpec("/api/v1/cases", nil)) {
		switch p.(map[string]any)["name"] {
		case "q", "sort", "dir":
			continue
		case "mine":
			p.(map[string]any)["description"] = "true：只列本人岗位办理的事项（窗口、认定：工伤认定；鉴定：鉴定及确认类；待遇：待遇核定）"
		}
		out = append(out, p)
	}
	return slices.Clip(out)
}

// uploadSchema is the multipart body of an upload.
func uploadSchema() map[string]any {
	var codes []string
	for _, m := range casebundle.Materials {
		if m.Upload {
			codes = append(codes, m.Code)
		}
	}
	return map[string]any{"type": "object", "required": []string{"file", "material"}, "properties": map[string]any{
		"material": map[string]any{"type": "string", "enum": codes, "description": "材料类型"},
		"file":     map[string]any{"type": "string", "format": "binary", "description": "文件（PDF、JPEG或PNG）"},
	}}
}
