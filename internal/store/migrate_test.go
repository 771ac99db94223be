package store_test

import (
	"context"
	"sync"
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// Several processes starting together on a fresh database: the advisory
// lock lets one migrate while the others wait (without it they race on
// CREATE TABLE and schema_migrations and fail).
func TestPostgresConcurrentOpen(t *testing.T) {
	storetest.PostgresURL(t)
	url := storetest.PostgresSchemaURL(t)
	const n = 4
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for range n {
		wg.Go(func() {
			s, err := store.Open(context.Background(), url, store.Options{DataKey: storetest.TestKey, AuditKey: storetest.TestAuditKey})
			if err != nil {
				errc <- err
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}
