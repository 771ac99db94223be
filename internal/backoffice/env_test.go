package backoffice

import (
	"log/slog"
	"os"
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// newEnv runs the back office alone on a test store.
func newEnv(t *testing.T, open storetest.Opener) *webtest.Env {
	return webtest.New(t, open, func(s *store.Store) (*web.Server, error) {
		sf, err := New(Options{Store: s, Staff: webtest.Staff, MaxBodyBytes: 1 << 20, Logger: testLogger()})
		if err != nil {
			return nil, err
		}
		return web.Mount(web.Options{Store: s}, sf)
	})
}

// testLogger shows the server's errors with GONGSHANG_TEST_LOG set.
func testLogger() *slog.Logger {
	if os.Getenv("GONGSHANG_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}
