package lending

import (
	"math/big"
	"math/bits"
	"reflect"
	"unsafe"

	"github.com/shopspring/decimal"
)

// centSlab makes decimals of whole cents for one schedule from two
// allocations instead of two per decimal.
//
// Why it exists: every shopspring constructor allocates a big.Int and its
// one-word magnitude, so a 360-row schedule's 1,080 decimals cost 2,160
// allocations, and a CPU profile of BenchmarkAmortize360 put 40 % of its
// time in them and the garbage collection they cause. The slab allocates
// the big.Ints and their words together and points each decimal at its own
// big.Int.
//
// Why it is safe: a decimal.Decimal is a value holding a *big.Int that its
// copies share, so shopspring never changes a big.Int in place once a
// Decimal holds it (every operation returns a new one); a slab's big.Int is
// in the same position as one from decimal.New. The cost is that a decimal
// keeps its whole slab alive (about 40 bytes per decimal of the schedule).
//
// The one assumption beyond shopspring's API is the layout of its Decimal
// struct, {value *big.Int; exp int32}. decimalLayoutOK checks it by
// reflection when the package loads; with any other layout dec falls back
// to decimal.New, which gives the same values.
type centSlab struct {
	ints  []big.Int
	words []big.Word
}

// decimalFields mirrors the fields of shopspring's decimal.Decimal.
type decimalFields struct {
	value *big.Int
	exp   int32
}

var decimalLayoutOK = sameLayout(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[decimalFields]())

// sameLayout reports whether a and b have the same fields, by name, type
// and offset, and the same size.
func sameLayout(a, b reflect.Type) bool {
	if a.Kind() != reflect.Struct || b.Kind() != reflect.Struct ||
		a.Size() != b.Size() || a.NumField() != b.NumField() {
		return false
	}
	for i := range a.NumField() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || fa.Type != fb.Type || fa.Offset != fb.Offset {
			return false
		}
	}
	return true
}

// newCentSlab returns a slab for n decimals.
func newCentSlab(n int) *centSlab {
	if !decimalLayoutOK || bits.UintSize < 64 {
		return &centSlab{}
	}
	return &centSlab{ints: make([]big.Int, 0, n), words: make([]big.Word, 0, n)}
}

// dec returns cents/100. Past the slab's size it allocates as decimal.New
// does.
func (s *centSlab) dec(cents int64) decimal.Decimal {
	if len(s.ints) == cap(s.ints) {
		return decimal.New(cents, -2)
	}
	u := uint64(cents)
	if cents < 0 {
		u = -u
	}
	n := len(s.words)
	s.words = append(s.words, big.Word(u))
	s.ints = append(s.ints, big.Int{})
	v := &s.ints[n]
	v.SetBits(s.words[n : n+1 : n+1]) // keeps the word as the magnitude; 0 becomes an empty one
	if cents < 0 {
		v.Neg(v)
	}
	f := decimalFields{value: v, exp: -2}
	return *(*decimal.Decimal)(unsafe.Pointer(&f))
}
