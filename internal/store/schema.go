package store

import (
	"context"
	"fmt"
	"strings"
)

// DumpSchema renders the migrated schema as text, so that review shows
// the schema each engine ends up with (committed under schema/).
func (s *Store) DumpSchema(ctx context.Context) (string, error) {
	if s.engine == SQLite {
		return s.dumpRows(ctx, `SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name`)
	}
	cols, err := s.dumpRows(ctx, `SELECT table_name || '.' || column_name || ' ' || data_type ||
		CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END ||
		CASE WHEN column_default IS NOT NULL THEN ' DEFAULT ' || column_default ELSE '' END ||
		CASE WHEN is_generated = 'ALWAYS' THEN ' GENERATED ALWAYS AS ' || generation_expression ELSE '' END ||
		CASE WHEN is_identity = 'YES' THEN ' IDENTITY' ELSE '' END ||
		CASE WHEN collation_name IS NOT NULL THEN ' COLLATE ' || collation_name ELSE '' END
		FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		return "", err
	}
	cons, err := s.dumpRows(ctx, `SELECT c.conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() ORDER BY 1`)
	if err != nil {
		return "", err
	}
	idx, err := s.dumpRows(ctx, `SELECT regexp_replace(indexdef, ' ON \S+\.', ' ON ') || ';' FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)
	if err != nil {
		return "", err
	}
	return "-- columns\n" + cols + "\n-- constraints\n" + cons + "\n-- indexes\n" + idx, nil
}

func (s *Store) dumpRows(ctx context.Context, q string) (string, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return "", fmt.Errorf("store: dump schema: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		b.WriteString(line + "\n")
	}
	return b.String(), rows.Err()
}
