// Package audit defines the append-only, hash-chained audit log. A change
// appends its entry unsealed, in its own transaction; one sealer then gives
// the entries consecutive sequence numbers in insertion order and chains
// them, each hash covering the entry and the hash before it, so editing,
// deleting or reordering any sealed row breaks the chain from that row on.
// Version 2 hashes are HMAC-SHA256 under a key the database does not hold,
// so whoever can write the database cannot re-chain edited rows; signed
// checkpoints kept outside the database show rows cut from the end. Pure
// logic, no I/O.
package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Entry is one audited change.
type Entry struct {
	ID          int64  `json:"id"`  // insertion order, assigned on append
	Seq         int64  `json:"seq"` // 1, 2, 3, … without gaps once sealed; 0 while pending
	HashVersion int    `json:"hash_version"`
	At          string `json:"at"` // UTC instant, microseconds, RFC 3339
	ActorKind   string `json:"actor_kind"`
	ActorID     int64  `json:"actor_id"`
	Actor       string `json:"actor"` // username
	Role        string `json:"role"`
	Region      string `json:"region"`
	Action      string `json:"action"` // e.g. employer.create
	ObjectType  string `json:"object_type"`
	ObjectID    string `json:"object_id"`
	ObjRegion   string `json:"object_region"` // region of the object changed
	Before      string `json:"before"`        // JSON snapshot, "" for creations
	After       string `json:"after"`         // JSON snapshot, "" for deletions
	PrevHash    string `json:"prev_hash"`     // "" while pending
	Hash        string `json:"hash"`          // "" while pending
}

// Sealed reports whether the entry has its place in the chain.
func (e Entry) Sealed() bool { return e.Seq > 0 }

// Hash versions. Entries keep the version they were sealed with, so the
// chain written before keys verifies as it always did.
const (
	V1      = 1  // plain SHA-256; no actor kind
	V2      = 2  // HMAC-SHA256 under the audit key; actor kind and version enter it
	Current = V2 // what Seal writes
)

// Genesis is the PrevHash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// KeySize is the audit key's length in bytes.
const KeySize = 32

// Key is the secret the version 2 hashes and the checkpoints are keyed with.
type Key []byte

// ParseKey decodes a base64 key of KeySize bytes.
func ParseKey(b64 string) (Key, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(k) != KeySize {
		return nil, errors.New("audit: key must be 32 bytes, base64-encoded")
	}
	return k, nil
}

// NewKey returns a fresh random key, base64-encoded.
func NewKey() string {
	b := make([]byte, KeySize)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// FormatTime fixes an instant to the precision both engines keep.
func FormatTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// Snapshot renders an object as the JSON kept in Before/After. Callers pass
// views with personal data already masked.
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

// ComputeHash returns the hash of e chained to e.PrevHash under e's hash
// version (key is unused by version 1). Every field but ID and Hash enters
// it, each length-prefixed so no two entries collide by shifting text
// between fields. An unknown version yields "".
func ComputeHash(e Entry, key Key) string {
	var h hash.Hash
	fields := []string{strconv.FormatInt(e.Seq, 10), e.At, strconv.FormatInt(e.ActorID, 10), e.Actor, e.Role,
		e.Region, e.Action, e.ObjectType, e.ObjectID, e.ObjRegion, e.Before, e.After, e.PrevHash}
	switch e.HashVersion {
	case V1:
		h = sha256.New()
	case V2:
		h = hmac.New(sha256.New, key)
		fields = append([]string{"gongshang-audit-v2", e.ActorKind}, fields...)
	default:
		return ""
	}
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal gives e the place after (prevSeq, prevHash) and its Current hash.
func Seal(e *Entry, prevSeq int64, prevHash string, key Key) {
	e.Seq = prevSeq + 1
	e.HashVersion = Current
	e.PrevHash = prevHash
	e.Hash = ComputeHash(*e, key)
}

// Head is the chain's newest sealed position as the store keeps it, with a
// MAC so it cannot be moved back to an older entry without the key.
type Head struct {
	Seq  int64
	Hash string
	MAC  string // "" for a head no version 2 sealer has written
}

// SignHead sets h.MAC.
func SignHead(h *Head, key Key) { h.MAC = headMAC(*h, key) }

func headMAC(h Head, key Key) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "gongshang-audit-head;%d;%s", h.Seq, h.Hash)
	return hex.EncodeToString(m.Sum(nil))
}

// ActionName gives a Chinese label for an action code, for display.
func ActionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	return strings.ReplaceAll(action, ".", " ")
}

var actionNames = map[string]string{
	"employer.create": "登记用人单位", "employer.update": "修改用人单位",
	"worker.create": "登记职工", "worker.update": "修改职工",
	"employment.create": "登记劳动关系", "employment.end": "终止劳动关系",
	"wage.record": "登记缴费工资", "user.create": "新建用户", "user.update": "修改用户",
	"user.login": "登录", "user.login_failed": "登录失败", "user.locked": "账号锁定", "user.logout": "退出", "user.password": "修改密码",
	"user.password_reset": "重置密码", "user.unlock": "解除锁定", "user.role": "修改角色或地区",
	"employer.export": "导出用人单位名单", "worker.export": "导出职工名单", "user.export": "导出用户名单", "case.export": "导出案件待办",
	"finding.accept": "确认疑点违规", "finding.reject": "排除疑点", "clearing.close": "月度清算",
	"encounter.export": "导出就诊登记", "settlement.export": "导出结算记录", "finding.export": "导出疑点复核",
	"reconciliation.export": "导出对账结果", "statement.export": "导出清算名单",
	"import.run": "批量导入", "param.add": "新增参数版本", "demo.load": "载入演示数据",
	// 工伤一件事 (casebundle's actions, prefixed).
	"case.open": "受理工伤一件事申请", "case.upload": "上传案件材料", "case.overdue": "标记办理超期", "case.act": "办理案件",
	"case.correction_notice": "一次性告知补正", "case.corrected": "收到补正材料", "case.accept": "受理工伤认定",
	"case.refuse": "不予受理", "case.investigate": "调查核实", "case.suspend": "中止认定", "case.resume": "恢复计算时限",
	"case.decide": "作出认定决定", "case.deliver": "送达", "case.appeal": "登记复议或诉讼", "case.appeal_result": "登记复议或诉讼结果",
	"case.receive": "接收鉴定申请", "case.draw_panel": "抽取鉴定专家组", "case.schedule": "安排鉴定", "case.reschedule": "鉴定改期",
	"case.extend": "延长鉴定期限", "case.conclude": "作出鉴定结论", "case.terminate": "终止鉴定", "case.abandon": "视为放弃申请",
	"case.precheck": "待遇预审", "case.compute": "核算待遇", "case.approve": "复核通过待遇核定", "case.send_back": "退回待遇核定",
	"case.confirm": "作出确认结论", "case.use_simple": "适用简易程序", "case.fallback": "转为普通程序",
	"case.add_service": "增加办理事项", "case.letter": "出具文书", "expert.create": "新增鉴定专家", "case.claim": "认领或释放办理事项",
	"portal.code": "生成网上办理激活码", "portal.activate": "激活网上办理账号", "portal.login": "网上办理登录",
	"portal.login_failed": "网上办理登录失败", "portal.locked": "网上办理账号锁定", "portal.logout": "网上办理退出",
	"portal.password": "修改网上办理密码",
	// Direct settlement: the register, the catalogues, filings.
	"institution.create": "登记协议机构", "institution.update": "修改协议机构", "institution.status": "变更协议机构状态",
	"institution.token_issue": "发放接口凭证", "institution.token_rotate": "更换接口凭证", "institution.export": "导出协议机构名单",
	"catalogue.import": "导入工伤保险目录", "catalogue.export": "导出工伤保险目录",
	"filing.create": "办理异地就医备案", "filing.cancel": "撤销异地就医备案", "filing.load": "载入异地就医备案", "filing.export": "导出异地就医备案名单",
}
