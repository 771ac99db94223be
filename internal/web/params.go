package web

import (
	"context"
	"sync/atomic"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/store"
)

// Params holds the effective legal parameters both staff surfaces read:
// a snapshot that is replaced, never changed, when an administrator adds a
// version.
type Params struct {
	store *store.Store
	set   atomic.Pointer[param.Set]
}

// NewParams holds set (the defaults when nil).
func NewParams(s *store.Store, set *param.Set) (*Params, error) {
	if set == nil {
		var err error
		if set, err = param.Default(); err != nil {
			return nil, err
		}
	}
	p := &Params{store: s}
	p.set.Store(set)
	return p, nil
}

// Current is the current parameter snapshot.
func (p *Params) Current() *param.Set { return p.set.Load() }

// Add validates v against a copy of the set, stores it, then swaps the
// copy in: readers never see a half-added version.
func (p *Params) Add(ctx context.Context, actor access.Principal, v param.Version) error {
	next := p.Current().Clone()
	if err := next.Add(v); err != nil {
		return errs.Field("value", "param_invalid", "%s", err.Error())
	}
	if _, err := p.store.AddParamVersion(ctx, actor, v); err != nil {
		return err
	}
	p.set.Store(next)
	return nil
}

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
