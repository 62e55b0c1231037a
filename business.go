package assetmint

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint/auth"
)

// Business is a customer of the platform; every other record belongs to one.
type Business struct {
	ID   string
	Name string
	Plan auth.Plan
	// WalletAddress is the EVM address its tokens are minted to; empty means
	// the platform's custody address. Stored EIP-55 checksummed.
	WalletAddress string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Client is an API client of a business: the client-credentials pair.
// Only hashes of secrets are kept.
type Client struct {
	ID         string
	BusinessID string
	SecretHash string
	// PreviousSecretHash keeps working until PreviousExpiresAt after a
	// rotation, so a host can roll its deployments without downtime.
	PreviousSecretHash string
	PreviousExpiresAt  time.Time
	CreatedAt          time.Time
	RevokedAt          time.Time // zero while active
}

// Active reports whether the client may authenticate.
func (c *Client) Active() bool { return c.RevokedAt.IsZero() }

// ClientCredentials is what a new or rotated client is given, once. The
// secret is not stored and cannot be shown again.
type ClientCredentials struct {
	BusinessID   string
	ClientID     string
	ClientSecret string
}

// NewBusiness is the input of CreateBusiness.
type NewBusiness struct {
	Name          string
	Plan          auth.Plan // empty means developer
	WalletAddress string    // optional
}

// BusinessUpdate changes a business; nil fields stay as they are. An empty
// WalletAddress clears it.
type BusinessUpdate struct {
	Name          *string
	Plan          *auth.Plan
	WalletAddress *string
}

func validatePlan(p auth.Plan) (auth.Plan, error) {
	if p == "" {
		return auth.PlanDeveloper, nil
	}
	if !p.Valid() {
		return "", FieldError("plan", "plan must be one of developer, business, enterprise")
	}
	return p, nil
}

// CreatedBusiness is a new business with its first client's credentials:
// what an idempotent CreateBusiness's answer is rendered from.
type CreatedBusiness struct {
	*Business
	Credentials *ClientCredentials
}

// CreateBusiness creates a business with its first API client. The
// returned secret is shown once: only its hash is stored. Under an
// idempotency key (Idempotent), the answer is rendered from a
// *CreatedBusiness.
// Errors: EINVALID.
func (o *Operator) CreateBusiness(ctx context.Context, in NewBusiness) (*Business, *ClientCredentials, error) {
	e := o.e
	name, err := validateName("name", in.Name)
	if err != nil {
		return nil, nil, err
	}
	plan, err := validatePlan(in.Plan)
	if err != nil {
		return nil, nil, err
	}
	wallet := ""
	if in.WalletAddress != "" {
		if wallet, err = NormalizeAddress("wallet_address", in.WalletAddress); err != nil {
			return nil, nil, err
		}
	}
	id, err := e.newID(PrefixBusiness)
	if err != nil {
		return nil, nil, err
	}
	now := e.now()
	b := &Business{ID: id, Name: name, Plan: plan, WalletAddress: wallet, CreatedAt: now, UpdatedAt: now}
	cb, err := commit(e, ctx, func(tx Tx) (*CreatedBusiness, error) {
		if err := tx.CreateBusiness(ctx, b); err != nil {
			return nil, err
		}
		creds, err := e.createClient(ctx, tx, b.ID)
		return &CreatedBusiness{Business: b, Credentials: creds}, err
	})
	if err != nil {
		return nil, nil, internal(err, "create business")
	}
	return cb.Business, cb.Credentials, nil
}

// Business reads a business. Errors: ENOTFOUND.
func (o *Operator) Business(ctx context.Context, id string) (*Business, error) {
	e := o.e
	b, err := e.store.Business(ctx, id)
	if err != nil {
		return nil, internal(err, "read business")
	}
	return b, nil
}

// Businesses lists businesses, newest first. Errors: EINVALID (a cursor
// must name a business: ListParams).
func (o *Operator) Businesses(ctx context.Context, p ListParams) (Page[*Business], error) {
	e := o.e
	return readPage(p, "businesses", func(p ListParams) (Page[*Business], error) { return e.store.Businesses(ctx, p) })
}

// UpdateBusiness changes a business's name, plan or wallet address. A plan
// change applies to the next request of its clients.
// Errors: EINVALID, ENOTFOUND.
func (o *Operator) UpdateBusiness(ctx context.Context, id string, u BusinessUpdate) (*Business, error) {
	e := o.e
	var b *Business
	err := e.store.InTx(ctx, func(tx Tx) error {
		var err error
		if b, err = tx.Business(ctx, id); err != nil {
			return err
		}
		if u.Name != nil {
			if b.Name, err = validateName("name", *u.Name); err != nil {
				return err
			}
		}
		if u.Plan != nil {
			if *u.Plan == "" {
				return FieldError("plan", "plan must be one of developer, business, enterprise")
			}
			if b.Plan, err = validatePlan(*u.Plan); err != nil {
				return err
			}
		}
		if u.WalletAddress != nil {
			b.WalletAddress = ""
			if *u.WalletAddress != "" {
				if b.WalletAddress, err = NormalizeAddress("wallet_address", *u.WalletAddress); err != nil {
					return err
				}
			}
		}
		b.UpdatedAt = e.now()
		return tx.UpdateBusiness(ctx, b)
	})
	if err != nil {
		return nil, internal(err, "update business")
	}
	return b, nil
}

// CreateClient adds an API client to a business. Errors: ENOTFOUND.
func (o *Operator) CreateClient(ctx context.Context, businessID string) (*ClientCredentials, error) {
	e := o.e
	creds, err := commit(e, ctx, func(tx Tx) (*ClientCredentials, error) {
		if _, err := tx.Business(ctx, businessID); err != nil {
			return nil, err
		}
		return e.createClient(ctx, tx, businessID)
	})
	if err != nil {
		return nil, internal(err, "create client")
	}
	return creds, nil
}

func (e *Engine) createClient(ctx context.Context, tx Tx, businessID string) (*ClientCredentials, error) {
	id, err := e.newID(PrefixClient)
	if err != nil {
		return nil, err
	}
	secret, err := auth.NewSecret(e.cfg.Rand)
	if err != nil {
		return nil, internal(err, "new secret")
	}
	c := &Client{ID: id, BusinessID: businessID, SecretHash: auth.HashSecret(secret), CreatedAt: e.now()}
	if err := tx.CreateClient(ctx, c); err != nil {
		return nil, err
	}
	return &ClientCredentials{BusinessID: businessID, ClientID: id, ClientSecret: secret}, nil
}

// MinClientSecretLength is the fewest characters a secret chosen by a host
// (EnsureClient) may have; generated secrets are longer.
const MinClientSecretLength = 32

// EnsureClient makes sure a client with exactly this id and secret exists,
// creating it and a business (from nb) when it does not. It is how a host
// provisions fixed credentials at start-up (the example server's
// ASSETMINT_BOOTSTRAP_* variables): an existing client gets the given secret,
// and its business the given plan when nb.Plan is set. The secret must have
// at least MinClientSecretLength characters. Instances that start together
// and ensure the same client make one client and one business: the client
// id is unique in the store, and the loser of that race ensures again.
// Errors: EINVALID.
func (o *Operator) EnsureClient(ctx context.Context, clientID, secret string, nb NewBusiness) (*Business, error) {
	e := o.e
	if clientID == "" || len(clientID) > 100 {
		return nil, FieldError("client_id", "client_id must be 1 to 100 bytes")
	}
	if secret == "" {
		return nil, FieldError("client_secret", "client_secret is required")
	}
	if utf8.RuneCountInString(secret) < MinClientSecretLength {
		return nil, FieldError("client_secret", "client_secret must be at least %d characters", MinClientSecretLength)
	}
	if nb.Plan != "" {
		if _, err := validatePlan(nb.Plan); err != nil {
			return nil, err
		}
	}
	var b *Business
	ensure := func(tx Tx) error {
		now := e.now()
		c, biz, err := tx.Client(ctx, clientID)
		switch {
		case err == nil:
			b = biz
			if !auth.SecretMatches(c.SecretHash, secret) || !c.Active() {
				c.SecretHash = auth.HashSecret(secret)
				c.PreviousSecretHash, c.PreviousExpiresAt = "", now
				c.RevokedAt = time.Time{}
				if err := tx.UpdateClient(ctx, c); err != nil {
					return err
				}
			}
			if nb.Plan != "" && b.Plan != nb.Plan {
				b.Plan, b.UpdatedAt = nb.Plan, now
				return tx.UpdateBusiness(ctx, b)
			}
			return nil
		case ErrorCode(err) != ENOTFOUND:
			return err
		}
		name, err := validateName("name", nb.Name)
		if err != nil {
			return err
		}
		plan, _ := validatePlan(nb.Plan)
		id, err := e.newID(PrefixBusiness)
		if err != nil {
			return err
		}
		b = &Business{ID: id, Name: name, Plan: plan, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateBusiness(ctx, b); err != nil {
			return err
		}
		return tx.CreateClient(ctx, &Client{ID: clientID, BusinessID: id, SecretHash: auth.HashSecret(secret), CreatedAt: now})
	}
	err := e.store.InTx(ctx, ensure)
	if ErrorCode(err) == ECONFLICT {
		// Another instance starting at the same time created the client
		// first (the client id is the table's key): its transaction won,
		// this one rolled back whole. Now the client exists, and ensuring
		// it again takes the path that finds it.
		err = e.store.InTx(ctx, ensure)
	}
	if err != nil {
		return nil, internal(err, "ensure client")
	}
	return b, nil
}

// RotateClientSecret gives a client a new secret. The old one keeps working
// for grace (0 ends it at once), so deployments can roll over.
// Errors: ENOTFOUND, ECONFLICT for a revoked client.
func (o *Operator) RotateClientSecret(ctx context.Context, clientID string, grace time.Duration) (*ClientCredentials, error) {
	e := o.e
	secret, err := auth.NewSecret(e.cfg.Rand)
	if err != nil {
		return nil, internal(err, "new secret")
	}
	var creds *ClientCredentials
	err = e.store.InTx(ctx, func(tx Tx) error {
		c, _, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		if !c.Active() {
			return Errorf(ECONFLICT, "client %s is revoked", clientID)
		}
		now := e.now()
		c.PreviousSecretHash, c.PreviousExpiresAt = c.SecretHash, now.Add(grace)
		c.SecretHash = auth.HashSecret(secret)
		creds = &ClientCredentials{BusinessID: c.BusinessID, ClientID: c.ID, ClientSecret: secret}
		return tx.UpdateClient(ctx, c)
	})
	if err != nil {
		return nil, internal(err, "rotate client secret")
	}
	return creds, nil
}

// RevokeClient disables a client at once: its secret stops working and so
// do the access tokens already issued to it. Revoking twice is not an error.
// Errors: ENOTFOUND.
func (o *Operator) RevokeClient(ctx context.Context, clientID string) error {
	e := o.e
	err := e.store.InTx(ctx, func(tx Tx) error {
		c, _, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		if !c.Active() {
			return nil
		}
		c.RevokedAt = e.now()
		return tx.UpdateClient(ctx, c)
	})
	return internalOrNil(err, "revoke client")
}

// BusinessStore keeps businesses.
type BusinessStore interface {
	// CreateBusiness inserts b. ECONFLICT if the id exists.
	CreateBusiness(ctx context.Context, b *Business) error
	// Business reads one. ENOTFOUND if absent.
	Business(ctx context.Context, id string) (*Business, error)
	// Businesses lists all, newest first (operator use).
	// ErrCursorNotFound (ENOTFOUND) if p's cursor is no business.
	Businesses(ctx context.Context, p ListParams) (Page[*Business], error)
	// UpdateBusiness writes every field of b. ENOTFOUND if absent.
	UpdateBusiness(ctx context.Context, b *Business) error
}

// ClientStore keeps API clients. Clients are looked up by id alone, at the
// token endpoint and on every authenticated request.
type ClientStore interface {
	// CreateClient inserts c. ECONFLICT if the id exists; ENOTFOUND if its
	// business does not.
	CreateClient(ctx context.Context, c *Client) error
	// Client reads one with its business. ENOTFOUND if absent.
	Client(ctx context.Context, id string) (*Client, *Business, error)
	// UpdateClient writes every field of c. ENOTFOUND if absent.
	UpdateClient(ctx context.Context, c *Client) error
}
