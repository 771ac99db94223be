package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

func TestSupervisionBenchNeedsGenerator(t *testing.T) {
	old := benchExtract
	benchExtract = nil
	defer func() { benchExtract = old }()
	var out, log bytes.Buffer
	err := Run(t.Context(), []string{"supervision", "--scale", "0.01"}, &out, &log)
	if err == nil || !strings.Contains(err.Error(), "benchExtract is nil") {
		t.Fatalf("got %v, want the missing generator named", err)
	}
}

// The bench runs end to end on the conformance suite's small extract.
func TestSupervisionBench(t *testing.T) {
	old := benchExtract
	benchExtract = func(dir string, _ float64) error {
		for name, b := range storetest.Extract() {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	defer func() { benchExtract = old }()
	var out, log bytes.Buffer
	if err := Run(t.Context(), []string{"supervision", "--scale", "0.01"}, &out, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, metric := range []string{"import_s", "read_s", "scan_s", "peak_rss_mb", "metric=lines value=11 "} {
		if !strings.Contains(out.String(), metric) {
			t.Errorf("no %s in\n%s", metric, out.String())
		}
	}
}
