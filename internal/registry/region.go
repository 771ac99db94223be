package registry

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// Region is an administrative division by its GB/T 2260 code.
type Region struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"` // "" for a province
	Level  string `json:"level"`            // province | city | county
}

// RegionLevel derives the level from a six-digit GB/T 2260 code.
func RegionLevel(code string) string {
	switch {
	case len(code) != 6:
		return ""
	case code[2:] == "0000":
		return "province"
	case code[4:] == "00":
		return "city"
	default:
		return "county"
	}
}

// RegionParent derives the parent code: county → city → province.
func RegionParent(code string) string {
	switch RegionLevel(code) {
	case "county":
		return code[:4] + "00"
	case "city":
		return code[:2] + "0000"
	}
	return ""
}

//go:embed data/*.csv
var dataFS embed.FS

// Regions returns the embedded region list (Shandong, its cities and
// Jining's county-level units), loaded by the store at start-up.
func Regions() ([]Region, error) {
	rows, err := readCSV("data/regions.csv")
	if err != nil {
		return nil, err
	}
	out := make([]Region, 0, len(rows))
	for _, r := range rows {
		out = append(out, Region{Code: r[0], Name: r[1], Parent: RegionParent(r[0]), Level: RegionLevel(r[0])})
	}
	return out, nil
}

func readCSV(name string) ([][]string, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("registry: %s: %w", name, err)
	}
	return rows[1:], nil // skip header
}

// RegionNames maps every embedded region code to its name (a fresh map;
// the embedded data is checked by the registry tests).
func RegionNames() map[string]string {
	rs, err := Regions()
	if err != nil {
		panic(err)
	}
	m := make(map[string]string, len(rs))
	for _, r := range rs {
		m[r.Code] = r.Name
	}
	return m
}
