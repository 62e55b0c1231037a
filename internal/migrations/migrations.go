// Package migrations reads a store's schema changes: numbered SQL files
// (NNNN_what.sql) embedded in the store's package, in the order of their
// numbers. Each store applies them its own way, recording each version
// once (store/sqlite, store/postgres).
package migrations

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string // the file name, for errors and the record
	SQL     string
}

// Read lists the .sql files in dir of fsys, which must be named
// NNNN_what.sql with versions rising, in order. Never edit a file that has
// shipped: add the next number.
func Read(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries { // ReadDir sorts by name
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		if len(ms) > 0 && v <= ms[len(ms)-1].Version {
			return nil, fmt.Errorf("migration %s: version %d is out of order", e.Name(), v)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	return ms, nil
}
