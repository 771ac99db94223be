package casebundle

// Ground is a legal ground of a recognition decision.
type Ground struct {
	Code    string
	Outcome Outcome
	Text    string // the article, as the decision letter cites it
}

// Grounds are 条例 Arts. 14 (认定工伤), 15 (视同工伤) and 16 (不得认定), plus
// the general refusal when no case of Arts. 14–15 applies.
var Grounds = []Ground{
	{"14.1", OutcomeRecognised, "《工伤保险条例》第十四条第（一）项：在工作时间和工作场所内，因工作原因受到事故伤害"},
	{"14.2", OutcomeRecognised, "《工伤保险条例》第十四条第（二）项：工作时间前后在工作场所内，从事与工作有关的预备性或者收尾性工作受到事故伤害"},
	{"14.3", OutcomeRecognised, "《工伤保险条例》第十四条第（三）项：在工作时间和工作场所内，因履行工作职责受到暴力等意外伤害"},
	{"14.4", OutcomeRecognised, "《工伤保险条例》第十四条第（四）项：患职业病"},
	{"14.5", OutcomeRecognised, "《工伤保险条例》第十四条第（五）项：因工外出期间，由于工作原因受到伤害或者发生事故下落不明"},
	{"14.6", OutcomeRecognised, "《工伤保险条例》第十四条第（六）项：在上下班途中，受到非本人主要责任的交通事故或者城市轨道交通、客运轮渡、火车事故伤害"},
	{"14.7", OutcomeRecognised, "《工伤保险条例》第十四条第（七）项：法律、行政法规规定应当认定为工伤的其他情形"},
	{"15.1", OutcomeDeemed, "《工伤保险条例》第十五条第一款第（一）项：在工作时间和工作岗位，突发疾病死亡或者在48小时之内经抢救无效死亡"},
	{"15.2", OutcomeDeemed, "《工伤保险条例》第十五条第一款第（二）项：在抢险救灾等维护国家利益、公共利益活动中受到伤害"},
	{"15.3", OutcomeDeemed, "《工伤保险条例》第十五条第一款第（三）项：原在军队服役，因战、因公负伤致残，已取得革命伤残军人证，到用人单位后旧伤复发"},
	{"16.1", OutcomeNotRecognised, "《工伤保险条例》第十六条第（一）项：故意犯罪"},
	{"16.2", OutcomeNotRecognised, "《工伤保险条例》第十六条第（二）项：醉酒或者吸毒"},
	{"16.3", OutcomeNotRecognised, "《工伤保险条例》第十六条第（三）项：自残或者自杀"},
	{"none", OutcomeNotRecognised, "不符合《工伤保险条例》第十四条、第十五条规定的应当认定或者视同工伤的情形"},
}

// GroundByCode returns a ground.
func GroundByCode(code string) (Ground, bool) {
	for _, g := range Grounds {
		if g.Code == code {
			return g, true
		}
	}
	return Ground{}, false
}
