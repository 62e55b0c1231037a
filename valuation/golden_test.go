package valuation_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current model")

func newModel(t testing.TB) *valuation.Deterministic {
	t.Helper()
	m, err := valuation.NewDeterministic(valuation.DefaultParameters())
	require.NoError(t, err)
	return m
}

func TestGolden(t *testing.T) {
	m := newModel(t)
	perType := map[valuation.AssetType]int{}
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			perType[fx.in.Type]++
			r, err := m.Value(context.Background(), fx.in)
			require.NoError(t, err)
			got, err := json.MarshalIndent(r, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			path := filepath.Join("testdata", fx.name+".golden.json")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, got, 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create the golden file")
			require.Equal(t, string(want), string(got))
		})
	}
	for _, typ := range valuation.AssetTypes() {
		require.GreaterOrEqual(t, perType[typ], 2, "golden fixtures for %s", typ)
	}
}
