package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSurfacesStandApart keeps the layering: the shared plumbing knows no
// surface, and no surface reaches into another.
func TestSurfacesStandApart(t *testing.T) {
	t.Parallel()
	forbidden := map[string][]string{
		"web":        {"backoffice", "api"},
		"backoffice": {"api"},
		"api":        {"backoffice"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "gongshang/internal/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if dep == "gongshang/internal/"+b {
					t.Errorf("%s depends on %s", pkg, b)
				}
			}
		}
	}
}
