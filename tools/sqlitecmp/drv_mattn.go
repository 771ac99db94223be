//go:build mattn

package main

import (
	"database/sql"

	_ "github.com/mattn/go-sqlite3"
)

func init() {
	compiled = &driverDef{
		name:   "mattn",
		module: "github.com/mattn/go-sqlite3",
		open: func(path string) (*sql.DB, error) {
			return sql.Open("sqlite3", "file:"+path+
				"?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL"+
				"&_foreign_keys=1&_txlock=immediate")
		},
	}
}
