package catalogue

import "testing"

func TestSample(t *testing.T) {
	es, bs := Sample() // panics on a problem in the data
	if len(es) < 350 || len(es) > 450 {
		t.Errorf("%d rows, want 350–450", len(es))
	}
	perCat := map[Category]int{}
	type key struct{ region, code, from string }
	seen := map[key]bool{}
	regions := map[string]int{}
	changed := 0
	for _, e := range es {
		perCat[e.Category]++
		regions[e.Region]++
		if !ValidCode(e.Category, e.Code) {
			t.Errorf("%s %s: invalid code", e.Code, e.Name)
		}
		k := key{e.Region, e.Code, e.ValidFrom}
		if seen[k] {
			t.Errorf("%v twice", k)
		}
		seen[k] = true
		switch {
		case e.ValidFrom == "2026-07-01":
			changed++
		case e.ValidFrom != "2025-01-01":
			t.Errorf("%s: valid from %s", e.Code, e.ValidFrom)
		}
		if e.ValidTo != "" && e.ValidTo != "2026-06-30" {
			t.Errorf("%s: valid to %s", e.Code, e.ValidTo)
		}
		if e.Category != Drug && e.Category != Material && e.Category != Device {
			if e.Prices[0] > 0 && e.Prices[1] > 0 && e.Prices[0] > e.Prices[1] || e.Prices[1] > e.Prices[2] && e.Prices[2] > 0 {
				t.Errorf("%s %s: prices %v not rising with the level", e.Code, e.Name, e.Prices)
			}
		}
		if (e.Category == Bed) && e.PerDay != 1 && e.Unit != "小时" {
			t.Errorf("%s %s: bed standards are once a day", e.Code, e.Name)
		}
	}
	for _, c := range Categories {
		min := 20
		if c == Device {
			min = 10
		}
		if perCat[c] < min {
			t.Errorf("%s: %d rows, want ≥ %d", c, perCat[c], min)
		}
	}
	if changed < 20 || changed > 30 {
		t.Errorf("%d price changes, want 20–30", changed)
	}
	if regions["000000"] == 0 || regions["370000"] == 0 || regions["320000"] < 30 || regions["320000"] > 60 {
		t.Errorf("rows by region %v", regions)
	}
	if len(bs) < 40 {
		t.Errorf("%d bundles, want ≥ 40", len(bs))
	}

	book := NewBook(es, bs)
	const ct = "002103000010000" // CT 平扫, cheaper from 2026-07-01
	before, ok1 := book.Find(ct, "2026-06-30", "370000")
	after, ok2 := book.Find(ct, "2026-07-01", "370000")
	if !ok1 || !ok2 || before.Ceiling(3) != 18000 || after.Ceiling(3) != 15000 || before.ValidTo != "2026-06-30" {
		t.Errorf("CT 平扫 either side of 2026-07-01: %+v %+v", before, after)
	}
	js, ok := book.Find(ct, "2026-07-01", "320000", "370000")
	if !ok || js.Region != "320000" || js.Ceiling(3) == after.Ceiling(3) {
		t.Errorf("Jiangsu's own price first: %+v", js)
	}
	if !book.Known(ct) || len(book.BundlesOf(ct, "2026-07-01")) < 2 {
		t.Errorf("CT 平扫 bundles: %v", book.BundlesOf(ct, "2026-07-01"))
	}
	// Every bundle names codes of the sample.
	for _, b := range bs {
		if !book.Known(b.Code1) || !book.Known(b.Code2) {
			t.Errorf("bundle %s–%s names an unknown code", b.Code1, b.Code2)
		}
	}
	for _, e := range es {
		if e.Category == Device && (e.DeviceLimit == 0 || e.LifeMonths == 0) {
			t.Errorf("%s: device without limit or life", e.Code)
		}
	}
}
