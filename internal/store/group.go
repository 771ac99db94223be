package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gongshang/internal/access"
)

// Group commit on SQLite. SQLite has one writer, and with synchronous=FULL
// every commit waits for the WAL's fsync while holding the write lock:
// under the hospital interface's load (bench settle) the commit was a
// quarter of the time the lock was held, and the fsync's wait more. So
// this process's write transactions are run by one committer, which takes
// the writes waiting at that moment (at most maxGroup), runs each inside
// its own SAVEPOINT of one transaction and commits them together: one
// fsync for the group.
//
// What a caller sees does not change. Its function runs alone, in order,
// and sees the writes of those before it in the group as any later
// transaction would; a function that fails is rolled back to its
// savepoint and gets its error, the others are unaffected; write returns
// only after the commit, with the commit's error if it failed (then no
// member is committed). A request whose context ended before its turn is
// not run. A panic in a function is carried back and raised in its
// caller. If a member leaves the transaction unusable (SQLite rolls the
// whole transaction back on an interrupted write — a caller's context
// ending during its own statement), every member of the group gets an
// error and nothing of the group is committed.

// maxGroup bounds a group: the first member waits for all of them.
const maxGroup = 16

type writeReq struct {
	ctx   context.Context
	actor access.Principal
	fn    func(*tx) error
	err   error
	pan   any // a panic of fn, raised again in the caller
	done  chan struct{}
}

// committer runs the process's SQLite write transactions.
type committer struct {
	s    *Store
	reqs chan *writeReq
	quit chan struct{}
	gone chan struct{} // closed when the loop has stopped
	once sync.Once

	groups, members atomic.Int64 // committed groups and their members, for bench settle
}

func newCommitter(s *Store) *committer {
	c := &committer{s: s, reqs: make(chan *writeReq, 256), quit: make(chan struct{}), gone: make(chan struct{})}
	go c.loop()
	return c
}

// errClosed answers a write sent after Close.
var errClosed = errors.New("store: closed")

// write hands fn to the committer and waits for its outcome.
func (c *committer) write(ctx context.Context, actor access.Principal, fn func(*tx) error) error {
	r := &writeReq{ctx: ctx, actor: actor, fn: fn, done: make(chan struct{})}
	select {
	case c.reqs <- r:
	case <-c.gone:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: the committer
	// may be running fn, and only the commit says whether it landed.
	select {
	case <-r.done:
	case <-c.gone:
		return errClosed
	}
	if r.pan != nil {
		panic(r.pan)
	}
	return r.err
}

// close stops the loop after the group it is running; writes waiting
// for it get errClosed.
func (c *committer) close() {
	c.once.Do(func() { close(c.quit) })
	<-c.gone
}

func (c *committer) loop() {
	defer close(c.gone)
	for {
		var first *writeReq
		select {
		case first = <-c.reqs:
		case <-c.quit:
			return
		}
		group := []*writeReq{first}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-c.reqs:
				group = append(group, r)
			default:
				break more
			}
		}
		c.run(group)
		for _, r := range group {
			close(r.done)
		}
	}
}

// run runs a group in one transaction.
func (c *committer) run(group []*writeReq) {
	s := c.s
	fail := func(err error, rs []*writeReq) {
		for _, r := range rs {
			if r.err == nil && r.pan == nil {
				r.err = err
			}
		}
	}
	sqlTx, release, err := s.beginWrite(context.Background())
	if err != nil {
		fail(fmt.Errorf("store: begin: %w", err), group)
		return
	}
	defer release()
	ran := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if _, err := sqlTx.Exec(`SAVEPOINT member`); err != nil {
			_ = sqlTx.Rollback()
			fail(fmt.Errorf("store: savepoint: %w", err), group)
			return
		}
		t := &tx{Tx: sqlTx, s: s, now: s.now().UTC().Truncate(time.Microsecond), actor: r.actor, grouped: true}
		r.err, r.pan = runMember(r.fn, t)
		if r.err != nil || r.pan != nil {
			if _, err := sqlTx.Exec(`ROLLBACK TO member`); err != nil {
				// The transaction is gone (SQLite rolled it back): no member
				// of the group can be committed.
				_ = sqlTx.Rollback()
				fail(fmt.Errorf("store: group rolled back: %w", err), group)
				return
			}
			r.err = s.translate(r.err)
		}
		if _, err := sqlTx.Exec(`RELEASE member`); err != nil {
			_ = sqlTx.Rollback()
			fail(fmt.Errorf("store: release savepoint: %w", err), group)
			return
		}
		if r.err == nil && r.pan == nil {
			ran = append(ran, r)
		}
	}
	if len(ran) == 0 {
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		fail(s.translate(fmt.Errorf("store: commit: %w", err)), ran)
		return
	}
	c.groups.Add(1)
	c.members.Add(int64(len(ran)))
}

// WriteGroups reports how many commits the SQLite committer made and how
// many write transactions they carried (zero on PostgreSQL).
func (s *Store) WriteGroups() (commits, writes int64) {
	if s.group == nil {
		return 0, 0
	}
	return s.group.groups.Load(), s.group.members.Load()
}

// runMember runs fn, turning a panic into its value.
func runMember(fn func(*tx) error, t *tx) (err error, pan any) {
	defer func() {
		if p := recover(); p != nil {
			pan = p
		}
	}()
	return fn(t), nil
}
