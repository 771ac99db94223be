//go:build modernc

package main

import (
	"database/sql"

	_ "modernc.org/sqlite"
)

func init() {
	compiled = &driverDef{
		name:   "modernc",
		module: "modernc.org/sqlite",
		open: func(path string) (*sql.DB, error) {
			return sql.Open("sqlite", "file:"+path+
				"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
				"&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite")
		},
	}
}
