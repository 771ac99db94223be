package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"gongshang/internal/audit"
	"gongshang/internal/config"
	"gongshang/internal/store"
)

// checkpointFile is where serve and demo keep signed audit checkpoints,
// outside the database.
func checkpointFile(cfg config.Config) string {
	return filepath.Join(cfg.DataDir, "audit-checkpoints.jsonl")
}

// appendCheckpoint adds one line to the checkpoint file and syncs it.
func appendCheckpoint(path string) func(audit.Checkpoint) error {
	return func(cp audit.Checkpoint) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.Write(append(cp.Line(), '\n')); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}

// startSealer runs the audit sealer until the returned stop is called;
// stop waits for its last seal and checkpoint.
func startSealer(ctx context.Context, cfg config.Config, s *store.Store, log *slog.Logger) (stop func()) {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	path := checkpointFile(cfg)
	go func() {
		defer close(done)
		if err := s.RunAuditSealer(sctx, store.AuditSealEvery, cfg.AuditCheckpointEvery, appendCheckpoint(path)); err != nil {
			log.Error("audit sealer", "err", err)
		}
	}()
	log.Info("audit sealer started", "every", store.AuditSealEvery, "checkpoints", path, "checkpoint_every", cfg.AuditCheckpointEvery)
	return func() { cancel(); <-done }
}

// readCheckpoints reads and checks the signatures of a checkpoint file.
func readCheckpoints(path, keyB64 string) ([]audit.Checkpoint, error) {
	if path == "" {
		return nil, nil
	}
	key, err := audit.ParseKey(keyB64)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("检查点文件：%w", err)
	}
	return audit.ParseCheckpoints(data, key)
}
