//go:build crashhook && unix

package hisapi

import (
	"os"
	"syscall"
)

// This file exists only in a binary built with `-tags crashhook`, which
// only the SIGKILL test (cmd/gongshang/settle_kill_test.go) builds: no
// release build can be armed, by setting or by accident. In such a binary,
// GONGSHANG_CRASH_AFTER_COMMIT=<infno> kills the process with SIGKILL the
// moment that transaction has committed and before its answer is written,
// as a power cut or an OOM kill would.
func init() {
	infno := os.Getenv("GONGSHANG_CRASH_AFTER_COMMIT")
	if infno == "" {
		return
	}
	afterCommit = func(got string) {
		if got == infno {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is not caught; never answer
		}
	}
}
