package auth

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// The codes a denied Decision carries; the HTTP layer puts them in the error envelope's code.
const (
	CodeRateLimitExceeded  = "rate_limit_exceeded"  // the per-minute window is empty
	CodeDailyQuotaExceeded = "daily_quota_exceeded" // the UTC day's quota is used up
)

// ErrInvalidLimits is returned (wrapped) by Allow for limits that fail Limits.Validate.
var ErrInvalidLimits = errors.New("auth: invalid limits")

const (
	minuteNanos = int64(time.Minute)
	daySeconds  = int64(24 * time.Hour / time.Second) // a UTC day; Unix time has no leap seconds

	// MaxPerMinute is the largest PerMinute the limiter can track with exact integer arithmetic.
	MaxPerMinute = math.MaxInt64/minuteNanos - 1
)

// Validate says whether a limiter can enforce l: PerMinute in 1..MaxPerMinute, PerDay not negative.
// Backends other than MemoryLimiter should apply the same rule.
func (l Limits) Validate() error {
	switch {
	case l.PerMinute <= 0 || int64(l.PerMinute) > MaxPerMinute:
		return fmt.Errorf("%w: PerMinute %d is not in 1..%d", ErrInvalidLimits, l.PerMinute, MaxPerMinute)
	case l.PerDay < 0:
		return fmt.Errorf("%w: PerDay %d is negative", ErrInvalidLimits, l.PerDay)
	}
	return nil
}

// Decision is what one request is told; it is enough to write the 429 and the X-RateLimit-* headers.
type Decision struct {
	Allowed bool
	Code    string // "" when allowed; CodeRateLimitExceeded or CodeDailyQuotaExceeded

	// Limit, Remaining and Reset describe one window: when allowed, the tightest (fewest remaining after
	// this request; a tie goes to the minute window); when denied, the window named by Code.
	Limit      int
	Remaining  int           // after this request, never negative
	Reset      time.Time     // when that window is fully replenished (bucket full again / next UTC midnight)
	RetryAfter time.Duration // when denied: time until a request would be admitted; 0 when allowed
}

// Limiter is what the HTTP layer consumes; a shared backend (Redis, PostgreSQL) can replace the
// in-process MemoryLimiter when several servers share one set of limits.
type Limiter interface {
	// Allow records one request for key under limits at now and says whether it is admitted. A denied
	// request consumes nothing. Time comes only from now, which should not go backwards for a key; an
	// earlier now is treated as the latest one seen. It returns ErrInvalidLimits (wrapped) for limits
	// that fail Limits.Validate, and a shared backend may return its own I/O errors; a Decision is valid
	// only when the error is nil.
	Allow(ctx context.Context, key string, limits Limits, now time.Time) (Decision, error)

	// Peek says what Allow would decide for one request for key under limits at now, and records
	// nothing: it returns the Decision Allow would return (Remaining counts the request it imagines),
	// and key's state stays as it was; a key never seen is not created. It is for budgets that only some
	// requests spend, such as failed authentications: Peek before the work, Allow once the outcome is
	// known to count. The two calls are not one atomic step, so callers that Peek at the same time may
	// all be let through before any of their Allows lands: check-then-consume can admit up to one extra
	// attempt per concurrent caller beyond the limit, and the later Allow then says it was denied (and
	// consumes nothing). Its errors are Allow's.
	Peek(ctx context.Context, key string, limits Limits, now time.Time) (Decision, error)
}

// MemoryLimiterConfig holds the optional settings of a MemoryLimiter; the zero value means the defaults.
type MemoryLimiterConfig struct {
	// MaxKeys bounds the tracked keys, and so the memory (default 100,000; zero or negative means the
	// default). Keys whose state equals a fresh key's are dropped first; beyond that the least recently
	// used key is forgotten, which can only give that key more allowance, never less.
	MaxKeys int
}

// MemoryLimiter is the in-process Limiter: a token bucket per key for the minute window, so a client can
// burst its whole allowance but never gets a double allowance across a minute boundary, and a counter
// per UTC calendar day. It is exact: the bucket is kept in integer units, so there is no float drift.
// It is safe for concurrent use.
type MemoryLimiter struct {
	maxKeys int

	mu   sync.Mutex
	keys map[string]*list.Element // of *bucket
	lru  *list.List               // most recently used at the front
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns an empty MemoryLimiter.
func NewMemoryLimiter(cfg MemoryLimiterConfig) *MemoryLimiter {
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = 100_000
	}
	return &MemoryLimiter{maxKeys: cfg.MaxKeys, keys: make(map[string]*list.Element), lru: list.New()}
}

// Allow implements Limiter. It does no I/O and ignores ctx.
func (m *MemoryLimiter) Allow(_ context.Context, key string, limits Limits, now time.Time) (Decision, error) {
	if err := limits.Validate(); err != nil {
		return Decision{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bucket(key, now).allow(limits, now), nil
}

// Peek implements Limiter. It does no I/O and ignores ctx.
func (m *MemoryLimiter) Peek(_ context.Context, key string, limits Limits, now time.Time) (Decision, error) {
	if err := limits.Validate(); err != nil {
		return Decision{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := NewBucketState(now)
	if e, ok := m.keys[key]; ok {
		s = e.Value.(*bucket).state
	}
	admitted := s.Step(limits, now) // on a copy: the tracked state is left alone
	return s.Decision(limits, admitted), nil
}

// bucket returns key's state, creating it (and making room for it) if need be.
func (m *MemoryLimiter) bucket(key string, now time.Time) *bucket {
	if e, ok := m.keys[key]; ok {
		m.lru.MoveToFront(e)
		return e.Value.(*bucket)
	}
	for e := m.lru.Back(); e != nil; e = m.lru.Back() {
		oldest := e.Value.(*bucket)
		if m.lru.Len() < m.maxKeys && !oldest.state.Fresh(now) {
			break
		}
		delete(m.keys, oldest.key)
		m.lru.Remove(e)
	}
	b := &bucket{key: key, state: NewBucketState(now)}
	m.keys[key] = m.lru.PushFront(b)
	return b
}

// bucket is one tracked key.
type bucket struct {
	key   string
	state BucketState
}

func (b *bucket) allow(l Limits, now time.Time) Decision {
	admitted := b.state.Step(l, now)
	return b.state.Decision(l, admitted)
}

// BucketState is one key's state in both windows, and the arithmetic on it. It is exported so that a
// Limiter keeping its state elsewhere (a database row, as store/postgres does) decides exactly as
// MemoryLimiter does: read the state, Step, Decision.
//
// The minute window counts in units where one request costs a minute in nanoseconds and the bucket
// refills PerMinute units per nanosecond, so a full bucket (PerMinute minutes' units) refills in exactly
// one minute whatever PerMinute is, and every step is integer arithmetic. The deficit is measured in
// these units, which do not depend on PerMinute, so a plan change keeps the requests already made.
type BucketState struct {
	Seen    int64 // the latest now seen, in Unix nanoseconds
	Deficit int64 // units missing from a full minute bucket
	Day     int64 // the UTC day (days since the Unix epoch) Count belongs to
	Count   int64 // requests admitted on Day
}

// NewBucketState returns the state of a key never seen before now.
func NewBucketState(now time.Time) BucketState {
	return BucketState{Seen: now.UnixNano(), Day: UTCDay(now)}
}

// Fresh reports whether forgetting s at now would change no decision: its minute bucket has refilled
// and its day is over.
func (s BucketState) Fresh(now time.Time) bool {
	return now.UnixNano()-s.Seen >= minuteNanos && UTCDay(now) > s.Day
}

// Step moves s to now (a now earlier than s.Seen counts as s.Seen), refilling the minute bucket and
// rolling the day over, and admits one request if both windows have room, reporting whether it did. A
// denied request changes nothing but the clock.
func (s *BucketState) Step(l Limits, now time.Time) (admitted bool) {
	nowNanos := max(now.UnixNano(), s.Seen)
	rate := int64(l.PerMinute)
	capacity := rate * minuteNanos
	if elapsed := nowNanos - s.Seen; elapsed >= minuteNanos {
		s.Deficit = 0 // and rate*elapsed, which could overflow, is never computed
	} else {
		s.Deficit = min(capacity, max(0, s.Deficit-rate*elapsed))
	}
	if nowNanos > s.Seen {
		if d := UTCDay(time.Unix(0, nowNanos)); d != s.Day {
			s.Day, s.Count = d, 0
		}
	}
	s.Seen = nowNanos
	if s.Deficit+minuteNanos <= capacity && (l.PerDay == 0 || s.Count < int64(l.PerDay)) {
		s.Deficit += minuteNanos
		s.Count++
		return true
	}
	return false
}

// Decision is the answer to the request after which the key's state is s, admitted or not (as Step
// reported). A denied request changed nothing, so its windows' room shows in s; an admitted one had
// room in both.
func (s BucketState) Decision(l Limits, admitted bool) Decision {
	now := time.Unix(0, s.Seen)
	rate := int64(l.PerMinute)
	capacity := rate * minuteNanos
	minuteOK := admitted || s.Deficit+minuteNanos <= capacity
	dayOK := admitted || l.PerDay == 0 || s.Count < int64(l.PerDay)

	perMinute := window{
		code:      CodeRateLimitExceeded,
		limit:     l.PerMinute,
		remaining: int((capacity - s.Deficit) / minuteNanos),
		reset:     now.Add(time.Duration(ceilDiv(s.Deficit, rate))),
		wait:      time.Duration(ceilDiv(max(0, s.Deficit+minuteNanos-capacity), rate)),
	}
	midnight := time.Unix((s.Day+1)*daySeconds, 0)
	perDay := window{
		code:      CodeDailyQuotaExceeded,
		limit:     l.PerDay,
		remaining: int(max(0, int64(l.PerDay)-s.Count)), // a plan downgrade can leave Count above PerDay
		reset:     midnight,
		wait:      midnight.Sub(now),
	}

	if admitted {
		w := perMinute
		if l.PerDay > 0 && perDay.remaining < perMinute.remaining {
			w = perDay
		}
		return Decision{Allowed: true, Limit: w.limit, Remaining: w.remaining, Reset: w.reset.UTC()}
	}
	w := perMinute
	if !dayOK && (minuteOK || perDay.wait > perMinute.wait) {
		w = perDay // of two denials, report the one that lasts longer: retrying earlier is pointless
	}
	return Decision{Code: w.code, Limit: w.limit, Remaining: w.remaining, Reset: w.reset.UTC(), RetryAfter: w.wait}
}

// window is one limit's view of a request.
type window struct {
	code      string
	limit     int
	remaining int
	reset     time.Time
	wait      time.Duration // until one more request fits
}

// UTCDay returns the UTC calendar day of t as days since the Unix epoch.
func UTCDay(t time.Time) int64 {
	s := t.Unix()
	d := s / daySeconds
	if s%daySeconds < 0 {
		d--
	}
	return d
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// RetryAfterSeconds rounds d up to whole seconds, at least 1: the value of the Retry-After header,
// which must never tell a client to retry before a request would be admitted, nor to retry at once.
func RetryAfterSeconds(d time.Duration) int {
	s := d / time.Second
	if d%time.Second > 0 {
		s++
	}
	return int(max(1, s))
}
