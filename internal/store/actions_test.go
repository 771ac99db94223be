package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unicode"

	"gongshang/internal/audit"
)

// Every action the store writes has a Chinese name for the audit page.
func TestEveryStoreActionNamed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("store sources: %v", err)
	}
	re := regexp.MustCompile(`"((?:employer|worker|employment|wage|user|import|param|demo|case|job|expert|portal)\.[a-z_]+|(?:supervision|prevention)\.[a-z_]+(?:\.[a-z_]+)?|[a-z_]+\.export)"`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen++
			name := audit.ActionName(m[1])
			if !containsHan(name) {
				t.Errorf("%s: action %s has no Chinese name (shown as %q)", f, m[1], name)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d action codes: the pattern no longer matches the store's sources", seen)
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
