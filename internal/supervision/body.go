package supervision

import "strings"

// Regions is the closed list of body regions (settlement-extract.md §1).
var Regions = []string{"head", "neck", "thorax", "abdomen", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm",
	"wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot", "burn_multi", "spine", "eye"}

// adjacent lists the regions next to each region: an examination or
// therapy of a neighbouring region is clinically plausible.
var adjacent = map[string][]string{
	"head":               {"neck", "eye"},
	"eye":                {"head"},
	"neck":               {"head", "spine", "thorax", "shoulder_upper_arm"},
	"thorax":             {"neck", "abdomen", "spine", "shoulder_upper_arm"},
	"abdomen":            {"thorax", "lumbar_pelvis", "spine"},
	"lumbar_pelvis":      {"abdomen", "spine", "hip_thigh"},
	"spine":              {"neck", "thorax", "abdomen", "lumbar_pelvis"},
	"shoulder_upper_arm": {"neck", "thorax", "elbow_forearm"},
	"elbow_forearm":      {"shoulder_upper_arm", "wrist_hand"},
	"wrist_hand":         {"elbow_forearm"},
	"hip_thigh":          {"lumbar_pelvis", "knee_lower_leg"},
	"knee_lower_leg":     {"hip_thigh", "ankle_foot"},
	"ankle_foot":         {"knee_lower_leg"},
}

// near reports whether region r is one of the injured regions or next to
// one. Burns over several regions make every region plausible.
func near(injured []string, r string) bool {
	for _, in := range injured {
		if in == r || in == "burn_multi" || contains(adjacent[in], r) {
			return true
		}
	}
	return false
}

// DiagRegion maps an ICD-10 injury code to its body region
// (fund-audit.md §4.1: chapter XIX blocks); "" for codes outside S and
// T20–T32 (diseases, complications, aftercare).
func DiagRegion(code string) string {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) < 3 {
		return ""
	}
	n := int(c[1]-'0')*10 + int(c[2]-'0')
	if c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9' {
		return ""
	}
	switch c[0] {
	case 'S':
		switch {
		case n == 5:
			return "eye"
		case n <= 9:
			return "head"
		case n == 12 || n == 13 || n == 14 || n == 22 || n == 23 || n == 24 || n == 32 || n == 33 || n == 34:
			return "spine"
		case n <= 19:
			return "neck"
		case n <= 29:
			return "thorax"
		case n <= 31 || n == 36 || n == 37:
			return "abdomen"
		case n <= 39:
			return "lumbar_pelvis"
		case n <= 49:
			return "shoulder_upper_arm"
		case n <= 59:
			return "elbow_forearm"
		case n <= 69:
			return "wrist_hand"
		case n <= 79:
			return "hip_thigh"
		case n <= 89:
			return "knee_lower_leg"
		default:
			return "ankle_foot"
		}
	case 'T':
		switch n {
		case 20:
			return "head"
		case 21:
			return "thorax" // burns of the trunk
		case 22:
			return "shoulder_upper_arm"
		case 23:
			return "wrist_hand"
		case 24:
			return "hip_thigh" // hip and lower limb
		case 25:
			return "ankle_foot"
		case 26:
			return "eye"
		case 27, 28:
			return "thorax" // burns of internal organs
		case 29, 30, 31, 32:
			return "burn_multi"
		}
	}
	return ""
}

// fracture reports whether an ICD-10 code is a fracture (S?2).
func fracture(code string) bool {
	c := strings.ToUpper(code)
	return len(c) >= 3 && c[0] == 'S' && c[2] == '2'
}

// severe reports whether a diagnosis marks a severe injury that
// legitimately needs repeated or combined imaging: intracranial injury,
// spinal cord injury, large burns.
func severe(code string) bool {
	c := strings.ToUpper(code)
	switch {
	case strings.HasPrefix(c, "S06"), strings.HasPrefix(c, "S14"), strings.HasPrefix(c, "S24"), strings.HasPrefix(c, "S34"):
		return true
	case strings.HasPrefix(c, "T02"), strings.HasPrefix(c, "T06"), strings.HasPrefix(c, "T07"):
		return true // fractures or injuries of several body regions
	case strings.HasPrefix(c, "T29"), strings.HasPrefix(c, "T30"):
		return len(c) >= 5 && c[4] >= '2' // burns of several regions, second degree or worse
	case strings.HasPrefix(c, "T31") || strings.HasPrefix(c, "T32"):
		return len(c) >= 5 && c[4] >= '3' // 30 % of body surface or more
	}
	return false
}

// aftercare reports whether a main diagnosis is aftercare, a complication
// of the treatment or a sequela: Z codes (Z47.0 removal of internal
// fixation), T79–T98 complications and late effects, and the common
// complications of immobilisation (DVT I80–I82, infections).
func aftercare(code string) bool {
	c := strings.ToUpper(code)
	if c == "" {
		return true
	}
	switch c[0] {
	case 'Z':
		return true
	case 'T':
		return DiagRegion(c) == ""
	case 'I':
		return strings.HasPrefix(c, "I80") || strings.HasPrefix(c, "I82") || strings.HasPrefix(c, "I26")
	case 'L':
		return strings.HasPrefix(c, "L03") || strings.HasPrefix(c, "L08") || strings.HasPrefix(c, "L89")
	case 'M':
		return strings.HasPrefix(c, "M86") || strings.HasPrefix(c, "M84") || strings.HasPrefix(c, "M96")
	}
	return false
}
