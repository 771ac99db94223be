package web

import (
	"errors"
	"testing"

	"gongshang/internal/errs"
)

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, field, code string
	}{
		{"clean", `{"name":"张三","n":1,"list":["a",{"b":"c"}],"ok":true,"none":null}`, "", ""},
		{"NUL escaped", `{"name":"a\u0000b"}`, "name", "nul_byte"},
		{"invalid byte", "{\"name\":\"a\xffb\"}", "name", "invalid_utf8"},
		{"lone surrogate", `{"name":"\ud800"}`, "name", "invalid_utf8"},
		{"nested", `{"wages":[{"period":"2025-01"},{"period":"\u0000"}]}`, "wages[1].period", "nul_byte"},
		{"key", `{"a\u0000":1}`, "a\x00", "nul_byte"},
		{"array at the top", `[{"kind":"x"},{"kind":"\u0000"}]`, "[1].kind", "nul_byte"},
		{"bare string", `"\u0000"`, "", "nul_byte"},
		{"not JSON is the decoder's", `{"name":`, "", ""},
	}
	for _, tt := range tests {
		err := CheckJSON([]byte(tt.body))
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v, want nil", tt.name, err)
			}
			continue
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Code != tt.code {
			t.Errorf("%s: %#v, want field %q code %q", tt.name, err, tt.field, tt.code)
		}
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	for v, code := range map[string]string{"张三": "", "a\tb\n": "", "a\x00": "nul_byte", "\xc3\x28": "invalid_utf8", "\ufffd": "invalid_utf8"} {
		err := CheckText("q", v)
		if got := fieldCode(err); got != code {
			t.Errorf("CheckText(%q): code %q, want %q (%v)", v, got, code, err)
		}
		if err != nil && !containsHan(err.Error()) {
			t.Errorf("CheckText(%q): message %q is not Chinese", v, err)
		}
	}
}

func fieldCode(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return ""
	}
	return e.Fields[0].Code
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestLabel(t *testing.T) {
	for path, want := range map[string]string{
		"username":        "「用户名」",
		"wages[1].period": "「缴费工资第2项的缴费月份」",
		"":                "「请求体」",
		"mystery\x00":     "「“mystery?”」",
	} {
		if got := Label(path); got != want {
			t.Errorf("Label(%q) = %s, want %s", path, got, want)
		}
	}
}
