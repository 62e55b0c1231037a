package assetmint

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/assetmint/assetmint/auth"
)

// Principal is who an authenticated request acts for.
type Principal struct {
	ClientID   string
	BusinessID string
	Plan       auth.Plan
	// Limits are the plan's rate limits, from Config.Plans.
	Limits auth.Limits
}

// AccessToken is a bearer token issued to a client.
type AccessToken struct {
	Token     string
	ExpiresIn time.Duration
}

// SigningKey is an HS256 key for access tokens; the newest signs, all
// verify. Kept in the store so that every instance shares them.
type SigningKey struct {
	ID        string // the JWT kid
	Secret    []byte
	CreatedAt time.Time
}

// SigningKeyStore keeps token signing keys.
type SigningKeyStore interface {
	// SigningKeys lists all keys, newest first.
	SigningKeys(ctx context.Context) ([]SigningKey, error)
	// AddSigningKey inserts k. ECONFLICT if the id exists.
	AddSigningKey(ctx context.Context, k SigningKey) error
	// DeleteSigningKey removes a key; tokens it signed stop verifying.
	// ENOTFOUND if absent.
	DeleteSigningKey(ctx context.Context, id string) error
}

// keyRefresh is how stale the cached signing keys may get before they are
// reread, so a key added by another instance is picked up.
const keyRefresh = time.Minute

// dummyHash is compared against when a client id is unknown, so the time
// the token endpoint takes does not tell which client ids exist.
var dummyHash = auth.HashSecret("assetmint-no-such-client")

// IssueToken exchanges client credentials for an access token.
// Errors: EUNAUTHORIZED wrapping ErrInvalidClient for an unknown client,
// wrong secret or revoked client (one answer for all three).
func (e *Engine) IssueToken(ctx context.Context, clientID, secret string) (AccessToken, error) {
	invalid := &Error{Code: EUNAUTHORIZED, Message: "Client authentication failed", Err: ErrInvalidClient}
	if clientID == "" || secret == "" {
		return AccessToken{}, invalid
	}
	c, _, err := e.store.Client(ctx, clientID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			auth.SecretMatches(dummyHash, secret)
			return AccessToken{}, invalid
		}
		return AccessToken{}, internal(err, "read client")
	}
	now := e.now()
	ok := auth.SecretMatches(c.SecretHash, secret)
	if !ok && c.PreviousSecretHash != "" && now.Before(c.PreviousExpiresAt) {
		ok = auth.SecretMatches(c.PreviousSecretHash, secret)
	}
	if !ok || !c.Active() {
		return AccessToken{}, invalid
	}
	tokens, err := e.signer(ctx, false, e.principalEpoch(ctx))
	if err != nil {
		return AccessToken{}, err
	}
	tok, _, err := tokens.Issue(c.ID)
	if err != nil {
		return AccessToken{}, internal(err, "issue token")
	}
	return AccessToken{Token: tok, ExpiresIn: tokens.TTL()}, nil
}

// Authenticate checks a bearer token and returns who it acts for.
// Revocation and plan changes apply at once: the client is read on every
// call, unless the store is a PrincipalWatcher, whose epoch tells when a
// principal read earlier may be reused (principals.go). Errors:
// EUNAUTHORIZED wrapping ErrInvalidToken (and the auth package's sentinel
// saying why).
func (e *Engine) Authenticate(ctx context.Context, token string) (Principal, error) {
	// Read before the keys and the client: a change that commits after
	// this moves the epoch, so what is read now is never served after it.
	ep := e.principalEpoch(ctx)
	cached := ep.ok
	tokens, err := e.signer(ctx, false, ep)
	if err != nil {
		return Principal{}, err
	}
	claims, err := tokens.Verify(token)
	if errors.Is(err, auth.ErrTokenInvalid) {
		// Perhaps signed with a key another instance just added.
		if fresh, ferr := e.signer(ctx, true, ep); ferr == nil && fresh != tokens {
			claims, err = fresh.Verify(token)
		}
	}
	if err != nil {
		msg := "The access token is invalid"
		if errors.Is(err, auth.ErrTokenExpired) {
			msg = "The access token expired"
		}
		return Principal{}, &Error{Code: EUNAUTHORIZED, Message: msg, Err: fmt.Errorf("%w: %w", ErrInvalidToken, err)}
	}
	if cached {
		if p, ok := e.principals.get(claims.Subject, ep.n); ok {
			return p, nil
		}
	}
	c, b, err := e.store.Client(ctx, claims.Subject)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Principal{}, &Error{Code: EUNAUTHORIZED, Message: "The access token is invalid", Err: ErrInvalidToken}
		}
		return Principal{}, internal(err, "read client")
	}
	if !c.Active() {
		return Principal{}, &Error{Code: EUNAUTHORIZED, Message: "The client of this access token was revoked", Err: ErrInvalidToken}
	}
	p := Principal{ClientID: c.ID, BusinessID: b.ID, Plan: b.Plan, Limits: e.cfg.Plans.Of(b.Plan)}
	if cached {
		e.principals.put(p, ep.n)
	}
	return p, nil
}

// RotateSigningKey adds a new token signing key, which signs from now on;
// older keys keep verifying until removed with the store's
// DeleteSigningKey after the token TTL has passed.
func (o *Operator) RotateSigningKey(ctx context.Context) error {
	e := o.e
	if _, err := e.addSigningKey(ctx); err != nil {
		return err
	}
	e.keysMu.Lock()
	e.keysLoaded = time.Time{}
	e.keysMu.Unlock()
	_, err := e.signer(ctx, false, e.principalEpoch(ctx))
	return err
}

// epoch is a store's PrincipalEpoch; ok is false without a watcher.
type epoch struct {
	n  uint64
	ok bool
}

// principalEpoch reads the store's PrincipalEpoch, once per request.
func (e *Engine) principalEpoch(ctx context.Context) epoch {
	if e.watcher == nil {
		return epoch{}
	}
	n, ok := e.watcher.PrincipalEpoch(ctx)
	return epoch{n, ok}
}

// signer returns the token signer over the stored keys, creating the first
// key when there is none. It rereads the keys when forced (at most once per
// second), when the cached set is older than keyRefresh, or when ep (read
// before this call) is not the epoch they were read at.
func (e *Engine) signer(ctx context.Context, force bool, ep epoch) (*auth.Tokens, error) {
	e.keysMu.Lock()
	defer e.keysMu.Unlock()
	now := e.cfg.Now()
	age := now.Sub(e.keysLoaded)
	// A key added or deleted anywhere moves a watching store's epoch:
	// the keys are read again at once instead of after keyRefresh.
	fresh := !ep.ok || ep.n == e.keysEpoch
	if e.tokens != nil && fresh && age < keyRefresh && (!force || age < time.Second) {
		return e.tokens, nil
	}
	keys, err := e.store.SigningKeys(ctx)
	if err != nil {
		return nil, internal(err, "read signing keys")
	}
	if len(keys) == 0 {
		k, err := e.addSigningKey(ctx)
		if err != nil {
			return nil, err
		}
		keys = []SigningKey{k}
	}
	ak := make([]auth.Key, len(keys))
	for i, k := range keys {
		ak[i] = auth.Key{ID: k.ID, Secret: k.Secret}
	}
	t, err := auth.NewTokens(ak, e.cfg.Tokens)
	if err != nil {
		return nil, internal(err, "token signer")
	}
	// Under keysMu, these keys were read after any earlier reload, so
	// they are at least as fresh as the epoch that one was tagged with.
	e.tokens, e.keysLoaded, e.keysEpoch = t, now, max(e.keysEpoch, ep.n)
	return t, nil
}

func (e *Engine) addSigningKey(ctx context.Context) (SigningKey, error) {
	id, err := e.newID(PrefixSigningKey)
	if err != nil {
		return SigningKey{}, err
	}
	k := SigningKey{ID: id, Secret: make([]byte, 32), CreatedAt: e.now()}
	if _, err := io.ReadFull(e.cfg.Rand, k.Secret); err != nil {
		return SigningKey{}, internal(err, "new signing key")
	}
	if err := e.store.AddSigningKey(ctx, k); err != nil {
		return SigningKey{}, internal(err, "add signing key")
	}
	return k, nil
}

// OperatorSession is a signed-in session of an operator, such as the
// operator console's. Its token goes to the operator's browser once; only
// the token's SHA-256 is stored, as the session's id, so the store cannot
// hand a session out.
type OperatorSession struct {
	ID        string // hex SHA-256 of the session's token
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OperatorSessionStore keeps operator sessions in the store, so that every
// instance knows them and ending one ends it everywhere.
type OperatorSessionStore interface {
	// CreateOperatorSession inserts s. ECONFLICT if the id exists.
	CreateOperatorSession(ctx context.Context, s *OperatorSession) error
	// OperatorSession reads a session, expired or not. ENOTFOUND if
	// absent.
	OperatorSession(ctx context.Context, id string) (*OperatorSession, error)
	// DeleteOperatorSession deletes a session; deleting one that is absent
	// is not an error.
	DeleteOperatorSession(ctx context.Context, id string) error
	// PruneOperatorSessions deletes the sessions that expired before
	// expiredBefore and returns how many.
	PruneOperatorSessions(ctx context.Context, expiredBefore time.Time) (int, error)
}

// ErrInvalidSession (EUNAUTHORIZED): an operator session token that is
// unknown, ended or expired.
var ErrInvalidSession = errors.New("invalid operator session")

// StartSession starts an operator session that lasts ttl and returns its
// token, which nothing stores: the caller hands it to the operator (the
// console sets it in a cookie). The caller has authenticated the operator
// (the console checks the operator token). Errors: EINVALID for a ttl that
// is not positive.
func (o *Operator) StartSession(ctx context.Context, ttl time.Duration) (string, *OperatorSession, error) {
	e := o.e
	if ttl <= 0 {
		return "", nil, FieldError("ttl", "a session must last a positive time")
	}
	raw := make([]byte, 32)
	e.randMu.Lock()
	_, err := io.ReadFull(e.cfg.Rand, raw)
	e.randMu.Unlock()
	if err != nil {
		return "", nil, internal(err, "new session token")
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := e.now()
	s := &OperatorSession{ID: sessionID(token), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := e.store.CreateOperatorSession(ctx, s); err != nil {
		return "", nil, internal(err, "create session")
	}
	return token, s, nil
}

// Session returns the live session of a token StartSession returned.
// Errors: EUNAUTHORIZED wrapping ErrInvalidSession when the token is
// unknown, its session ended or expired.
func (o *Operator) Session(ctx context.Context, token string) (*OperatorSession, error) {
	e := o.e
	invalid := &Error{Code: EUNAUTHORIZED, Message: "The session is unknown, ended or expired: sign in again", Err: ErrInvalidSession}
	if token == "" || len(token) > 200 {
		return nil, invalid
	}
	s, err := e.store.OperatorSession(ctx, sessionID(token))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, invalid
	case err != nil:
		return nil, internal(err, "read session")
	case !e.now().Before(s.ExpiresAt):
		return nil, invalid
	}
	return s, nil
}

// EndSession ends the session of a token, for every instance; ending an
// unknown or ended session is not an error. Errors: EINTERNAL only.
func (o *Operator) EndSession(ctx context.Context, token string) error {
	if token == "" || len(token) > 200 {
		return nil
	}
	return internalOrNil(o.e.store.DeleteOperatorSession(ctx, sessionID(token)), "end session")
}

// sessionID is the stored id of a session token: its hex SHA-256.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
