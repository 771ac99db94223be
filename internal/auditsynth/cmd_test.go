package auditsynth

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// TestGenerateToDir writes a city-year where AUDITSYNTH_OUT points; it is
// skipped unless that variable is set (AUDITSYNTH_SCALE, AUDITSYNTH_SEED,
// AUDITSYNTH_YEAR). Check the folder with AUDITSYNTH_CHECK=DIR go test -run
// TestCleanEncountersFollowTheRules.
func TestGenerateToDir(t *testing.T) {
	dir := os.Getenv("AUDITSYNTH_OUT")
	if dir == "" {
		t.Skip("AUDITSYNTH_OUT not set")
	}
	scale, seed := 1.0, uint64(1)
	if s := os.Getenv("AUDITSYNTH_SCALE"); s != "" {
		scale, _ = strconv.ParseFloat(s, 64)
	}
	if s := os.Getenv("AUDITSYNTH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	start := time.Now()
	year := 2025
	if s := os.Getenv("AUDITSYNTH_YEAR"); s != "" {
		year, _ = strconv.Atoi(s)
	}
	sum, err := Generate(dir, Options{Seed: seed, Scale: scale, Year: year})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated in %s", time.Since(start).Round(time.Millisecond))
	t.Log("\n" + sum.Text())
}
