package store_test

import (
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

func TestSecuritySQLite(t *testing.T) { storetest.RunSecurity(t, storetest.OpenSQLite) }

func TestSecurityPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.RunSecurity(t, storetest.OpenPostgres)
}

// TestSealPlainEmployerPhones: rows written before 0008 carry the phone in
// the plain column; the step after the migrations seals them, once.
func TestSealPlainEmployerPhones(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		ctx := context.Background()
		s := open(t, storetest.NewClock())
		e := storetest.MustEmployer(t, s, "370811")
		// As 0001 wrote it: plain phone, no sealed column.
		if _, err := s.DB().ExecContext(ctx, `UPDATE employers SET contact_phone = '13900001111', contact_phone_enc = NULL, contact_phone_masked = '' WHERE id = $1`, e.ID); err != nil {
			t.Fatal(err)
		}
		for range 2 { // idempotent
			if err := store.SealEmployerPhones(s, ctx); err != nil {
				t.Fatal(err)
			}
		}
		var plain, masked string
		if err := s.DB().QueryRowContext(ctx, `SELECT contact_phone, contact_phone_masked FROM employers WHERE id = $1`, e.ID).Scan(&plain, &masked); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindEmployerByID(ctx, access.ScopeOf("370811"), e.ID)
		if plain != "" || masked != "139****1111" || err != nil || got.ContactPhone != "13900001111" {
			t.Fatalf("after sealing: plain %q masked %q, found %q %v", plain, masked, got.ContactPhone, err)
		}
	})
}
