package demo

import (
	"context"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/store"
)

// metaKey records that the demo was loaded, and from which seed.
const metaKey = "demo_seed"

// Load fills an empty store with the demo data and users, once: when the
// store already holds a demo it is reused and Load reports false.
// Records, users and the mark are written in one transaction: a crash
// leaves either the whole demo or an empty store that Load fills again.
func Load(ctx context.Context, s *store.Store, seed uint64, scale float64, today time.Time) (loaded bool, err error) {
	v, err := s.Meta(ctx, metaKey)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if v != "" {
		return false, nil
	}
	bulk := Generate(seed, scale, today)
	opt := store.LoadOptions{Action: "demo.load", Users: Users(), MetaKey: metaKey, MetaValue: fmt.Sprint(seed)}
	if err := s.LoadBulk(ctx, access.System, bulk, opt); err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return true, nil
}
