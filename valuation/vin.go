package valuation

import "strings"

// NormalizeSerial makes serial numbers and VINs comparable across
// submissions: uppercase, with everything but ASCII letters and digits
// removed.
func NormalizeSerial(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// ValidVIN reports whether vin is a 17-character vehicle identification
// number with a correct ISO 3779 / 49 CFR 565.15 check digit (position 9):
// letters transliterate through "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ"
// (index mod 10), weights 8765432X098765432, sum mod 11, 10 written X.
// I, O and Q are never valid. Case, spaces and dashes are ignored.
func ValidVIN(vin string) bool {
	const translit = "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ"
	weights := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	v := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(vin))
	if len(v) != 17 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := v[i]
		if c == 'I' || c == 'O' || c == 'Q' {
			return false
		}
		idx := strings.IndexByte(translit, c)
		if idx < 0 || c == '.' {
			return false
		}
		sum += (idx % 10) * weights[i]
	}
	check := byte('0' + sum%11)
	if sum%11 == 10 {
		check = 'X'
	}
	return v[8] == check
}
