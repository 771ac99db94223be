package web

import (
	"gongshang/internal/access"
	"gongshang/internal/registry"
)

// RegionNames maps every embedded region code to its name.
var RegionNames = registry.RegionNames()

// RegionName is the name of a region code.
func RegionName(code string) string { return RegionNames[code] }

// Disclose masks personal data for roles that may not see it in full.
func Disclose(p access.Principal, w registry.Worker) registry.Worker {
	if p.Can(access.PermPersonalData) {
		return w
	}
	return w.Masked()
}
