package assetmint

import (
	"context"
	"encoding/json"
	"sort"
)

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
		return a, e.emit(ctx, tx, businessID, EventAssetSubmitted, map[string]any{
			"asset_id":        a.ID,
			"name":            a.Name,
			"type":            a.Type,
			"status":          a.Status,
			"estimated_value": json.Number(a.EstimatedValue.String()),
			"currency":        a.Currency,
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

// AssetDetails reads one of the business's assets with its attached
// documents and latest valuation. Errors: ENOTFOUND (also for another
// business's asset).
func (e *Engine) AssetDetails(ctx context.Context, businessID, id string) (*AssetDetails, error) {
	a, err := e.store.Asset(ctx, businessID, id)
	if err != nil {
		return nil, internal(err, "read asset")
	}
	d, err := assetDetails(ctx, e.store, a)
	if err != nil {
		return nil, internal(err, "read asset details")
	}
	return d, nil
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

// Assets lists the business's assets, newest first. Errors: EINVALID.
func (e *Engine) Assets(ctx context.Context, businessID string, p ListParams) (Page[*Asset], error) {
	return readPage(p, "assets", func(p ListParams) (Page[*Asset], error) { return e.store.Assets(ctx, businessID, p) })
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
		return e.emit(ctx, tx, businessID, EventAssetUpdated, map[string]any{
			"asset_id": a.ID,
			"status":   a.Status,
			"changed":  changed,
		})
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

// Events lists the business's events (the outbox), newest first.
// Errors: EINVALID.
func (e *Engine) Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error) {
	return readPage(p, "events", func(p ListParams) (Page[*Event], error) { return e.store.Events(ctx, businessID, p) })
}

// emit appends an event to the outbox inside tx, with the job that fans it
// out to the business's webhook endpoints.
func (e *Engine) emit(ctx context.Context, tx Tx, businessID, typ string, data map[string]any) error {
	id, err := e.newID(PrefixEvent)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return internal(err, "encode event")
	}
	ev := &Event{ID: id, BusinessID: businessID, Type: typ, Data: raw, CreatedAt: e.now()}
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	return e.enqueueFanout(ctx, tx, ev)
}
