package web

import (
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// ParseVersion reads a new version from form or JSON values.
func ParseVersion(get func(string) string) (param.Version, error) {
	v := param.Version{Table: get("table"), Key: get("key"), Region: get("region"), Value: get("value"),
		Source: get("source"), Confidence: get("confidence"), Note: get("note")}
	from, err := param.ParseDate(get("effective_from"))
	if err != nil {
		return v, errs.Field("effective_from", "date_format", "生效日期“%s”无效（格式YYYY-MM-DD）", get("effective_from"))
	}
	v.EffectiveFrom = from
	if err := param.Validate(v); err != nil {
		return v, errs.Field("value", "param_invalid", "%s", err.Error())
	}
	return v, nil
}
