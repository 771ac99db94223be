package store_test

import (
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// The list machinery's conformance cases (filters, sorts, Each) on both
// engines.
func TestLists(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) { storetest.RunList(t, open, store.SetEachBatch) })
}
