package settlement

import (
	"strings"
	"testing"

	"gongshang/internal/catalogue"
)

func TestPriceAgainstCeiling(t *testing.T) {
	rows := []catalogue.Entry{
		row("ITEM01", "清创缝合术", catalogue.Item, 1000),
		{Region: "370800", Code: "ITEM99", Name: "美容缝合", Category: catalogue.Item, Prices: [3]int64{0, 0, 2000}, Covered: false, ValidFrom: "2024-01-01"},
	}
	p := pricing(rows, nil)
	tests := []struct {
		name                       string
		line                       *Line
		inScope, overLimit, ownPay int64
		pct                        int
		level                      string
	}{
		{"within ceiling", fee("1", "ITEM01", "2024-03-02 10:00", 2, 900), 1800, 0, 0, 0, "01"},
		{"at ceiling", fee("1", "ITEM01", "2024-03-02 10:00", 2, 1000), 2000, 0, 0, 0, "01"},
		{"above ceiling", fee("1", "ITEM01", "2024-03-02 10:00", 2, 1200), 2000, 400, 0, 0, "01"},
		{"fractional quantity above ceiling", &Line{SN: "1", Code: "ITEM01", FeeTime: at("2024-03-02 10:00"), Qty: 15000, Price: 1200, Amount: 1800}, 1500, 300, 0, 0, "01"},
		{"not in catalogue", fee("1", "NOPE", "2024-03-02 10:00", 1, 700), 0, 0, 700, 100, "03"},
		{"not covered", fee("1", "ITEM99", "2024-03-02 10:00", 1, 1500), 0, 0, 1500, 100, "03"},
		{"before the row is valid", fee("1", "ITEM01", "2023-12-31 23:00", 1, 900), 0, 0, 900, 100, "03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.line
			l.Priced = Priced{InScope: 12345, Memo: "旧结果"} // Price must start afresh
			p.Price(l)
			if l.InScope != tt.inScope || l.OverLimit != tt.overLimit || l.OwnPay != tt.ownPay {
				t.Errorf("inscp/overlmt/ownpay = %d/%d/%d, want %d/%d/%d", l.InScope, l.OverLimit, l.OwnPay, tt.inScope, tt.overLimit, tt.ownPay)
			}
			if l.SelfpayPct != tt.pct || l.ItemLevel != tt.level {
				t.Errorf("selfpay_prop/chrgitm_lv = %d/%s, want %d/%s", l.SelfpayPct, l.ItemLevel, tt.pct, tt.level)
			}
			if l.InScope+l.OverLimit+l.OwnPay != l.Amount {
				t.Errorf("parts %d+%d+%d do not add up to the amount %d", l.InScope, l.OverLimit, l.OwnPay, l.Amount)
			}
			if tt.overLimit > 0 && !strings.Contains(l.Memo, "限价10.00元") {
				t.Errorf("memo %q does not name the ceiling", l.Memo)
			}
			if tt.ownPay > 0 && !strings.Contains(l.Memo, "基金不予支付") {
				t.Errorf("memo %q does not say the fund refuses", l.Memo)
			}
		})
	}
}

func TestPriceCeilingByLevel(t *testing.T) {
	full := catalogue.Entry{Region: "370800", Code: "I", Name: "换药", Category: catalogue.Item, Prices: [3]int64{500, 800, 1000}, Covered: true, ValidFrom: "2024-01-01"}
	gap := full
	gap.Prices = [3]int64{500, 0, 1000}
	top := full
	top.Prices = [3]int64{0, 0, 1000}
	tests := []struct {
		name    string
		e       catalogue.Entry
		level   int
		ceiling int64
	}{
		{"level 1", full, 1, 500},
		{"level 2", full, 2, 800},
		{"level 3", full, 3, 1000},
		{"level 0 is priced as 三级", full, 0, 1000},
		{"missing level 2 takes level 1", gap, 2, 500},
		{"missing levels 1 and 2 take level 3", top, 1, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pricing([]catalogue.Entry{tt.e}, nil)
			p.Level = tt.level
			l := fee("1", "I", "2024-03-02 10:00", 1, 900)
			p.Price(l)
			if l.Ceiling != tt.ceiling {
				t.Fatalf("ceiling = %d, want %d", l.Ceiling, tt.ceiling)
			}
			if want := max(900-tt.ceiling, 0); l.OverLimit != want {
				t.Errorf("overlmt = %d, want %d", l.OverLimit, want)
			}
		})
	}
}

func TestPriceMidYearChange(t *testing.T) {
	old := row("I", "换药", catalogue.Item, 1000)
	old.ValidTo = "2024-06-30"
	cur := row("I", "换药", catalogue.Item, 800)
	cur.ValidFrom = "2024-07-01"
	p := pricing([]catalogue.Entry{cur, old}, nil)
	tests := []struct {
		name    string
		line    *Line
		ceiling int64
	}{
		{"last day of the old price", fee("1", "I", "2024-06-30 23:59", 1, 1000), 1000},
		{"first day of the new price", fee("1", "I", "2024-07-01 00:30", 1, 1000), 800},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The fee time is kept in UTC: the day is still read in CST.
			tt.line.FeeTime = tt.line.FeeTime.UTC()
			p.Price(tt.line)
			if tt.line.Ceiling != tt.ceiling {
				t.Errorf("ceiling = %d, want %d", tt.line.Ceiling, tt.ceiling)
			}
			if want := 1000 - tt.ceiling; tt.line.OverLimit != want {
				t.Errorf("overlmt = %d, want %d", tt.line.OverLimit, want)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	tests := []struct {
		name           string
		treat, insured string
		cat            catalogue.Category
		want           []string
	}{
		{"drug falls back to the national list", "370800", "370800", catalogue.Drug, []string{"370800", "370000", "000000"}},
		{"item follows the treating region", "370800", "110100", catalogue.Item, []string{"370800", "370000"}},
		{"rehab follows the treating province", "370800", "110100", catalogue.Rehab, []string{"370000"}},
		{"device across provinces follows the insured province", "370800", "110100", catalogue.Device, []string{"110100", "110000"}},
		{"device in the same province follows the province", "370800", "370100", catalogue.Device, []string{"370000"}},
		{"device without an insured region", "370800", "", catalogue.Device, []string{"370000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Pricing{TreatRegion: tt.treat, InsuredRegion: tt.insured}
			if got := p.Regions(tt.cat); !sameStrings(got, tt.want) {
				t.Errorf("Regions(%s) = %v, want %v", tt.cat, got, tt.want)
			}
		})
	}
}

func TestPricePolicyMix(t *testing.T) {
	in := func(region, code string, cat catalogue.Category, ceiling int64) catalogue.Entry {
		e := row(code, code, cat, ceiling)
		e.Region = region
		return e
	}
	rows := []catalogue.Entry{
		in("000000", "DRUG", catalogue.Drug, 1000),
		in("000000", "CITYDRUG", catalogue.Drug, 1000),
		in("370800", "CITYDRUG", catalogue.Drug, 900),
		in("000000", "NATITEM", catalogue.Item, 1000),
		in("370000", "REHAB", catalogue.Rehab, 500),
		in("370800", "REHAB", catalogue.Rehab, 900),
		in("370000", "DEV", catalogue.Device, 3000),
		in("110000", "DEV", catalogue.Device, 5000),
	}
	book := catalogue.NewBook(rows, nil)
	tests := []struct {
		name, code, insured string
		ceiling             int64
		found               bool
	}{
		{"national drug", "DRUG", "370800", 1000, true},
		{"city drug list before the national", "CITYDRUG", "370800", 900, true},
		{"items have no national fallback", "NATITEM", "370800", 0, false},
		{"rehab priced by the province, not the city", "REHAB", "110100", 500, true},
		{"device across provinces", "DEV", "110100", 5000, true},
		{"device in the same province", "DEV", "370100", 3000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Pricing{Book: book, Level: 3, TreatRegion: "370800", InsuredRegion: tt.insured}
			l := fee("1", tt.code, "2024-03-02 10:00", 1, 6000)
			p.Price(l)
			if found := l.OwnPay == 0; found != tt.found {
				t.Fatalf("found = %v, want %v (ownpay %d)", found, tt.found, l.OwnPay)
			}
			if l.Ceiling != tt.ceiling {
				t.Errorf("ceiling = %d, want %d", l.Ceiling, tt.ceiling)
			}
		})
	}
}

func TestPriceDeviceLimit(t *testing.T) {
	tests := []struct {
		name          string
		prices        [3]int64
		limit         int64
		ceiling       int64
		inScope, over int64
	}{
		{"limit below the level ceiling caps it", [3]int64{0, 0, 5000}, 4000, 4000, 4000, 2000},
		{"limit without a ceiling becomes the ceiling", [3]int64{}, 4000, 4000, 4000, 2000},
		{"limit above the ceiling leaves it", [3]int64{0, 0, 5000}, 6000, 5000, 5000, 1000},
		{"no limit", [3]int64{0, 0, 5000}, 0, 5000, 5000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := catalogue.Entry{Region: "370000", Code: "DEV", Name: "假肢", Category: catalogue.Device, Prices: tt.prices,
				Covered: true, ValidFrom: "2024-01-01", DeviceLimit: tt.limit}
			p := pricing([]catalogue.Entry{e}, nil)
			l := fee("1", "DEV", "2024-03-02 10:00", 1, 6000)
			p.Price(l)
			if l.Ceiling != tt.ceiling || l.InScope != tt.inScope || l.OverLimit != tt.over {
				t.Errorf("ceiling/inscp/overlmt = %d/%d/%d, want %d/%d/%d", l.Ceiling, l.InScope, l.OverLimit, tt.ceiling, tt.inScope, tt.over)
			}
		})
	}
}

func TestYuan(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 12345: "123.45", -5: "-0.05", -100: "-1.00"} {
		if got := Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}
