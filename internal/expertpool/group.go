// Package expertpool keeps the 劳动能力鉴定 expert pool (专家库) and draws
// the panel (专家组) for one assessment or device confirmation at random,
// reproducibly: the same pool, request and seed always give the same panel,
// and a recorded draw can be replayed years later (see Draw).
//
// Rules: 令55号 Art. 11 (3 or 5 experts drawn at random from the relevant
// specialties), Art. 15 (GB/T 16180, the majority decides), Arts. 24–25
// (senior titles, 3-year terms); the device-confirmation rules (≥ 1 device
// expert and ≥ 2 relevant clinicians). The package is pure: no I/O.
package expertpool

// Group is a specialty group (门类). The first five are GB/T 16180-2014's;
// GroupDevice holds the assistive-device experts (辅助器具专家) that a
// device confirmation needs besides its clinicians.
type Group string

// The groups. The codes are stable: they are stored and they fix the order
// in which a draw fills its required seats.
const (
	GroupNeuro        Group = "neuro"        // 神经内科、神经外科、精神科门
	GroupOrtho        Group = "ortho"        // 骨科、整形外科、烧伤科门
	GroupSense        Group = "sense"        // 眼科、耳鼻喉科、口腔科门
	GroupVisceral     Group = "visceral"     // 普外科、胸外科、泌尿生殖科门
	GroupOccupational Group = "occupational" // 职业病内科门
	GroupDevice       Group = "device"       // 辅助器具专家 (not a GB/T 16180 门类)
)

// groups lists every group in canonical order.
var groups = []Group{GroupNeuro, GroupOrtho, GroupSense, GroupVisceral, GroupOccupational, GroupDevice}

var groupNames = map[Group]string{
	GroupNeuro:        "神经内科、神经外科、精神科门",
	GroupOrtho:        "骨科、整形外科、烧伤科门",
	GroupSense:        "眼科、耳鼻喉科、口腔科门",
	GroupVisceral:     "普外科、胸外科、泌尿生殖科门",
	GroupOccupational: "职业病内科门",
	GroupDevice:       "辅助器具专家",
}

// Groups returns every group in canonical order: the five GB/T 16180
// 门类, then GroupDevice.
func Groups() []Group { return append([]Group(nil), groups...) }

// Valid reports whether g is a known group.
func (g Group) Valid() bool { _, ok := groupNames[g]; return ok }

// Clinical reports whether g is one of GB/T 16180's five 门类.
func (g Group) Clinical() bool { return g.Valid() && g != GroupDevice }

// Name is the Chinese name, as GB/T 16180 spells it; the code itself for
// an unknown group.
func (g Group) Name() string {
	if n, ok := groupNames[g]; ok {
		return n
	}
	return string(g)
}

// rank is g's position in the canonical order.
func (g Group) rank() int {
	for i, x := range groups {
		if x == g {
			return i
		}
	}
	return len(groups)
}
