package store_test

import (
	"testing"

	"gongshang/internal/storetest"
)

func TestSQLite(t *testing.T) { storetest.Run(t, storetest.OpenSQLite) }

func TestPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, storetest.OpenPostgres)
}
