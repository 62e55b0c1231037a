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
	err = e.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateAsset(ctx, a); err != nil {
			return err
		}
		return e.emit(ctx, tx, businessID, EventAssetSubmitted, map[string]any{
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
	if err := p.Validate(); err != nil {
		return Page[*Asset]{}, err
	}
	page, err := e.store.Assets(ctx, businessID, p)
	if err != nil {
		return page, internal(err, "list assets")
	}
	return page, nil
}

// UpdateAsset changes an asset's name, description, declared value or
// metadata and emits asset.updated. A change to what the valuation rests on
// (name, description, estimated value) sends a valued, verified or rejected
// asset back to pending_valuation; once the asset is on chain those facts
// are frozen and changing them is ECONFLICT. Metadata may always change.
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
		if len(changed) == 0 {
			return nil
		}
		if valuationRelevant(changed) {
			if a.Status.onChain() {
				return Errorf(ECONFLICT, "asset %s is %s: its name, description and estimated value can no longer change", a.ID, a.Status)
			}
			a.Status = AssetPendingValuation
		}
		a.UpdatedAt = e.now()
		if err := tx.UpdateAsset(ctx, a); err != nil {
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

func valuationRelevant(changed []string) bool {
	for _, f := range changed {
		if f != "metadata" {
			return true
		}
	}
	return false
}

// Events lists the business's events (the outbox), newest first.
// Errors: EINVALID.
func (e *Engine) Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error) {
	if err := p.Validate(); err != nil {
		return Page[*Event]{}, err
	}
	page, err := e.store.Events(ctx, businessID, p)
	if err != nil {
		return page, internal(err, "list events")
	}
	return page, nil
}

// emit appends an event to the outbox inside tx.
func (e *Engine) emit(ctx context.Context, tx Tx, businessID, typ string, data map[string]any) error {
	id, err := e.newID(PrefixEvent)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return internal(err, "encode event")
	}
	return tx.AppendEvent(ctx, &Event{ID: id, BusinessID: businessID, Type: typ, Data: raw, CreatedAt: e.now()})
}
