package registry

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainPackagesDoNoIO keeps the domain packages pure: they may not
// reach a database, the network or the file system, directly or through
// another package. (After Tailscale's tstest/deptest.)
func TestDomainPackagesDoNoIO(t *testing.T) {
	domain := []string{"registry", "access", "audit", "pii", "errs", "param", "benefit", "deadline", "expertpool", "casebundle", "pdf", "letters", "catalogue", "settlement", "his", "payroll", "bankfile", "supervision", "prevention"}
	forbidden := []string{"database/sql", "net/http", "os/exec", "gongshang/internal/store", "gongshang/internal/web",
		"github.com/riverqueue/river", "gongshang/internal/jobs", "gongshang/internal/params"}
	for _, d := range domain {
		out, err := exec.Command("go", "list", "-deps", "gongshang/internal/"+d).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", d, err)
		}
		deps := strings.Fields(string(out))
		for _, dep := range deps {
			for _, f := range forbidden {
				if dep == f {
					t.Errorf("domain package %s depends on %s", d, f)
				}
			}
		}
	}
}
