package assetmint

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// AssetType is the kind of real-world asset.
type AssetType string

const (
	AssetEquipment            AssetType = "equipment"
	AssetVehicle              AssetType = "vehicle"
	AssetRealEstate           AssetType = "real_estate"
	AssetInventory            AssetType = "inventory"
	AssetReceivables          AssetType = "receivables"
	AssetIntellectualProperty AssetType = "intellectual_property"
	AssetCommodity            AssetType = "commodity"
	AssetArt                  AssetType = "art"
)

// AssetTypes returns every valid AssetType, in the API's order.
func AssetTypes() []AssetType {
	return []AssetType{AssetEquipment, AssetVehicle, AssetRealEstate, AssetInventory,
		AssetReceivables, AssetIntellectualProperty, AssetCommodity, AssetArt}
}

// Valid reports whether t is one of the asset types above.
func (t AssetType) Valid() bool {
	switch t {
	case AssetEquipment, AssetVehicle, AssetRealEstate, AssetInventory,
		AssetReceivables, AssetIntellectualProperty, AssetCommodity, AssetArt:
		return true
	}
	return false
}

// AssetStatus is where an asset is in its lifecycle:
// pending_valuation -> valued -> verified -> tokenized -> pledged ->
// (tokenized | liquidated); also rejected.
type AssetStatus string

const (
	AssetPendingValuation AssetStatus = "pending_valuation"
	AssetValued           AssetStatus = "valued"
	AssetVerified         AssetStatus = "verified"
	AssetTokenized        AssetStatus = "tokenized"
	AssetPledged          AssetStatus = "pledged"
	AssetLiquidated       AssetStatus = "liquidated"
	AssetRejected         AssetStatus = "rejected"
)

// AssetStatuses returns every AssetStatus, in lifecycle order.
func AssetStatuses() []AssetStatus {
	return []AssetStatus{AssetPendingValuation, AssetValued, AssetVerified, AssetTokenized, AssetPledged, AssetLiquidated, AssetRejected}
}

// Valid reports whether s is one of the asset statuses above.
func (s AssetStatus) Valid() bool {
	switch s {
	case AssetPendingValuation, AssetValued, AssetVerified, AssetTokenized, AssetPledged, AssetLiquidated, AssetRejected:
		return true
	}
	return false
}

// onChain reports whether the asset has a token.
func (s AssetStatus) onChain() bool {
	return s == AssetTokenized || s == AssetPledged || s == AssetLiquidated
}

// frozen reports whether the facts the asset's valuation rests on can no
// longer change: once it is on chain, or once an operator rejected it (an
// operator's rejection sticks; the business submits a new asset instead).
func (s AssetStatus) frozen() bool { return s.onChain() || s == AssetRejected }

// Asset is a real-world asset a business submitted.
type Asset struct {
	ID             string
	BusinessID     string
	Name           string
	Type           AssetType
	Description    string
	EstimatedValue decimal.Decimal // the business's declared value
	Currency       string          // ISO 4217, upper case
	// Metadata is the business's own key-value data, opaque to AssetMint.
	// Numbers are json.Number so they round-trip exactly.
	Metadata map[string]any
	Status   AssetStatus
	// Revision counts the changes to what the asset's valuation reads; a
	// valuation job values one revision and leaves the status alone when a
	// later one overtook it.
	Revision  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AssetFilter narrows a list of assets; the zero value lists all.
type AssetFilter struct {
	Status AssetStatus
}

func (f AssetFilter) validate() error {
	if f.Status != "" && !f.Status.Valid() {
		return FieldError("status", "status must be one of pending_valuation, valued, verified, tokenized, pledged, liquidated, rejected")
	}
	return nil
}

// NewAsset is the input of SubmitAsset.
type NewAsset struct {
	Name           string
	Type           AssetType
	Description    string
	EstimatedValue decimal.Decimal
	Currency       string // empty means USD
	Metadata       map[string]any
}

// AssetUpdate changes an asset; nil fields stay as they are. Metadata is
// merged: a key set to nil is removed.
type AssetUpdate struct {
	Name           *string
	Description    *string
	EstimatedValue *decimal.Decimal
	Metadata       map[string]any
	// DetachDocuments are ids of the asset's documents that no longer
	// count as its evidence.
	DetachDocuments []string
}

func (in NewAsset) validate() (NewAsset, error) {
	var err error
	if in.Name, err = validateName("name", in.Name); err != nil {
		return in, err
	}
	if in.Type == "" {
		return in, FieldError("type", "type is required")
	}
	if !in.Type.Valid() {
		return in, FieldError("type", "type must be one of equipment, vehicle, real_estate, inventory, receivables, intellectual_property, commodity, art")
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return in, err
	}
	if err := ValidateMoney("estimated_value", in.EstimatedValue); err != nil {
		return in, err
	}
	if in.Currency, err = validateCurrency(in.Currency); err != nil {
		return in, err
	}
	if in.Metadata == nil {
		in.Metadata = map[string]any{}
	}
	return in, validateMetadata(in.Metadata)
}

// SubmitAsset records an asset for valuation, status pending_valuation, and
// emits asset.submitted in the same transaction.
// Errors: EINVALID naming the field.
func (e *Engine) SubmitAsset(ctx context.Context, businessID string, in NewAsset) (*Asset, error) {
	in, err := in.validate()
	if err != nil {
		return nil, err
	}
	id, err := e.newID(PrefixAsset)
	if err != nil {
		return nil, err
	}
	now := e.now()
	a := &Asset{
		ID: id, BusinessID: businessID, Name: in.Name, Type: in.Type, Description: in.Description,
		EstimatedValue: in.EstimatedValue, Currency: in.Currency, Metadata: in.Metadata,
		Status: AssetPendingValuation, CreatedAt: now, UpdatedAt: now,
	}
	a, err = commit(e, ctx, func(tx Tx) (*Asset, error) {
		if err := tx.CreateAsset(ctx, a); err != nil {
			return nil, err
		}
		if err := e.enqueueValuation(ctx, tx, a); err != nil {
			return nil, err
		}
		return a, e.emit(ctx, tx, businessID, AssetSubmittedEventData{
			AssetID: a.ID, Name: a.Name, Type: a.Type, Status: a.Status,
			EstimatedValue: Number(a.EstimatedValue), Currency: a.Currency,
		})
	})
	if err != nil {
		return nil, internal(err, "submit asset")
	}
	return a, nil
}

// AssetDetails is an asset with what its detail shows: its attached
// documents, oldest first, and its latest valuation (nil until valued).
type AssetDetails struct {
	*Asset
	Documents []*Document
	Valuation *Valuation
	// Version moves with every change to what the detail shows (the
	// asset's row, a document attached or detached, a valuation added), in
	// the change's own statement, when the store is an AssetDetailsReader;
	// it is 0 otherwise. httpapi keeps encoded details by it.
	Version int64
}

// assetDetails reads an asset's documents and latest valuation through r
// (the store, or a transaction).
func assetDetails(ctx context.Context, r Tx, a *Asset) (*AssetDetails, error) {
	docs, err := r.AssetDocuments(ctx, a.BusinessID, a.ID)
	if err != nil {
		return nil, err
	}
	d := &AssetDetails{Asset: a, Documents: attached(docs)}
	v, err := r.LatestValuation(ctx, a.BusinessID, a.ID)
	switch {
	case err == nil:
		d.Valuation = v
	case ErrorCode(err) != ENOTFOUND:
		return nil, err
	}
	return d, nil
}

// AssetDetailsReader is an optional capability of a Store: an asset with
// its attached documents and its latest valuation read in one statement, one
// round trip instead of the three reads of a read transaction (they were
// most of a GET /v1/assets/{id}: docs/performance.md), and a version of
// that detail that can be read alone, so that a reader who keeps a detail
// (httpapi does, encoded) knows with one point read whether it is current.
// A store without it is read as before, through ReadTxer when it has that.
type AssetDetailsReader interface {
	// AssetDetails reads one of the business's assets, its attached
	// documents (DetachedAt zero), oldest first (by id) and never nil, its
	// newest valuation (the highest id, as LatestValuation), nil when it
	// has none, and its Version, all in one snapshot. ENOTFOUND if the
	// asset is absent or another business's.
	AssetDetails(ctx context.Context, businessID, id string) (*AssetDetails, error)
	// AssetDetailVersion reads the Version alone. It must move, atomically
	// with the change, whenever what AssetDetails returns changes:
	// whichever process or instance writes, a reader comparing versions
	// never takes an old detail for the current one. ENOTFOUND as
	// AssetDetails.
	AssetDetailVersion(ctx context.Context, businessID, id string) (int64, error)
}

// AssetDetails reads one of the business's assets with its attached
// documents and latest valuation. Errors: ENOTFOUND (also for another
// business's asset).
func (e *Engine) AssetDetails(ctx context.Context, businessID, id string) (*AssetDetails, error) {
	// The raw store: assets, documents and valuations hold no sealed
	// values (sealing.go), so there is nothing for sealingStore to open.
	if dr, ok := e.raw.(AssetDetailsReader); ok {
		d, err := dr.AssetDetails(ctx, businessID, id)
		if err != nil {
			return nil, internal(err, "read asset")
		}
		return d, nil
	}
	read := func(r Tx) (*AssetDetails, error) {
		a, err := r.Asset(ctx, businessID, id)
		if err != nil {
			return nil, internal(err, "read asset")
		}
		d, err := assetDetails(ctx, r, a)
		if err != nil {
			return nil, internal(err, "read asset details")
		}
		return d, nil
	}
	rt, ok := e.raw.(ReadTxer)
	if !ok {
		return read(e.store)
	}
	// One snapshot on one connection: the documents and the valuation are
	// those of the asset read, and the three reads share a connection.
	var d *AssetDetails
	err := rt.InReadTx(ctx, func(tx Tx) error {
		var err error
		d, err = read(sealingTx{Tx: tx, ring: e.ring})
		return err
	})
	return d, err
}

// AssetDetailVersion reads the Version of the detail of one of the
// business's assets, without the detail: a caller that kept the detail of
// that version has the current one. ok is false when the store keeps no
// versions (it is not an AssetDetailsReader). Errors: ENOTFOUND (also for
// another business's asset), as AssetDetails.
func (e *Engine) AssetDetailVersion(ctx context.Context, businessID, id string) (v int64, ok bool, err error) {
	dr, ok := e.raw.(AssetDetailsReader)
	if !ok {
		return 0, false, nil
	}
	if v, err = dr.AssetDetailVersion(ctx, businessID, id); err != nil {
		return 0, false, internal(err, "read asset")
	}
	return v, true, nil
}

// Asset reads one of the business's assets. Errors: ENOTFOUND (also for
// another business's asset).
func (e *Engine) Asset(ctx context.Context, businessID, id string) (*Asset, error) {
	a, err := e.store.Asset(ctx, businessID, id)
	if err != nil {
		return nil, internal(err, "read asset")
	}
	return a, nil
}

// Assets lists the business's assets, newest first; f narrows by status.
// Errors: EINVALID (a cursor must name one of the business's assets, in
// f.Status or not: ListParams).
func (e *Engine) Assets(ctx context.Context, businessID string, f AssetFilter, p ListParams) (Page[*Asset], error) {
	if err := f.validate(); err != nil {
		return Page[*Asset]{}, err
	}
	return readPage(p, "assets", func(p ListParams) (Page[*Asset], error) { return e.store.Assets(ctx, businessID, f, p) })
}

// UpdateAsset changes an asset's name, description, declared value or
// metadata, or detaches documents, and emits asset.updated. Any change to
// what a valuation reads (all of these: metadata holds attributes such as
// year and condition) sends a pending, valued or verified asset back to
// pending_valuation and enqueues a new valuation. Once the asset is on
// chain or rejected, only its metadata may change, and it is not revalued.
// Errors: EINVALID, ENOTFOUND, ECONFLICT.
func (e *Engine) UpdateAsset(ctx context.Context, businessID, id string, u AssetUpdate) (*Asset, error) {
	var a *Asset
	err := e.store.InTx(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.Asset(ctx, businessID, id); err != nil {
			return err
		}
		changed, err := a.apply(u)
		if err != nil {
			return err
		}
		detached, err := e.detach(ctx, tx, a, u.DetachDocuments)
		if err != nil {
			return err
		}
		if detached {
			changed = append(changed, "documents")
		}
		if len(changed) == 0 {
			return nil
		}
		if a.Status == AssetPledged {
			return Errorf(ECONFLICT, "asset %s is pledged as collateral and cannot change", a.ID)
		}
		if a.Status.frozen() && (len(changed) > 1 || changed[0] != "metadata") {
			return Errorf(ECONFLICT, "asset %s is %s: only its metadata can change", a.ID, a.Status)
		}
		a.UpdatedAt = e.now()
		if !a.Status.frozen() {
			if err := e.revalue(ctx, tx, a); err != nil {
				return err
			}
		} else if err := tx.UpdateAsset(ctx, a); err != nil {
			return err
		}
		return e.emit(ctx, tx, businessID, AssetUpdatedEventData{AssetID: a.ID, Status: a.Status, Changed: changed})
	})
	if err != nil {
		return nil, internal(err, "update asset")
	}
	return a, nil
}

// detach marks the asset's documents with the given ids detached. Unknown
// ids, or another asset's, are EINVALID naming detach_documents; detaching
// a detached document again is a no-op.
func (e *Engine) detach(ctx context.Context, tx Tx, a *Asset, ids []string) (bool, error) {
	if len(ids) > 100 {
		return false, FieldError("detach_documents", "detach_documents can name at most 100 documents")
	}
	did := false
	for _, id := range ids {
		d, err := tx.Document(ctx, a.BusinessID, id)
		if ErrorCode(err) == ENOTFOUND || err == nil && d.AssetID != a.ID {
			return false, FieldError("detach_documents", "document %s is not a document of asset %s", id, a.ID)
		}
		if err != nil {
			return false, err
		}
		if !d.Attached() {
			continue
		}
		d.DetachedAt = e.now()
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return false, err
		}
		did = true
	}
	return did, nil
}

// apply validates u and applies it to a, returning the wire names of the
// fields whose value changed, sorted.
func (a *Asset) apply(u AssetUpdate) ([]string, error) {
	var changed []string
	if u.Name != nil {
		name, err := validateName("name", *u.Name)
		if err != nil {
			return nil, err
		}
		if name != a.Name {
			a.Name = name
			changed = append(changed, "name")
		}
	}
	if u.Description != nil {
		d, err := validateDescription(*u.Description)
		if err != nil {
			return nil, err
		}
		if d != a.Description {
			a.Description = d
			changed = append(changed, "description")
		}
	}
	if u.EstimatedValue != nil {
		if err := ValidateMoney("estimated_value", *u.EstimatedValue); err != nil {
			return nil, err
		}
		if !u.EstimatedValue.Equal(a.EstimatedValue) {
			a.EstimatedValue = *u.EstimatedValue
			changed = append(changed, "estimated_value")
		}
	}
	if len(u.Metadata) > 0 {
		merged := make(map[string]any, len(a.Metadata)+len(u.Metadata))
		for k, v := range a.Metadata {
			merged[k] = v
		}
		for k, v := range u.Metadata {
			if v == nil {
				delete(merged, k)
			} else {
				merged[k] = v
			}
		}
		if err := validateMetadata(merged); err != nil {
			return nil, err
		}
		before, _ := json.Marshal(a.Metadata)
		after, _ := json.Marshal(merged)
		if string(before) != string(after) {
			a.Metadata = merged
			changed = append(changed, "metadata")
		}
	}
	sort.Strings(changed)
	return changed, nil
}

// AssetStore keeps assets.
type AssetStore interface {
	// CreateAsset inserts a. ECONFLICT if the id exists.
	CreateAsset(ctx context.Context, a *Asset) error
	// Asset reads one of the business's assets. ENOTFOUND if absent or
	// another business's.
	Asset(ctx context.Context, businessID, id string) (*Asset, error)
	// Assets lists the business's assets, newest first, only those in
	// f.Status when it is set. ErrCursorNotFound (ENOTFOUND) if p's cursor
	// is not one of the business's assets (in f.Status or not).
	Assets(ctx context.Context, businessID string, f AssetFilter, p ListParams) (Page[*Asset], error)
	// UpdateAsset writes every mutable field of a (scoped by a.BusinessID).
	// ENOTFOUND if absent.
	UpdateAsset(ctx context.Context, a *Asset) error
	// AssetByID reads an asset whatever its business, for operator
	// decisions only; business-facing paths use Asset. ENOTFOUND if absent.
	AssetByID(ctx context.Context, id string) (*Asset, error)
}

// VerifyAsset is an operator's decision that a valued asset is verified,
// whatever the automatic policy said. Verifying a verified asset changes
// nothing. It returns the asset with its documents and valuation.
// Errors: ENOTFOUND, ECONFLICT when the asset has no valuation yet or is
// past verification.
func (o *Operator) VerifyAsset(ctx context.Context, assetID string) (*AssetDetails, error) {
	e := o.e
	d, err := commit(e, ctx, func(tx Tx) (*AssetDetails, error) {
		a, err := tx.AssetByID(ctx, assetID)
		if err != nil {
			return nil, err
		}
		switch a.Status {
		case AssetVerified:
			return assetDetails(ctx, tx, a)
		case AssetValued:
		default:
			return nil, Errorf(ECONFLICT, "asset %s is %s; only a valued asset can be verified", a.ID, a.Status)
		}
		v, err := tx.LatestValuation(ctx, a.BusinessID, a.ID)
		if err != nil {
			return nil, err
		}
		a.Status, a.UpdatedAt = AssetVerified, e.now()
		if err := tx.UpdateAsset(ctx, a); err != nil {
			return nil, err
		}
		if err := e.enqueueMint(ctx, tx, a); err != nil {
			return nil, err
		}
		if err := e.emit(ctx, tx, a.BusinessID, AssetVerifiedEventData{AssetID: a.ID, ValuationID: v.ID, VerifiedBy: "operator"}); err != nil {
			return nil, err
		}
		return assetDetails(ctx, tx, a)
	})
	if err != nil {
		return nil, internal(err, "verify asset")
	}
	return d, nil
}

// RejectAsset is an operator's decision that an asset cannot be used as
// collateral. It returns the asset with its documents and valuation.
// Errors: EINVALID without a reason, ENOTFOUND, ECONFLICT once the asset
// is on chain.
func (o *Operator) RejectAsset(ctx context.Context, assetID, reason string) (*AssetDetails, error) {
	e := o.e
	reason, err := validateReason(reason)
	if err != nil {
		return nil, err
	}
	d, err := commit(e, ctx, func(tx Tx) (*AssetDetails, error) {
		a, err := tx.AssetByID(ctx, assetID)
		if err != nil {
			return nil, err
		}
		if a.Status.onChain() || a.Status == AssetRejected {
			return nil, Errorf(ECONFLICT, "asset %s is %s and cannot be rejected", a.ID, a.Status)
		}
		a.Status, a.UpdatedAt = AssetRejected, e.now()
		if err := tx.UpdateAsset(ctx, a); err != nil {
			return nil, err
		}
		if err := e.emit(ctx, tx, a.BusinessID, AssetRejectedEventData{AssetID: a.ID, Reason: reason}); err != nil {
			return nil, err
		}
		return assetDetails(ctx, tx, a)
	})
	if err != nil {
		return nil, internal(err, "reject asset")
	}
	return d, nil
}

// AssetBookStore reads the assets of every business, for operators' review
// queue and counts; never for a business.
type AssetBookStore interface {
	// AllAssets lists every business's assets, newest first, only those in
	// f.Status when it is set. EINTERNAL on failure.
	AllAssets(ctx context.Context, f AssetFilter, p ListParams) (Page[*Asset], error)
	// CountAssets counts every business's assets by status; a status no
	// asset is in is absent from the map. EINTERNAL on failure.
	CountAssets(ctx context.Context) (map[AssetStatus]int, error)
}

// AllAssets lists every business's assets, newest first, for operators: f
// narrows by status, so the valued assets the policy left for a person are
// the review queue. Errors: EINVALID.
func (o *Operator) AllAssets(ctx context.Context, f AssetFilter, p ListParams) (Page[*Asset], error) {
	e := o.e
	if err := f.validate(); err != nil {
		return Page[*Asset]{}, err
	}
	return readPage(p, "assets", func(p ListParams) (Page[*Asset], error) { return e.store.AllAssets(ctx, f, p) })
}

// AssetCounts counts every business's assets by status; a status no asset
// is in is absent. Errors: EINTERNAL only.
func (o *Operator) AssetCounts(ctx context.Context) (map[AssetStatus]int, error) {
	n, err := o.e.store.CountAssets(ctx)
	if err != nil {
		return nil, internal(err, "count assets")
	}
	return n, nil
}

// AssetDetails reads an asset of any business with its attached documents
// and latest valuation, for an operator reviewing it. Errors: ENOTFOUND.
func (o *Operator) AssetDetails(ctx context.Context, id string) (*AssetDetails, error) {
	e := o.e
	a, err := e.store.AssetByID(ctx, id)
	if err != nil {
		return nil, internal(err, "read asset")
	}
	d, err := assetDetails(ctx, e.store, a)
	if err != nil {
		return nil, internal(err, "read asset details")
	}
	return d, nil
}
