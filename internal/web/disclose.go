package web

import (
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/registry"
)

// DiscloseAll masks each worker of a list for roles without personal.full:
// lists carry masked numbers already, and lose the birth date too (the
// year stays), since the masked ID hides exactly the birth date.
func DiscloseAll(p access.Principal, ws []registry.Worker) []registry.Worker {
	if p.Can(access.PermPersonalData) {
		return ws
	}
	out := make([]registry.Worker, len(ws))
	for i, w := range ws {
		out[i] = w.Masked()
	}
	return out
}

// BirthText shows a birth date, or only its year when the date is not
// disclosed (template function "birth").
func BirthText(date string, year int) string {
	if date != "" {
		return date
	}
	if year == 0 {
		return ""
	}
	return strconv.Itoa(year) + "年"
}

// DiscloseEmployer masks the contact phone for roles without personal.full.
func DiscloseEmployer(p access.Principal, e registry.Employer) registry.Employer {
	if p.Can(access.PermPersonalData) {
		return e
	}
	return e.Masked()
}
