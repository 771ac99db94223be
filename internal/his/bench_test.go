package his

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// A full 2301 of 1,000 lines: the heaviest input the server decodes.
func BenchmarkDecodeFee1000(b *testing.B) {
	lines := make([]string, MaxFeeLines)
	for i := range lines {
		lines[i] = `{"feedetl_sn":"` + strconv.Itoa(i+1) + `","mdtrt_id":"MD1","psn_no":"P1","med_type":"42","fee_ocur_time":"2026-11-28 10:00:00","med_list_codg":"X","medins_list_codg":"HX","det_item_fee_sumamt":"25.00","cnt":2,"pric":12.5,"bilg_dept_codg":"A03","bilg_dr_codg":"D01"}`
	}
	raw := json.RawMessage(`{"feedetail":[` + strings.Join(lines, ",") + `]}`)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(InfnoFeeUpload, raw); err != nil {
			b.Fatal(err)
		}
	}
}
