package access

import "sync/atomic"

// lowHashCost is set by tests only (LowerHashCostForTests).
var lowHashCost atomic.Bool

// LowerHashCostForTests makes HashPassword use argon2id with 64 KiB and
// one pass, for the rest of the process. It exists for test helpers
// (webtest, storetest and tests), which create dozens of users per test;
// no production package may call it (TestHashCostStaysProduction).
// Hashes keep their parameters in the PHC string, so CheckPassword reads
// either kind.
func LowerHashCostForTests() { lowHashCost.Store(true) }

// hashCost is the argon2id time and memory HashPassword uses.
func hashCost() (time, memoryKiB uint32) {
	if lowHashCost.Load() {
		return 1, 64
	}
	return argonTime, argonMemory
}
