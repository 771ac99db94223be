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

// dummies cache DummyHash per cost (production, tests).
var dummies [2]atomic.Pointer[string]

// DummyHash is a hash of nobody's password at the cost HashPassword uses
// now, for checks that must cost what a real one does (an unknown
// username, an attempt past the lock): computed on first use, so a process
// pays for it once and tests at their lowered cost.
func DummyHash() string {
	i := 0
	if lowHashCost.Load() {
		i = 1
	}
	if p := dummies[i].Load(); p != nil {
		return *p
	}
	h := HashPassword("not a real password")
	dummies[i].Store(&h)
	return h
}
