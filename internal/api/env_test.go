package api

import (
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// newEnv runs the API alone on a test store.
func newEnv(t *testing.T, open storetest.Opener) *webtest.Env {
	return webtest.New(t, open, func(s *store.Store) (*web.Server, error) {
		sf, err := New(Options{Store: s, Staff: webtest.Staff, MaxBodyBytes: 1 << 20})
		if err != nil {
			return nil, err
		}
		return web.Mount(web.Options{Store: s}, sf)
	})
}
