package access

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The production argon2id parameters stay OWASP's, and only test code
// lowers them (TestLowCostHashVerifies restores it at once).
func TestHashCostStaysProduction(t *testing.T) {
	if lowHashCost.Load() {
		t.Fatal("the hash cost was lowered inside the access tests")
	}
	h := HashPassword("correct-horse-1")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("production hash parameters changed: %s", h)
	}
	if !CheckPassword(h, "correct-horse-1") {
		t.Fatal("production hash does not verify")
	}

	// Only test files and the test-support packages call the setter, and
	// no program imports those packages.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if strings.Contains(string(b), "LowerHashCostForTests()") && !strings.HasPrefix(rel, "internal/webtest/") &&
			!strings.HasPrefix(rel, "internal/storetest/") && rel != "internal/access/hashcost.go" {
			t.Errorf("%s lowers the password hash cost outside tests", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "list", "-deps", "gongshang/cmd/gongshang").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "gongshang/internal/webtest" || dep == "gongshang/internal/storetest" {
			t.Errorf("the program depends on the test-support package %s", dep)
		}
	}
}

func TestLowCostHashVerifies(t *testing.T) {
	// Hash with the low cost directly, without lowering it for the package.
	lowHashCost.Store(true)
	h := HashPassword("pw-123456")
	lowHashCost.Store(false)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || !CheckPassword(h, "pw-123456") || CheckPassword(h, "other") {
		t.Fatalf("low-cost hash: %s", h)
	}
}
