// Package params is the service that holds the effective legal parameter
// set: the embedded law (param.Default) with the versions administrators
// added, replayed from the store in the order they were added. Every
// surface that calculates — web pages, the JSON API, jobs and
// `gongshang calc` — asks it for the current set.
//
// The store is the one source of truth. A Service notices a change by the
// stored versions' stamp (count and last id), read before a use at most
// once per MaxAge, and reloads at once in the process that added a version,
// so additions from any process reach every process without a restart.
package params

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/store"
)

// Options configure a Service.
type Options struct {
	// MaxAge is how long a checked set is used before the stamp is read
	// again; 0 reads it before every use.
	MaxAge time.Duration
	Logger *slog.Logger
}

// DefaultMaxAge bounds how stale another process's addition may be.
const DefaultMaxAge = 500 * time.Millisecond

// Service holds the current parameter set. It is safe for concurrent use.
type Service struct {
	store  *store.Store // nil: the embedded defaults only
	base   *param.Set   // the embedded law, never changed
	maxAge time.Duration
	log    *slog.Logger

	reload sync.Mutex // one reload at a time
	cur    atomic.Pointer[snapshot]
}

// snapshot is an immutable set with the stamp of the rows it was built from.
type snapshot struct {
	set     *param.Set
	stamp   store.ParamStamp
	checked time.Time
}

// New loads the current set from s; with a nil store the service serves
// the embedded defaults.
func New(ctx context.Context, s *store.Store, opt Options) (*Service, error) {
	base, err := param.Default()
	if err != nil {
		return nil, err
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	svc := &Service{store: s, base: base, maxAge: opt.MaxAge, log: opt.Logger}
	if s == nil {
		svc.cur.Store(&snapshot{set: base, checked: time.Now()})
		return svc, nil
	}
	if err := svc.Reload(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

// Set returns the current set. When the stamp is older than MaxAge it is
// read again and a changed one reloads; if the database cannot be read,
// the last set is served and the problem logged.
func (svc *Service) Set(ctx context.Context) *param.Set {
	snap := svc.cur.Load()
	if svc.store == nil || time.Since(snap.checked) < svc.maxAge {
		return snap.set
	}
	stamp, err := svc.store.ParamStamp(ctx)
	if err != nil {
		svc.log.Warn("parameter stamp unreadable; using the last set", "error", err)
		return snap.set
	}
	if stamp == snap.stamp {
		svc.cur.CompareAndSwap(snap, &snapshot{set: snap.set, stamp: snap.stamp, checked: time.Now()})
		return snap.set
	}
	if err := svc.Reload(ctx); err != nil {
		svc.log.Warn("parameter reload failed; using the last set", "error", err)
	}
	return svc.cur.Load().set
}

// Reload rebuilds the set from the stored versions now.
func (svc *Service) Reload(ctx context.Context) error {
	if svc.store == nil {
		return nil
	}
	svc.reload.Lock()
	defer svc.reload.Unlock()
	added, stamp, err := svc.store.ParamVersionsStamped(ctx)
	if err != nil {
		return err
	}
	if cur := svc.cur.Load(); cur != nil && cur.stamp == stamp {
		svc.cur.Store(&snapshot{set: cur.set, stamp: stamp, checked: time.Now()})
		return nil
	}
	set := svc.base.Clone()
	for _, v := range added {
		if err := set.Add(v); err != nil {
			return fmt.Errorf("params: stored version %s/%s: %w", v.Table, v.Key, err)
		}
	}
	svc.cur.Store(&snapshot{set: set, stamp: stamp, checked: time.Now()})
	svc.log.Debug("parameters loaded", "added_versions", stamp.Count, "last_id", stamp.LastID)
	return nil
}

// Add stores a version for actor (the store checks it and the actor's
// region) and reloads, so that the set this process uses next holds it.
func (svc *Service) Add(ctx context.Context, actor access.Principal, v param.Version) (int64, error) {
	if svc.store == nil {
		return 0, fmt.Errorf("params: no store to add to")
	}
	// A version the current set cannot take (a duplicate effective date,
	// a value of the wrong kind) is refused before anything is stored.
	if err := svc.Set(ctx).Clone().Add(v); err != nil {
		return 0, errs.Field("value", "param_invalid", "%s", err.Error())
	}
	id, err := svc.store.AddParamVersion(ctx, actor, v)
	if err != nil {
		return 0, err
	}
	if err := svc.Reload(ctx); err != nil {
		return id, fmt.Errorf("params: version %d stored but not loaded: %w", id, err)
	}
	return id, nil
}
