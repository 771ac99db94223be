package catalogue

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
)

//go:embed data/sample.csv data/sample_bundles.csv
var sampleFS embed.FS

// Sample is the demo's catalogue: the national joint drug catalogue
// (region 000000), Shandong's provincial lists of treatment items,
// materials, bed standards, rehab items and devices (370000) with a
// mid-year price change on 2026-07-01, and a smaller Jiangsu set (320000)
// for the out-of-province institution; with Shandong's bundling pairs. The
// rows are invented in the national code shapes at realistic prices. The
// data are sheets in the import format (EntryHeader, BundleHeader), read
// by ParseEntries and ParseBundles; a problem in them is a programming
// error, checked by the tests.
func Sample() ([]Entry, []Bundle) {
	es, ps := ParseEntries(sampleSheet("data/sample.csv"))
	if len(ps) > 0 {
		panic(fmt.Sprintf("catalogue: sample.csv: %v", ps[0]))
	}
	bs, ps := ParseBundles(sampleSheet("data/sample_bundles.csv"))
	if len(ps) > 0 {
		panic(fmt.Sprintf("catalogue: sample_bundles.csv: %v", ps[0]))
	}
	return es, bs
}

func sampleSheet(name string) [][]string {
	b, err := sampleFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	r := csv.NewReader(strings.NewReader(string(b)))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("catalogue: %s: %v", name, err))
	}
	return rows
}
