package migrations

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	ms, err := Read(fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("B")},
		"m/0001_init.sql": {Data: []byte("A")},
		"m/0010_last.sql": {Data: []byte("C")},
	}, "m")
	require.NoError(t, err)
	require.Equal(t, []Migration{{1, "0001_init.sql", "A"}, {2, "0002_more.sql", "B"}, {10, "0010_last.sql", "C"}}, ms)

	for _, bad := range []fstest.MapFS{
		{"m/init.sql": {}},
		{"m/0000_zero.sql": {}},
		{"m/0001_a.txt": {}},
		{"m/0001_a.sql": {}, "m/001_b.sql": {}},
	} {
		_, err := Read(bad, "m")
		require.Error(t, err)
	}
}
