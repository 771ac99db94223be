package his

// Texts the server answers in err_msg or warn_msg (Chinese, user-facing).
const (
	MsgDuplicateMsgid   = "报文ID重复：同一报文ID的请求内容不同"
	MsgNoFiling         = "未办理异地就医备案或备案已失效"
	MsgUnknownInfno     = "infno（交易编号）不是本平台支持的交易"
	MsgBadSignature     = "签名校验失败：x-tif-signature（签名）与报文头不符"
	MsgUnknownPaasid    = "x-tif-paasid（接入方标识）无效或已停用"
	MsgBadTimestamp     = "x-tif-timestamp（时间戳）应为Unix秒数"
	MsgStaleTimestamp   = "x-tif-timestamp（时间戳）与服务器时间相差超过300秒"
	MsgNoNonce          = "x-tif-nonce（随机串）不能为空，且不超过64个字符"
	MsgNonceReused      = "x-tif-nonce（随机串）在10分钟内已使用，请勿重放请求"
	MsgBodyTooLarge     = "请求报文超过4MiB"
	MsgNotJSON          = "请求报文应为JSON对象"
	MsgInstitution      = "fixmedins_code（定点医药机构编号）与接入方标识绑定的机构不一致"
	MsgNotSignedIn      = "sign_no（签到编号）无效，请先签到（9001）"
	MsgPendingInjury    = "工伤待认定：可上传明细和预结算，暂不能结算"
	MsgSumMismatch      = "medfee_sumamt（医疗费总额）与已上传未结算明细合计不符"
	MsgNotOwnEncounter  = "mdtrt_id（就诊ID）不存在或不属于本机构"
	MsgNotOwnSettlement = "setl_id（结算ID）不存在或不属于本机构"
	MsgCleared          = "结算已纳入月度清算，不能撤销或冲正"
	MsgInternal         = "系统内部错误，请稍后重试"
)
