package supervision

// Param is one typed, bounded parameter of a rule.
type Param struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	Default float64 `json:"default"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Unit    string  `json:"unit,omitempty"`
}

// Rule is one rule of the rule base as data (fund-audit.md §3.2).
type Rule struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Name        string `json:"name"`
	Category    string `json:"category"`
	Severity    string `json:"severity"`
	FindingType string `json:"finding_type"` // the 12-type enum of §2.2
	Basis       string `json:"basis"`
	Window      string `json:"window"`
	Logic       string `json:"logic"`
	Disposal    string `json:"disposal"`
	// Stages are where the rule runs: StageRealtime (the hospital
	// interface applies it to every upload, settlement package) and/or
	// StageScreening (the after-the-fact scan of this package).
	Stages []string `json:"stages"`
	// Behaviour is the short behaviour type the hospital interface returns
	// in vola_bhvr_type.
	Behaviour string             `json:"behaviour,omitempty"`
	Params    []Param            `json:"params,omitempty"`
	Enabled   bool               `json:"enabled"`
	Values    map[string]float64 `json:"values,omitempty"` // tuned parameter values
}

// The stages of fund-audit.md §3.2 (监管环节) the rule base uses.
const (
	StageRealtime  = "事中" // applied to each upload and settlement in real time
	StageScreening = "事后" // applied by the screening scan
)

// Runs reports whether the rule runs at a stage.
func (r Rule) Runs(stage string) bool {
	for _, s := range r.Stages {
		if s == stage {
			return true
		}
	}
	return false
}
