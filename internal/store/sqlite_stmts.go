package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// SQLite statements are prepared once per connection. database/sql hands
// a query without a prepared statement to the driver, and the modernc
// driver parses it again on every call: under the hospital interface's
// load parsing was 14 % of all CPU, all of it under the one write lock
// (bench settle's profile). cachingConn keeps each connection's prepared
// statements by their text and runs a query on the one it has; SQLite
// re-prepares a statement by itself when the schema changes under it
// (sqlite3_prepare_v2).
//
// database/sql uses a driver connection from one goroutine at a time,
// but a statement whose rows are still open (a query inside a loop over
// another query's rows) cannot run a second time: such a call gets a
// statement of its own, closed after use.

// maxCachedStmts bounds the statements kept per connection; queries
// built with a varying number of markers would otherwise grow it without
// end. Past it, statements are prepared and closed per call as before.
const maxCachedStmts = 512

// openSQLite opens dsn through the modernc driver with the statement
// cache.
func openSQLite(dsn string) *sql.DB {
	return sql.OpenDB(sqliteConnector{dsn: dsn})
}

type sqliteConnector struct{ dsn string }

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	inner, err := sqliteDriver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: inner, stmts: map[string]*cachedStmt{}}, nil
}

func (c sqliteConnector) Driver() driver.Driver { return sqliteDriver }

// sqliteDriver is the driver the modernc package registers as "sqlite",
// with whatever it registers on it.
var sqliteDriver = func() driver.Driver {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err) // the package is linked in: it registered the name
	}
	defer db.Close()
	return db.Driver()
}()

type cachedStmt struct {
	ds   driver.Stmt
	busy bool // its rows are open
}

// cachingConn is a modernc connection with its prepared statements.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

// The interfaces database/sql asks of a connection, forwarded.
var (
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)

// stmt is the statement to run query on and what to do after: mark the
// cached one free again, or close a statement of its own.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, func(), error) {
	if cs, ok := c.stmts[query]; ok && !cs.busy {
		cs.busy = true
		return cs.ds, func() { cs.busy = false }, nil
	}
	ds, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := c.stmts[query]; ok || len(c.stmts) >= maxCachedStmts {
		return ds, func() { _ = ds.Close() }, nil
	}
	cs := &cachedStmt{ds: ds, busy: true}
	c.stmts[query] = cs
	return ds, func() { cs.busy = false }, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ds, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	defer done()
	return ds.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ds, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := ds.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		done()
		return nil, err
	}
	return &cachedRows{Rows: rows, done: done}, nil
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// Close finalises the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	var err error
	for q, cs := range c.stmts {
		err = errors.Join(err, cs.ds.Close())
		delete(c.stmts, q)
	}
	return errors.Join(err, c.Conn.Close())
}

// cachedRows frees its statement when closed. database/sql closes rows
// at most once.
type cachedRows struct {
	driver.Rows
	done func()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.done()
	return err
}
