package assetmint

import (
	"context"
	"errors"
	"time"
)

// Idempotency keys. A caller that may retry a use case (an HTTP client
// after a timeout, a payment rail after a crash) sends a key with it. The
// Engine reserves the key before the use case runs, and the use case
// stores its answer under the key in the same transaction as its effect:
// the effect and its answer commit together or not at all. A crash at any
// point therefore leaves either a stored answer, which a retry gets back
// without running anything, or no effect and a reservation whose lock
// lapses (Config.IdempotencyLock), after which a retry runs the use case
// as if for the first time.
//
// What keeps this true with several instances on one store: the
// reservation is one atomic write on the key's row; the answer is stored
// by a conditional update that matches only while the reservation is still
// this call's (same lock time, no answer yet), inside the effect's
// transaction. A call that outlived its lock and lost the key to a retry
// fails that update, so its effect rolls back; the retry's effect is the
// only one.

// Sentinels of idempotency keys; each travels wrapped in an *Error with
// code ECONFLICT.
var (
	// ErrIdempotencyKeyReused: the key was used with another request.
	ErrIdempotencyKeyReused = errors.New("idempotency key reused for another request")
	// ErrIdempotencyKeyInUse: a call with the key is still running.
	ErrIdempotencyKeyInUse = errors.New("idempotency key in use")
)

// MaxIdempotencyKeyLen bounds an idempotency key.
const MaxIdempotencyKeyLen = 255

// IdempotencyKey names one call for Idempotent.
type IdempotencyKey struct {
	// Scope is whose key it is: a business id, or "operator". Keys of
	// different scopes never meet.
	Scope string
	// Key is the caller's key: 1 to MaxIdempotencyKeyLen printable bytes.
	Key string
	// Fingerprint says what the call was (the HTTP layer hashes method,
	// path and body); the same key with another fingerprint is refused.
	Fingerprint string
}

// Answer is what a call answered, as stored for its retries.
type Answer struct {
	Status int
	Body   []byte
}

// Render turns a use case's result into the Answer stored for its
// retries. It runs inside the use case's transaction, so it must do no
// I/O.
type Render func(result any) (Answer, error)

// reservation is a key held by one call, carried in its context to the
// transaction that stores the answer.
type reservation struct {
	held   IdempotencyRecord
	render Render
	answer *Answer // stored, once the transaction that stored it committed
}

type reservationKey struct{}

func reservationOf(ctx context.Context) *reservation {
	r, _ := ctx.Value(reservationKey{}).(*reservation)
	return r
}

// Idempotent runs call at most once per key. The first call with a key
// reserves it and runs call with a context that makes the use case it
// calls store render's answer in the use case's own transaction; that
// answer is returned. A later call with the key and the same fingerprint
// gets the stored answer back (replayed true) and runs nothing. A call that
// fails stores nothing and frees the key, so it may be retried with it.
//
// call must run one of the Engine's use cases with the context it is
// given; its result is what render is given. Idempotent use cases: every
// use case behind a POST of the HTTP API.
//
// Errors: EINVALID (param Idempotency-Key) for a malformed key; ECONFLICT
// wrapping ErrIdempotencyKeyReused for the key used with another
// fingerprint, or ErrIdempotencyKeyInUse while another call with it runs;
// else call's error.
func (e *Engine) Idempotent(ctx context.Context, k IdempotencyKey, render Render, call func(ctx context.Context) (any, error)) (a Answer, replayed bool, err error) {
	if err := validateIdempotencyKey(k.Key); err != nil {
		return Answer{}, false, err
	}
	now := e.now()
	held := IdempotencyRecord{Scope: k.Scope, Key: k.Key, RequestHash: k.Fingerprint,
		LockedUntil: now.Add(e.cfg.IdempotencyLock), CreatedAt: now}
	prev, err := e.store.ReserveIdempotencyKey(ctx, held, now, now.Add(-e.cfg.IdempotencyTTL))
	if err != nil {
		return Answer{}, false, internal(err, "reserve idempotency key")
	}
	if prev != nil {
		switch {
		case prev.RequestHash != k.Fingerprint:
			return Answer{}, false, &Error{Code: ECONFLICT, Err: ErrIdempotencyKeyReused,
				Message: "this Idempotency-Key was used with a different request; use a new key for a new request"}
		case !prev.Complete():
			return Answer{}, false, errKeyInUse
		}
		body, err := openText(e.ring, string(prev.Body), SealedIdempotentAnswer, idempotencyID(k.Scope, k.Key))
		if err != nil {
			return Answer{}, false, err
		}
		return Answer{Status: prev.Status, Body: []byte(body)}, true, nil
	}

	res := &reservation{held: held, render: render}
	result, err := call(context.WithValue(ctx, reservationKey{}, res))
	// The caller's context may be cancelled by now; the key must still be
	// freed or completed.
	bg := context.WithoutCancel(ctx)
	if err != nil {
		if rerr := e.store.ReleaseIdempotencyKey(bg, held); rerr != nil {
			e.log.ErrorContext(ctx, "idempotency: free key", "err", rerr, "scope", k.Scope)
		}
		return Answer{}, false, err
	}
	if res.answer != nil {
		return *res.answer, false, nil
	}
	// The use case changed nothing (it stored no answer because it wrote
	// nothing), so storing the answer now cannot double an effect.
	a, err = render(result)
	if err != nil {
		return Answer{}, false, internal(err, "render answer")
	}
	sealed, err := sealText(e.ring, string(a.Body), SealedIdempotentAnswer, idempotencyID(k.Scope, k.Key))
	if err != nil {
		return Answer{}, false, err
	}
	if err := e.store.InTx(bg, func(tx Tx) error {
		return tx.CompleteIdempotencyKey(bg, held, a.Status, []byte(sealed))
	}); err != nil {
		e.log.ErrorContext(ctx, "idempotency: store answer", "err", err, "scope", k.Scope)
	}
	return a, false, nil
}

var errKeyInUse = &Error{Code: ECONFLICT, Err: ErrIdempotencyKeyInUse,
	Message: "a request with this Idempotency-Key is still in progress; retry later"}

func validateIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKeyLen {
		return FieldError("Idempotency-Key", "the Idempotency-Key header must be 1 to %d characters", MaxIdempotencyKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c > 0x7e {
			return FieldError("Idempotency-Key", "the Idempotency-Key header must be printable ASCII")
		}
	}
	return nil
}

// idempotencyID is a key's row id for sealing its answer.
func idempotencyID(scope, key string) string { return scope + " " + key }

// commit runs fn in one transaction of the store and returns its result.
// When ctx carries a reserved idempotency key, the answer rendered from the
// result is stored under the key in the same transaction: the use case's
// effect and its answer commit together. Every use case that writes goes
// through commit.
func commit[T any](e *Engine, ctx context.Context, fn func(tx Tx) (T, error)) (T, error) {
	var out T
	res := reservationOf(ctx)
	if res != nil && res.answer != nil {
		res = nil // a call that already stored its answer stores nothing more
	}
	var stored *Answer
	err := e.store.InTx(ctx, func(tx Tx) error {
		v, err := fn(tx)
		if err != nil {
			return err
		}
		out = v
		if res == nil {
			return nil
		}
		a, err := res.render(v)
		if err != nil {
			return internal(err, "render answer")
		}
		sealed, err := sealText(e.ring, string(a.Body), SealedIdempotentAnswer, idempotencyID(res.held.Scope, res.held.Key))
		if err != nil {
			return err
		}
		if err := tx.CompleteIdempotencyKey(ctx, res.held, a.Status, []byte(sealed)); err != nil {
			if ErrorCode(err) == ECONFLICT {
				// The lock lapsed and a retry took the key over: this
				// call's effect rolls back, the retry's is the one.
				return errKeyInUse
			}
			return err
		}
		stored = &a
		return nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	if stored != nil {
		res.answer = stored
	}
	return out, nil
}

// IdempotencyRecord remembers one Idempotency-Key of one caller.
type IdempotencyRecord struct {
	Scope       string // the business id, or "operator"
	Key         string
	RequestHash string    // what the request was: method, path, body
	LockedUntil time.Time // while in flight; a crashed request's lock expires
	Status      int       // the stored answer's status, once complete (0 before)
	Body        []byte    // the stored answer, sealed by the Engine
	CreatedAt   time.Time
}

// Complete reports whether the record holds a response to replay.
func (r *IdempotencyRecord) Complete() bool { return r.Status != 0 }

// IdempotencyStore keeps the idempotency keys of calls (Engine.Idempotent),
// so a retried call is answered from the first one's result. Each method is
// one atomic statement on the key's row (or one transaction), which is what
// keeps a key to one call across instances.
type IdempotencyStore interface {
	// ReserveIdempotencyKey claims (rec.Scope, rec.Key) for a request in
	// flight until rec.LockedUntil. If the key is free, expired (created
	// before notBefore) or its lock lapsed, it is claimed and nil returned;
	// otherwise the existing record is returned unchanged.
	ReserveIdempotencyKey(ctx context.Context, rec IdempotencyRecord, now, notBefore time.Time) (*IdempotencyRecord, error)
	// ReleaseIdempotencyKey frees the reservation held without a response,
	// so the request may be retried with its key. A reservation no longer
	// held is left alone.
	ReleaseIdempotencyKey(ctx context.Context, held IdempotencyRecord) error
	// PruneIdempotencyKeys deletes records created before createdBefore and
	// returns how many.
	PruneIdempotencyKeys(ctx context.Context, createdBefore time.Time) (int, error)
}

// IdempotencyAnswerStore stores a call's answer inside the transaction of
// the call's effect.
type IdempotencyAnswerStore interface {
	// CompleteIdempotencyKey stores the answer of the reservation held
	// (Scope, Key and the LockedUntil it was reserved with), as a
	// conditional update of the key's row: it matches only while that
	// reservation is still held and has no answer. ECONFLICT if it is no
	// longer held (its lock lapsed and another call took the key over, or
	// it is complete), so a call that outlived its lock cannot commit its
	// effect beside its retry's; ENOTFOUND if the key is absent. A store
	// with row locks takes the row's lock here, which serializes a
	// completion against a concurrent take-over.
	CompleteIdempotencyKey(ctx context.Context, held IdempotencyRecord, status int, body []byte) error
}
