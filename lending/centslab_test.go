package lending

import (
	"math"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestCentSlabMakesTheDecimalsDecimalNewMakes checks the slab's decimals
// against decimal.New's, the independent source, through every use a
// schedule's amounts see: printing, JSON, comparison and arithmetic.
func TestCentSlabMakesTheDecimalsDecimalNewMakes(t *testing.T) {
	require.True(t, decimalLayoutOK, "shopspring's Decimal layout changed: the slab falls back to decimal.New; check centslab.go")
	values := []int64{0, 1, -1, 5, 99, 100, 59955, -59955, 1 << 40, math.MaxInt64, math.MinInt64 + 1, math.MinInt64}
	slab := newCentSlab(len(values))
	made := make([]decimal.Decimal, len(values))
	for i, c := range values {
		made[i] = slab.dec(c)
	}
	other := decimal.RequireFromString("12.345")
	for i, c := range values {
		got, want := made[i], decimal.New(c, -2)
		require.Equal(t, want.String(), got.String(), "cents %d", c)
		require.Equal(t, want.StringFixed(2), got.StringFixed(2), "cents %d", c)
		wantJSON, _ := want.MarshalJSON()
		gotJSON, _ := got.MarshalJSON()
		require.Equal(t, string(wantJSON), string(gotJSON), "cents %d", c)
		require.True(t, want.Equal(got), "cents %d", c)
		require.Equal(t, want.Sign(), got.Sign(), "cents %d", c)
		require.Equal(t, want.Exponent(), got.Exponent(), "cents %d", c)
		require.Equal(t, want.Add(other).String(), got.Add(other).String(), "cents %d", c)
		require.Equal(t, want.Sub(other).String(), got.Sub(other).String(), "cents %d", c)
		require.Equal(t, want.Mul(other).String(), got.Mul(other).String(), "cents %d", c)
		require.Equal(t, want.Neg().String(), got.Neg().String(), "cents %d", c)
	}
	// An operation on one decimal changes no other decimal of the slab.
	for i, c := range values {
		require.Equal(t, decimal.New(c, -2).String(), made[i].String(), "cents %d after the arithmetic", c)
	}
	// Past its size the slab still gives the right value.
	require.Equal(t, "7.01", slab.dec(701).String())
}

func TestSameLayoutRefusesAnotherShape(t *testing.T) {
	type swapped struct {
		exp   int32
		value *decimal.Decimal
	}
	type renamed struct {
		v   *decimalFields
		exp int32
	}
	require.True(t, sameLayout(reflect.TypeFor[decimalFields](), reflect.TypeFor[decimalFields]()))
	require.False(t, sameLayout(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[swapped]()))
	require.False(t, sameLayout(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[renamed]()))
	require.False(t, sameLayout(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[int64]()))
}
