package web

import (
	"gongshang/internal/access"
	"gongshang/internal/registry"
)

// RegionNames maps every embedded region code to its name.
var RegionNames = func() map[string]string {
	rs, err := registry.Regions()
	if err != nil {
		panic(err) // embedded data, checked by the registry tests
	}
	m := make(map[string]string, len(rs))
	for _, r := range rs {
		m[r.Code] = r.Name
	}
	return m
}()

// RegionName is the name of a region code.
func RegionName(code string) string { return RegionNames[code] }

// Disclose masks personal data for roles that may not see it in full.
func Disclose(p access.Principal, w registry.Worker) registry.Worker {
	if p.Can(access.PermPersonalData) {
		return w
	}
	return w.Masked()
}
