package lending

import "time"

// civil is a calendar date without a clock or location.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

// addMonths is c plus k months, the day clamped to the end of the target
// month (Jan 31 + 1 month = Feb 28 or 29).
func addMonths(c civil, k int) civil {
	total := int(c.m) - 1 + k
	y := c.y + floorDiv(total, 12)
	m := time.Month(total - floorDiv(total, 12)*12 + 1)
	d := c.d
	if last := daysIn(y, m); d > last {
		d = last
	}
	return civil{y, m, d}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// days is the number of days since 1970-01-01.
func (c civil) days() int {
	return int(time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// time is c at ref's clock and location.
func (c civil) time(ref time.Time) time.Time {
	h, mi, s := ref.Clock()
	return time.Date(c.y, c.m, c.d, h, mi, s, ref.Nanosecond(), ref.Location())
}

// DueDate is the due date of installment k of a loan starting at start:
// start plus k months, computed from start each time with the day clamped
// to the end of the month (a Jan 31 start falls due Feb 28, Mar 31, Apr 30).
func DueDate(start time.Time, k int) time.Time {
	return addMonths(civilOf(start), k).time(start)
}

// daysBetween is the number of calendar days from a to b (negative when b is
// before a), comparing the dates in their own locations.
func daysBetween(a, b time.Time) int {
	return civilOf(b).days() - civilOf(a).days()
}
