//go:build ncruces

package main

import (
	"database/sql"

	_ "github.com/ncruces/go-sqlite3/driver"
)

func init() {
	compiled = &driverDef{
		name:   "ncruces",
		module: "github.com/ncruces/go-sqlite3",
		open: func(path string) (*sql.DB, error) {
			return sql.Open("sqlite3", "file:"+path+
				"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
				"&_pragma=foreign_keys(1)&_txlock=immediate&_timefmt=sqlite")
		},
	}
}
