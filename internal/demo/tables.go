package demo

// The tables below are read-only after package initialisation.

// county is one of Jining's eleven county-level units.
type county struct {
	Code   string
	Name   string  // 任城区
	Short  string  // 任城, for bank branches
	Weight float64 // relative number of employers
	// Birth holds the address codes found in the ID numbers of people born
	// there. Everyone of working age got their number before the 2013
	// reform, so 兖州 people carry 370882 (兖州市) and part of 任城 carries
	// 370802 (the former 市中区).
	Birth []string
	Roads []string
}

var counties = []county{
	{"370811", "任城区", "任城", 24, []string{"370802", "370811"},
		[]string{"太白湖路", "太白楼路", "红星中路", "共青团路", "古槐路", "建设北路", "琵琶山路", "火炬路", "吴泰闸路", "济安桥路", "任城大道", "崇文大道", "洸河路", "荷花路"}},
	{"370812", "兖州区", "兖州", 11, []string{"370882"},
		[]string{"建设东路", "九州大道", "龙桥路", "中御桥路", "兴隆路", "少陵路", "鼓楼街", "文化路"}},
	{"370826", "微山县", "微山", 6, []string{"370826"},
		[]string{"奎文路", "微山湖大道", "商业街", "建设路", "夏阳路"}},
	{"370827", "鱼台县", "鱼台", 5, []string{"370827"},
		[]string{"湖陵路", "工业路", "鱼新路", "滨湖大道"}},
	{"370828", "金乡县", "金乡", 7, []string{"370828"},
		[]string{"金山街", "奎星路", "中心街", "莱河路", "金城路"}},
	{"370829", "嘉祥县", "嘉祥", 7, []string{"370829"},
		[]string{"呈祥大道", "萌山路", "建设路", "嘉宁路", "曾子大道"}},
	{"370830", "汶上县", "汶上", 6, []string{"370830"},
		[]string{"宝相寺路", "政和路", "中都大街", "圣泽大街"}},
	{"370831", "泗水县", "泗水", 5, []string{"370831"},
		[]string{"泗河路", "圣地东路", "龙门大道", "洙泗路", "泉林路"}},
	{"370832", "梁山县", "梁山", 7, []string{"370832"},
		[]string{"水泊路", "青年路", "梁山路", "凤山路"}},
	{"370881", "曲阜市", "曲阜", 8, []string{"370881"},
		[]string{"静轩西路", "鼓楼大街", "春秋西路", "大成路", "逵泉路", "杏坛路", "五马祠街"}},
	{"370883", "邹城市", "邹城", 14, []string{"370883"},
		[]string{"矿建路", "太平东路", "峄山南路", "岗山北路", "唐王山路", "平阳路"}},
}

// otherBirth are county codes elsewhere in Shandong (泰安, 枣庄, 临沂,
// 菏泽, 济南, 聊城): where workers who moved to Jining were born.
var otherBirth = []string{"370902", "370982", "370402", "370481", "371302", "371722", "370105", "371521"}

// industry is a GB/T 4754 division with what the generator needs about it.
type industry struct {
	Code     string
	Weight   float64 // relative number of employers
	Size     float64 // relative workforce of one employer
	WageYuan float64 // mean monthly contribution wage
	Male     float64 // share of men in the workforce
	Trades   []string
	// Where multiplies the county weights; nil keeps them. Coal lies under
	// 邹城, 兖州, 微山 and 任城; 金乡 is the garlic county; 嘉祥 cuts stone;
	// 曲阜 receives the tourists.
	Where map[string]float64
}

var coalCounties = map[string]float64{"370883": 5, "370812": 4, "370826": 4, "370811": 1.2, "370829": 0.8, "370830": 0.8,
	"370827": 0, "370828": 0, "370831": 0, "370832": 0, "370881": 0}

var industries = []industry{
	{"01", 2.5, 0.6, 3900, 0.55, []string{"农业科技有限公司", "农业发展有限公司", "生态农业有限公司", "种植有限公司"}, nil},
	{"03", 1.5, 0.7, 4100, 0.60, []string{"牧业有限公司", "养殖有限公司", "畜牧有限公司"}, nil},
	{"06", 1.5, 10, 11500, 0.90, []string{"煤业有限公司", "矿业有限公司", "煤业有限责任公司"}, coalCounties},
	{"13", 4.5, 1.3, 5200, 0.45, []string{"食品有限公司", "粮油有限公司", "面粉有限公司", "农产品加工有限公司", "饲料有限公司"},
		map[string]float64{"370828": 3, "370827": 1.5}},
	{"14", 2, 1.1, 5300, 0.40, []string{"食品有限公司", "食品科技有限公司", "调味品有限公司", "糕点食品有限公司"}, nil},
	{"17", 2.5, 1.8, 4700, 0.30, []string{"纺织有限公司", "棉纺有限公司", "纺织科技有限公司", "家纺有限公司"}, nil},
	{"18", 2.5, 1.5, 4500, 0.20, []string{"服装有限公司", "服饰有限公司", "制衣有限公司"}, nil},
	{"26", 3.5, 1.8, 7200, 0.70, []string{"化工有限公司", "精细化工有限公司", "化学有限公司", "新材料科技有限公司", "生物化工有限公司"}, nil},
	{"30", 4.5, 1.3, 6200, 0.72, []string{"建材有限公司", "新型建材有限公司", "水泥制品有限公司", "混凝土有限公司", "玻璃制品有限公司"},
		map[string]float64{"370829": 2.5}},
	{"33", 2.5, 1, 6000, 0.72, []string{"金属制品有限公司", "钢结构有限公司", "五金制品有限公司"}, nil},
	{"34", 6, 1.8, 6900, 0.70, []string{"机械制造有限公司", "机械设备有限公司", "液压机械有限公司", "轴承有限公司", "泵业有限公司", "通用机械有限公司"}, nil},
	{"35", 5, 1.8, 7000, 0.70, []string{"矿山机械有限公司", "煤矿机械有限公司", "工程机械有限公司", "农业机械有限公司", "环保设备有限公司", "专用设备有限公司"}, nil},
	{"36", 2.5, 2.5, 7100, 0.68, []string{"汽车零部件有限公司", "汽车配件有限公司", "专用汽车制造有限公司", "车桥有限公司"}, nil},
	{"44", 0.8, 3, 9000, 0.75, []string{"热电有限公司", "新能源有限公司", "电力有限公司"}, nil},
	{"47", 5, 1.6, 6600, 0.88, []string{"建筑工程有限公司", "建设工程有限公司", "建工有限公司"}, nil},
	{"48", 3.5, 1.5, 6800, 0.88, []string{"路桥工程有限公司", "市政工程有限公司", "水利工程有限公司", "公路工程有限公司"}, nil},
	{"49", 2, 1, 6400, 0.85, []string{"安装工程有限公司", "电力安装工程有限公司", "机电安装有限公司"}, nil},
	{"50", 3, 0.8, 6000, 0.80, []string{"装饰工程有限公司", "建筑装饰工程有限公司", "防水工程有限公司"}, nil},
	{"51", 9, 0.5, 5800, 0.50, []string{"商贸有限公司", "贸易有限公司", "工贸有限公司", "物资有限公司", "农资有限公司", "医药有限公司"},
		map[string]float64{"370828": 1.8}},
	{"52", 8, 0.7, 4700, 0.40, []string{"超市有限公司", "百货有限公司", "商贸有限公司", "购物中心有限公司", "家电有限公司"}, nil},
	{"54", 5, 1, 6300, 0.82, []string{"物流有限公司", "运输有限公司", "汽车运输有限公司", "货运有限公司"}, nil},
	{"61", 2, 1, 4300, 0.40, []string{"酒店管理有限公司", "大酒店有限公司", "宾馆有限公司"}, map[string]float64{"370881": 2.5}},
	{"62", 6, 0.7, 4100, 0.42, []string{"餐饮管理有限公司", "餐饮有限公司", "饭店有限公司"}, map[string]float64{"370881": 1.5}},
	{"65", 3, 0.8, 8700, 0.65, []string{"信息技术有限公司", "软件科技有限公司", "网络科技有限公司", "智能科技有限公司", "数据科技有限公司"},
		map[string]float64{"370811": 1.6}},
	{"66", 1, 1.5, 10500, 0.45, []string{"小额贷款有限公司", "典当有限公司", "村镇银行股份有限公司"}, nil},
	{"70", 2.5, 0.8, 7000, 0.55, []string{"房地产开发有限公司", "置业有限公司", "物业管理有限公司"}, nil},
	{"72", 3, 1, 5600, 0.50, []string{"人力资源有限公司", "企业管理咨询有限公司", "广告有限公司"}, nil},
	{"83", 3, 1.4, 7600, 0.30, []string{"职业培训学校有限公司", "教育咨询有限公司", "艺术培训学校有限公司", "驾驶员培训学校有限公司"}, nil},
	{"84", 3, 2.2, 8200, 0.28, []string{"医院有限公司", "口腔医院有限公司", "中医门诊部有限公司", "康复医院有限公司"}, nil},
}

// localTrades replace an industry's trades in some employers of a county.
var localTrades = map[[2]string][]string{
	{"370828", "13"}: {"大蒜食品有限公司", "蒜业有限公司", "果蔬食品有限公司"},
	{"370828", "51"}: {"大蒜进出口有限公司", "农产品进出口有限公司"},
	{"370829", "30"}: {"石材有限公司", "石雕工艺有限公司"},
	{"370826", "13"}: {"水产食品有限公司", "湖产品加工有限公司"},
}

// Brand words are two characters, one from each list. blockedBrands are
// pairs too close to well-known real firms.
var (
	brandFirst    = []rune("鑫华宏恒金瑞永海博万润德鲁圣昌盛兴泰隆通丰祥嘉信诚汇正东腾宇新天凯弘佳利远鸿益浩森明广安富康")
	brandSecond   = []rune("源泰达通丰盛昌顺鑫华宇祥隆兴泽诚信发安和康晟辉凯硕博远恒益润邦运力科创")
	blockedBrands = map[string]bool{"海信": true, "万达": true, "泰康": true, "鲁泰": true, "华润": true, "正泰": true, "德邦": true,
		"安邦": true, "宇通": true, "新华": true, "天安": true, "华泰": true, "恒力": true, "盛和": true, "永辉": true, "安和": true}
)

// Surnames with rough relative frequencies in Shandong.
var surnames = []struct {
	Name   string
	Weight float64
}{
	{"王", 9}, {"张", 8}, {"李", 8}, {"刘", 6}, {"孙", 3.5}, {"陈", 3}, {"杨", 3}, {"赵", 3}, {"徐", 2.5}, {"高", 2.5},
	{"马", 2}, {"朱", 2}, {"孔", 1.2}, {"孟", 1}, {"颜", 0.6}, {"胡", 1.5}, {"郭", 1.5}, {"周", 1.5}, {"宋", 1.5}, {"吴", 1.2},
	{"郑", 1.2}, {"韩", 1.2}, {"何", 1}, {"吕", 1}, {"冯", 1}, {"田", 1}, {"董", 1}, {"曹", 1}, {"许", 1}, {"魏", 1},
	{"崔", 0.9}, {"袁", 0.8}, {"程", 0.8}, {"姜", 0.8}, {"侯", 0.7}, {"贾", 0.7}, {"丁", 0.7}, {"唐", 0.6}, {"谢", 0.6}, {"范", 0.6},
	{"付", 0.6}, {"任", 0.6}, {"石", 0.6}, {"邵", 0.5}, {"薛", 0.5}, {"秦", 0.5}, {"牛", 0.5}, {"闫", 0.5}, {"曾", 0.4}, {"岳", 0.4},
	{"葛", 0.4}, {"路", 0.4}, {"庞", 0.3}, {"仲", 0.3}, {"褚", 0.3},
}

// localSurnames are over-represented where a family has lived for
// millennia: 孔 in 曲阜, 孟 in 邹城, 曾 in 嘉祥.
var localSurnames = map[string]struct {
	Name  string
	Share float64
}{
	"370881": {"孔", 0.10}, "370883": {"孟", 0.05}, "370829": {"曾", 0.04},
}

var (
	maleChars    = []rune("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健浩凯亮建国峰东海林志文新成俊帅宇晨阳博振庆立金德龙坤彬翔昊然旭铭")
	femaleChars  = []rune("芳娜敏静丽艳娟霞燕玲丹萍红琳婷雪慧颖倩洁莉梅晶蕾欣悦萌璐秀英兰琴云莹佳怡涵雯菲")
	neutralChars = []rune("文华明建春晓玉海小新永金秋志子思雨")
)

// Mobile number prefixes of the three operators.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
	"156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"}

// bank is a bank workers are paid through; its card prefix and length
// give plausible debit card numbers (not real issuer data).
type bank struct {
	Name   string
	Weight float64
	Prefix string
	Digits int
	Kind   int // branch naming: national, city or rural bank
}

const (
	bankNational = iota
	bankCity
	bankRural
)

var banks = []bank{
	{"中国工商银行", 22, "622202", 19, bankNational},
	{"中国农业银行", 20, "622848", 19, bankNational},
	{"中国建设银行", 18, "621700", 19, bankNational},
	{"中国银行", 10, "621661", 19, bankNational},
	{"中国邮政储蓄银行", 10, "621799", 19, bankNational},
	{"济宁银行", 8, "623158", 16, bankCity},
	{"农村商业银行", 12, "621521", 19, bankRural},
}
