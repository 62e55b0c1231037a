package valuation_test

import (
	"context"
	"testing"

	"github.com/assetmint/assetmint/valuation"
)

// BenchmarkValue values the first fixture of each type; valuations/s is
// reported per type.
func BenchmarkValue(b *testing.B) {
	m := newModel(b)
	seen := map[valuation.AssetType]bool{}
	for _, fx := range fixtures() {
		if seen[fx.in.Type] {
			continue
		}
		seen[fx.in.Type] = true
		in := fx.in
		b.Run(string(in.Type), func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := m.Value(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "valuations/s")
		})
	}
}
