package store_test

import (
	"testing"

	"gongshang/internal/storetest"
)

func TestSecuritySQLite(t *testing.T) { storetest.RunSecurity(t, storetest.OpenSQLite) }

func TestSecurityPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.RunSecurity(t, storetest.OpenPostgres)
}
