package expertpool

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/errs"
)

// Reason says why an expert of a needed group was left out of a draw.
type Reason string

// Reasons, checked in this order.
const (
	ReasonInactive       Reason = "inactive"        // 已停用: status is not active
	ReasonOutOfTerm      Reason = "out_of_term"     // 不在聘期: the term does not cover the draw date
	ReasonWorkerHospital Reason = "worker_hospital" // 本人就诊医院: works where the worker was treated
	ReasonDeclared       Reason = "declared"        // 申报回避: a declared conflict, or recused for this case
)

var reasonNames = map[Reason]string{
	ReasonInactive:       "已停用",
	ReasonOutOfTerm:      "不在聘期",
	ReasonWorkerHospital: "本人就诊医院",
	ReasonDeclared:       "申报回避",
}

// Name is the Chinese name of the reason.
func (r Reason) Name() string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return string(r)
}

// DrawRequest asks for one panel.
type DrawRequest struct {
	CaseNumber string    `json:"case_number"`
	Size       int       `json:"size"`   // 3 or 5 (令55号 Art. 11)
	Groups     []Group   `json:"groups"` // needed clinical 门类: at least one expert from each
	Device     bool      `json:"device"` // 辅助器具配置确认: ≥ 1 device expert and ≥ 2 clinicians of Groups
	On         time.Time `json:"on"`     // the draw date: experts must be active and in term on it
	Seed       string    `json:"seed"`   // Seed(CaseNumber, sequence, nonce)

	// Recusal.
	WorkerHospitals []string `json:"worker_hospitals,omitempty"` // where the worker was treated (names or codes)
	EmployerID      int64    `json:"employer_id,omitempty"`      // the worker's employer, for declared conflicts
	Excluded        []int64  `json:"excluded,omitempty"`         // experts recused for this case
}

// Exclusion is an expert of a needed group left out, with every reason
// that applied.
type Exclusion struct {
	ExpertID int64    `json:"expert_id"`
	Name     string   `json:"name"`
	Group    Group    `json:"group"`
	Reasons  []Reason `json:"reasons"`
}

// Record is the outcome of one draw, kept with the case so that it can be
// shown and replayed.
type Record struct {
	Algorithm  string      `json:"algorithm"`
	Request    DrawRequest `json:"request"`
	PoolDigest string      `json:"pool_digest"` // PoolDigest of the pool drawn from
	Eligible   []int64     `json:"eligible"`    // experts considered, by ascending ID
	Excluded   []Exclusion `json:"excluded"`    // experts of needed groups left out, by ascending ID
	Chosen     []Expert    `json:"chosen"`      // the panel, in the order drawn
}

// ChosenIDs returns the IDs of the panel in the order drawn.
func (r Record) ChosenIDs() []int64 {
	ids := make([]int64, len(r.Chosen))
	for i, e := range r.Chosen {
		ids[i] = e.ID
	}
	return ids
}

// Draw draws a panel from pool. The procedure (Algorithm) is, exactly:
//
//  1. Sort the pool by ascending ID (so the order given does not matter).
//  2. The needed groups are req.Groups, plus GroupDevice when req.Device.
//     An expert of another group takes no part. An expert of a needed
//     group is excluded, with every reason that applies, when: the status
//     is not active (已停用); the term does not cover req.On (不在聘期);
//     the hospital (name or code) is one of req.WorkerHospitals
//     (本人就诊医院); or a declared conflict names req.EmployerID or one
//     of req.WorkerHospitals, or the ID is in req.Excluded (申报回避). The
//     rest, by ascending ID, are the eligible experts.
//  3. Seats are filled one at a time. Each seat takes the candidates (the
//     eligible experts of the seat's kind not yet chosen, by ascending
//     ID) and chooses candidates[k] with k = below(len(candidates)) from
//     the seed's stream (see stream). The seats are, in this order:
//     one per needed group, groups in the order of Groups(); then, for
//     a device confirmation, clinicians of the needed groups until two
//     clinicians sit; then experts of any needed group until req.Size.
//
// Too few eligible experts for any seat is an error naming the group and
// the numbers needed and available. The experts in pool are expected to
// have passed Validate.
func Draw(pool []Expert, req DrawRequest) (Record, error) {
	if err := req.validate(); err != nil {
		return Record{}, err
	}
	sorted, err := sortPool(pool)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Algorithm: Algorithm, Request: req, PoolDigest: PoolDigest(sorted), Eligible: []int64{}, Excluded: []Exclusion{}}
	var eligible []Expert
	for _, e := range sorted {
		if !req.needs(e.Group) {
			continue
		}
		if rs := req.reasons(e); len(rs) > 0 {
			rec.Excluded = append(rec.Excluded, Exclusion{ExpertID: e.ID, Name: e.Name, Group: e.Group, Reasons: rs})
			continue
		}
		eligible = append(eligible, e)
		rec.Eligible = append(rec.Eligible, e.ID)
	}
	if err := req.enough(eligible, rec.Excluded); err != nil {
		return Record{}, err
	}
	rec.Chosen = req.fill(eligible)
	return rec, nil
}

// validate checks the request.
func (req DrawRequest) validate() error {
	var fs errs.Fields
	if strings.TrimSpace(req.CaseNumber) == "" {
		fs.Add("case_number", "required", "请填写案件编号")
	}
	if req.Size != 3 && req.Size != 5 {
		fs.Add("size", "three_or_five", "专家组人数应为3名或5名（令55号第十一条），收到%d", req.Size)
	}
	req.validateGroups(&fs)
	if req.On.IsZero() {
		fs.Add("on", "required", "请填写抽取日期")
	}
	if req.Seed == "" {
		fs.Add("seed", "required", "缺少抽取种子")
	} else {
		checkSeed(&fs, req.Seed, req.CaseNumber)
	}
	return fs.Err()
}

// validateGroups checks the needed groups and that their required seats
// fit in the panel.
func (req DrawRequest) validateGroups(fs *errs.Fields) {
	if len(req.Groups) == 0 {
		fs.Add("groups", "required", "请选择至少一个需要的专家门类")
		return
	}
	for i, g := range req.Groups {
		switch {
		case !g.Clinical():
			fs.Add("groups", "unknown", "专家门类无效（%s），应为GB/T 16180的五个门类之一；辅助器具专家请选择辅助器具配置确认", g)
			return
		case slices.Contains(req.Groups[:i], g):
			fs.Add("groups", "duplicate", "专家门类“%s”重复", g.Name())
			return
		}
	}
	if need := req.required(); (req.Size == 3 || req.Size == 5) && need > req.Size {
		fs.Add("groups", "too_many", "所需门类共需至少%d名专家，超过专家组人数%d名，请改为5人专家组或减少门类", need, req.Size)
	}
}

// required is the number of seats the groups (and the device rule) fix.
func (req DrawRequest) required() int {
	if !req.Device {
		return len(req.Groups)
	}
	return 1 + max(len(req.Groups), 2)
}

// needs reports whether experts of g take part in the draw.
func (req DrawRequest) needs(g Group) bool {
	if g == GroupDevice {
		return req.Device
	}
	return slices.Contains(req.Groups, g)
}

// reasons lists why e may not sit on this panel, in the order of the
// Reason constants.
func (req DrawRequest) reasons(e Expert) []Reason {
	var rs []Reason
	if e.Status != StatusActive {
		rs = append(rs, ReasonInactive)
	}
	if !e.InTerm(req.On) {
		rs = append(rs, ReasonOutOfTerm)
	}
	if slices.ContainsFunc(req.WorkerHospitals, e.WorksAt) {
		rs = append(rs, ReasonWorkerHospital)
	}
	if req.declared(e) {
		rs = append(rs, ReasonDeclared)
	}
	return rs
}

// declared reports a declared conflict or a recusal for this case.
func (req DrawRequest) declared(e Expert) bool {
	if slices.Contains(req.Excluded, e.ID) {
		return true
	}
	if req.EmployerID != 0 && slices.Contains(e.ConflictEmployers, req.EmployerID) {
		return true
	}
	for _, h := range req.WorkerHospitals {
		if h = strings.TrimSpace(h); h != "" && slices.Contains(e.ConflictHospitals, h) {
			return true
		}
	}
	return false
}

// sortPool returns a copy of pool by ascending ID; two experts with one ID
// are an error.
func sortPool(pool []Expert) ([]Expert, error) {
	sorted := slices.Clone(pool)
	slices.SortFunc(sorted, func(a, b Expert) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, errs.E(errs.Conflict, "专家库中编号%d出现两次（%s、%s），无法抽取", sorted[i].ID, sorted[i-1].Name, sorted[i].Name)
		}
	}
	return sorted, nil
}

// PoolDigest is the hex SHA-256 of the pool's draw-relevant fields, one
// line per expert by ascending ID (the pool must be sorted): ID, name,
// group, hospital, hospital code, title, status, term start and end
// (YYYY-MM-DD), conflict employers and conflict hospitals, tab-separated,
// strings Go-quoted. A replay against a changed pool shows here.
func PoolDigest(sorted []Expert) string {
	h := sha256.New()
	for _, e := range sorted {
		fmt.Fprintf(h, "%d\t%q\t%q\t%q\t%q\t%q\t%q\t%s\t%s\t%v\t%q\n", e.ID, e.Name, e.Group, e.Hospital, e.HospitalCode,
			e.Title, e.Status, civil(e.TermStart).Format(time.DateOnly), civil(e.TermEnd).Format(time.DateOnly),
			e.ConflictEmployers, e.ConflictHospitals)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// idList formats IDs for a message: "3、7、9".
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, "、")
}
