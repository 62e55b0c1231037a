package assetmint

import (
	"context"
	"fmt"
	"io"

	"github.com/assetmint/assetmint/internal/seal"
)

// Secrets at rest. Client secrets are kept only as hashes. The secrets the
// Engine must read back (token signing keys, webhook secrets, and the
// stored answers of idempotent requests, which may carry a new client's
// secret) are sealed with AES-256-GCM under Config.MasterKey, which is not
// in the database: the Engine wraps its store so that these values are
// sealed on their way in and opened on their way out, whatever the store.
//
// Each value is bound to its place (its kind and its row), so a sealed
// value copied into another row does not open there.

// Kinds of sealed values, as SealedStore names them.
const (
	SealedSigningKey             = "signing_key.secret"
	SealedWebhookSecret          = "webhook_endpoint.secret"
	SealedWebhookPreviousSecret  = "webhook_endpoint.previous_secret"
	SealedIdempotentAnswer       = "idempotency_key.body"
	masterKeySize                = seal.KeySize
	errMasterKeyRequiredTemplate = "assetmint: Config.MasterKey is required: %d random bytes, kept outside the database, " +
		"that encrypt signing keys, webhook secrets and stored answers at rest (see NewMasterKey and ParseMasterKey)"
)

// SealedValue is one stored secret, as ResealSecrets walks them: its kind
// (one of the Sealed* constants), the id of its row (for an idempotent
// answer, the scope and the key separated by one space) and the stored
// text, which is a sealed value, or plain text written before sealing.
type SealedValue struct {
	Kind  string
	ID    string
	Value string
}

// SealedStore lets ResealSecrets re-seal every stored secret under a new
// master key. Empty values (no previous webhook secret, an answer not yet
// stored) are not listed.
type SealedStore interface {
	// SealedValues lists up to limit stored secrets in (Kind, ID) order,
	// after the one named by after (the zero value starts at the first).
	SealedValues(ctx context.Context, after SealedValue, limit int) ([]SealedValue, error)
	// ReplaceSealedValue writes value in place of the secret v names, only
	// where the stored text is still v.Value, so a secret changed meanwhile
	// (a rotation) is left alone. ECONFLICT if it changed, ENOTFOUND if
	// its row is gone.
	ReplaceSealedValue(ctx context.Context, v SealedValue, value string) error
}

// NewMasterKey returns a new master key read from rand (crypto/rand.Reader
// in production).
func NewMasterKey(rand io.Reader) ([]byte, error) { return seal.NewKey(rand) }

// ParseMasterKey reads a master key written as 64 hex digits or as base64
// of 32 bytes, the forms ASSETMINT_MASTER_KEY takes.
func ParseMasterKey(s string) ([]byte, error) { return seal.ParseKey(s) }

// MasterKeyID names a master key without revealing it (8 hex digits), for
// logs and for telling which key sealed what.
func MasterKeyID(key []byte) string { return seal.KeyID(key) }

func place(kind, id string) string { return kind + ":" + id }

// sealText seals s for its place; the empty string stays empty.
func sealText(ring *seal.Keyring, s, kind, id string) (string, error) {
	if s == "" {
		return "", nil
	}
	v, err := ring.Seal([]byte(s), place(kind, id))
	if err != nil {
		return "", internal(err, "seal "+kind)
	}
	return v, nil
}

// openText opens a stored secret. Text that is not a sealed value was
// written before sealing and is returned as it is; ResealSecrets seals it.
func openText(ring *seal.Keyring, s, kind, id string) (string, error) {
	if s == "" || !seal.IsSealed(s) {
		return s, nil
	}
	b, err := ring.Open(s, place(kind, id))
	if err != nil {
		return "", internal(err, "open "+kind+" of "+id)
	}
	return string(b), nil
}

// sealingStore is the Engine's view of its store: secrets are sealed on
// every write and opened on every read (sealingTx does the same inside a
// transaction).
type sealingStore struct {
	Store
	ring *seal.Keyring
}

func (s sealingStore) tx() sealingTx { return sealingTx{Tx: s.Store, ring: s.ring} }

func (s sealingStore) InTx(ctx context.Context, fn func(tx Tx) error) error {
	return s.Store.InTx(ctx, func(tx Tx) error { return fn(sealingTx{Tx: tx, ring: s.ring}) })
}

func (s sealingStore) CreateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error {
	return s.tx().CreateWebhookEndpoint(ctx, w)
}

func (s sealingStore) UpdateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error {
	return s.tx().UpdateWebhookEndpoint(ctx, w)
}

func (s sealingStore) WebhookEndpoint(ctx context.Context, businessID, id string) (*WebhookEndpoint, error) {
	return s.tx().WebhookEndpoint(ctx, businessID, id)
}

func (s sealingStore) WebhookEndpoints(ctx context.Context, businessID string, p ListParams) (Page[*WebhookEndpoint], error) {
	return s.tx().WebhookEndpoints(ctx, businessID, p)
}

func (s sealingStore) EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*WebhookEndpoint, error) {
	return s.tx().EnabledWebhookEndpoints(ctx, businessID)
}

func (s sealingStore) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	keys, err := s.Store.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	for i := range keys {
		if !seal.IsSealed(string(keys[i].Secret)) {
			continue // written before sealing; ResealSecrets seals it
		}
		b, err := s.ring.Open(string(keys[i].Secret), place(SealedSigningKey, keys[i].ID))
		if err != nil {
			return nil, internal(err, "open signing key "+keys[i].ID)
		}
		keys[i].Secret = b
	}
	return keys, nil
}

func (s sealingStore) AddSigningKey(ctx context.Context, k SigningKey) error {
	v, err := s.ring.Seal(k.Secret, place(SealedSigningKey, k.ID))
	if err != nil {
		return internal(err, "seal signing key")
	}
	k.Secret = []byte(v)
	return s.Store.AddSigningKey(ctx, k)
}

// sealingTx seals webhook secrets inside a transaction.
type sealingTx struct {
	Tx
	ring *seal.Keyring
}

// sealed returns a copy of w with its secrets sealed; w is left as it is.
func (t sealingTx) sealed(w *WebhookEndpoint) (*WebhookEndpoint, error) {
	c := *w
	var err error
	if c.Secret, err = sealText(t.ring, w.Secret, SealedWebhookSecret, w.ID); err != nil {
		return nil, err
	}
	if c.PreviousSecret, err = sealText(t.ring, w.PreviousSecret, SealedWebhookPreviousSecret, w.ID); err != nil {
		return nil, err
	}
	return &c, nil
}

// open opens w's secrets in place.
func (t sealingTx) open(w *WebhookEndpoint) error {
	var err error
	if w.Secret, err = openText(t.ring, w.Secret, SealedWebhookSecret, w.ID); err != nil {
		return err
	}
	w.PreviousSecret, err = openText(t.ring, w.PreviousSecret, SealedWebhookPreviousSecret, w.ID)
	return err
}

func (t sealingTx) openAll(ws []*WebhookEndpoint) error {
	for _, w := range ws {
		if err := t.open(w); err != nil {
			return err
		}
	}
	return nil
}

func (t sealingTx) CreateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error {
	c, err := t.sealed(w)
	if err != nil {
		return err
	}
	return t.Tx.CreateWebhookEndpoint(ctx, c)
}

func (t sealingTx) UpdateWebhookEndpoint(ctx context.Context, w *WebhookEndpoint) error {
	c, err := t.sealed(w)
	if err != nil {
		return err
	}
	return t.Tx.UpdateWebhookEndpoint(ctx, c)
}

func (t sealingTx) WebhookEndpoint(ctx context.Context, businessID, id string) (*WebhookEndpoint, error) {
	w, err := t.Tx.WebhookEndpoint(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	return w, t.open(w)
}

func (t sealingTx) WebhookEndpoints(ctx context.Context, businessID string, p ListParams) (Page[*WebhookEndpoint], error) {
	page, err := t.Tx.WebhookEndpoints(ctx, businessID, p)
	if err != nil {
		return page, err
	}
	return page, t.openAll(page.Items)
}

func (t sealingTx) EnabledWebhookEndpoints(ctx context.Context, businessID string) ([]*WebhookEndpoint, error) {
	ws, err := t.Tx.EnabledWebhookEndpoints(ctx, businessID)
	if err != nil {
		return nil, err
	}
	return ws, t.openAll(ws)
}

// ResealSecrets seals every stored secret under the current master key:
// those sealed under a previous key (Config.PreviousMasterKeys) and those
// written in plain text before sealing existed. It returns how many it
// re-sealed; running it again re-seals nothing.
//
// To rotate the master key: start every instance with the new key as
// MasterKey and the old one in PreviousMasterKeys (they then open both and
// seal with the new one), call ResealSecrets once, then drop the old key.
// The example server calls it at every start.
// Errors: EINTERNAL, also for a secret no key opens.
func (o *Operator) ResealSecrets(ctx context.Context) (int, error) {
	e := o.e
	ss, ok := e.raw.(SealedStore)
	if !ok {
		return 0, Errorf(EINTERNAL, "the store cannot list its sealed values (it does not implement SealedStore)")
	}
	n := 0
	var after SealedValue
	for {
		batch, err := ss.SealedValues(ctx, after, 100)
		if err != nil {
			return n, internal(err, "list sealed values")
		}
		for _, v := range batch {
			after = v
			if e.ring.SealedWithCurrent(v.Value) {
				continue
			}
			plain := []byte(v.Value)
			if seal.IsSealed(v.Value) {
				if plain, err = e.ring.Open(v.Value, place(v.Kind, v.ID)); err != nil {
					return n, internal(err, fmt.Sprintf("open %s of %s", v.Kind, v.ID))
				}
			}
			resealed, err := e.ring.Seal(plain, place(v.Kind, v.ID))
			if err != nil {
				return n, internal(err, "seal")
			}
			switch err := ss.ReplaceSealedValue(ctx, v, resealed); ErrorCode(err) {
			case "":
				n++
			case ECONFLICT, ENOTFOUND:
				// Changed or gone meanwhile: what is there now was
				// written by the Engine, so it is sealed already.
			default:
				return n, internal(err, "replace sealed value")
			}
		}
		if len(batch) < 100 {
			return n, nil
		}
	}
}
