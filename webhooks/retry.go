package webhooks

import (
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retrySchedule is the delay after each failed attempt, before jitter.
var retrySchedule = [...]time.Duration{
	5 * time.Second,
	5 * time.Minute,
	30 * time.Minute,
	2 * time.Hour,
	5 * time.Hour,
	10 * time.Hour,
	14 * time.Hour,
	20 * time.Hour,
	24 * time.Hour,
}

// RetryAttempts is how many retries follow a first failed attempt.
const RetryAttempts = len(retrySchedule)

// RetrySchedule returns the delay after each failed attempt, before jitter:
// after the first failure 5 s, ..., after the ninth 24 h; a tenth failure
// is final. It is a copy: the schedule itself cannot be changed.
func RetrySchedule() []time.Duration { return append([]time.Duration(nil), retrySchedule[:]...) }

// MaxRetryAfter caps what RetryAfter returns.
const MaxRetryAfter = 24 * time.Hour

// NextAttempt returns the delay after failed attempt n (1-based):
// RetrySchedule()[n-1] lengthened by a jitter in [0, 10%] of it, chosen by
// random (pass a fresh uniformly random uint64). Jitter never shortens a
// delay. ok is false when n is past the schedule (or below 1): the delivery
// has failed for good.
func NextAttempt(n int, random uint64) (delay time.Duration, ok bool) {
	if n < 1 || n > len(retrySchedule) {
		return 0, false
	}
	base := retrySchedule[n-1]
	// The high word of random*(m+1) is uniform enough in [0, m].
	jitter, _ := bits.Mul64(random, uint64(base/10)+1)
	return base + time.Duration(jitter), true
}

// RetryAfter parses a response's Retry-After header, in delta-seconds or as
// an HTTP-date (taken relative to now; a past date means 0), capped at
// MaxRetryAfter. ok is false if the header is absent or invalid.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if digits(v) {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true // only too many digits fail here
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), MaxRetryAfter), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
