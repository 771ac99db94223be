package supervision

// Config is what a scan runs under: the rule base with an administrator's
// settings applied (switched-off rules, tuned parameters).
type Config struct {
	Rules []Rule
}

// Progress is told how far a scan is (done of total steps).
type Progress func(done, total int)

// Scan screens the extract with every enabled rule and returns the
// findings, ordered by institution, encounter and rule.
func Scan(x *Extract, cfg Config, progress Progress) []Finding {
	return nil
}

// RankInstitutions orders the extract's institutions for the field audit,
// most urgent first, every institution of the extract included.
func RankInstitutions(x *Extract, fs []Finding) []Rank {
	return nil
}
