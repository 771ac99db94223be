package bankfile

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParsePaymentReadsBack(t *testing.T) {
	h, ps, err := ParsePayment(bytes.NewReader(writeFile(t, sampleHeader(), samplePayments)))
	if err != nil {
		t.Fatal(err)
	}
	if h != sampleHeader() {
		t.Errorf("header %+v, want %+v", h, sampleHeader())
	}
	if !reflect.DeepEqual(ps, samplePayments) {
		t.Errorf("payments %+v, want %+v", ps, samplePayments)
	}
}

// sealed ends body (lines with their "\n") with a trailer of the right
// count, total and checksum.
func sealed(body string, count int, total string) []byte {
	return []byte(fmt.Sprintf("%sT|%d|%s|%x\n", body, count, total, sha256.Sum256([]byte(body))))
}

func TestParsePaymentRefuses(t *testing.T) {
	good := string(writeFile(t, sampleHeader(), samplePayments))
	body := good[:strings.LastIndex(good, "T|")]
	tests := []struct {
		name  string
		file  []byte
		field string
		msg   string
	}{
		{"empty", nil, "file", "代发文件为空"},
		{"return file", []byte("H|GSRET|1|x\n"), "type", "这是回盘文件"},
		{"version", []byte(strings.Replace(good, "GSPAY|1|", "GSPAY|2|", 1)), "version", "版本"},
		{"header fields", sealed(strings.Replace(body, "|2026-11-25\n", "\n", 1), 4, "6244.48"), "line", "应有12个字段"},
		{"header month", sealed(strings.Replace(body, "|2026-11|", "|2026-13|", 1), 4, "6244.48"), "month", "代发文件第1行：文件头：月份"},
		{"edited", []byte(strings.Replace(good, "张三", "张四", 1)), "checksum", "第6行：校验值不符"},
		{"missing trailer", []byte(body), "file", "缺少尾行"},
		{"after trailer", []byte(good + "\n"), "line", "第7行：尾行（T行）之后"},
		{"account", sealed(strings.Replace(body, "6222020200002222222", "6222-0202", 1), 4, "6244.48"), "account", "第3行：序号000002：账号应为数字"},
		{"name", sealed(strings.Replace(body, "|李四|", "||", 1), 4, "6244.48"), "name", "第3行：序号000002：户名不能为空"},
		{"amount", sealed(strings.Replace(body, "|1800.00|", "|1800.0|", 1), 4, "6244.48"), "amount", "第3行：金额「1800.0」"},
		{"seq", sealed(strings.Replace(body, "D|000003|", "D|000004|", 1), 4, "6244.48"), "seq", "第4行：序号应为000003"},
		{"D fields", sealed(strings.Replace(body, "|张三|", "|张三|x|", 1), 4, "6244.48"), "line", "明细（D行）应有7个字段"},
		{"unknown line", sealed(body+"R|000005\n", 4, "6244.48"), "line", "未知的行类型「R」"},
		{"trailer count", sealed(body, 5, "6244.48"), "count", "第6行：尾行笔数为5，实有4条明细"},
		{"trailer total", sealed(body, 4, "6244.00"), "total", "第6行：尾行合计金额为6244.00元"},
		{"header count", sealed(strings.Replace(body, "|4|6244.48|", "|5|6244.48|", 1), 4, "6244.48"), "count", "第1行：文件头笔数为5"},
		{"header total", sealed(strings.Replace(body, "|4|6244.48|", "|4|6244.49|", 1), 4, "6244.48"), "total", "第1行：文件头合计金额为6244.49元"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ps, err := ParsePayment(bytes.NewReader(tt.file))
			if h != (Header{}) || ps != nil {
				t.Errorf("a refused file returned %+v, %d payments", h, len(ps))
			}
			wantField(t, err, tt.field, "代发文件", tt.msg)
		})
	}
}
