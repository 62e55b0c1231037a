package assetmint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/valuation"
	"github.com/shopspring/decimal"
)

// Valuation is one valuation report of an asset.
type Valuation struct {
	ID         string
	BusinessID string
	AssetID    string
	Report     *valuation.Report
	CreatedAt  time.Time
}

// ValuationStore keeps valuation reports.
type ValuationStore interface {
	// CreateValuation inserts v. ECONFLICT if the id exists (a valuation
	// job that runs twice finds its report there).
	CreateValuation(ctx context.Context, v *Valuation) error
	// Valuation reads one by id, scoped. ENOTFOUND if absent.
	Valuation(ctx context.Context, businessID, id string) (*Valuation, error)
	// LatestValuation reads an asset's newest valuation. ENOTFOUND if none.
	LatestValuation(ctx context.Context, businessID, assetID string) (*Valuation, error)
	// Valuations lists an asset's valuations, newest first.
	// ErrCursorNotFound (ENOTFOUND) if p's cursor is not one of the
	// valuations of the business's asset.
	Valuations(ctx context.Context, businessID, assetID string, p ListParams) (Page[*Valuation], error)
}

// revalue sends an asset whose evidence changed back to pending_valuation
// and enqueues its valuation, inside tx.
func (e *Engine) revalue(ctx context.Context, tx Tx, a *Asset) error {
	a.Status, a.UpdatedAt = AssetPendingValuation, e.now()
	a.Revision++
	if err := tx.UpdateAsset(ctx, a); err != nil {
		return err
	}
	return e.enqueueValuation(ctx, tx, a)
}

// JobValuation is the kind of the durable job that values an asset.
const JobValuation = "asset.value"

// maxDocumentText bounds how much of a text document the model reads.
const maxDocumentText = 64 << 10

func (e *Engine) setupValuation() error {
	vc := &e.cfg.Valuation
	if vc.MinConfidence < 0 || vc.MinConfidence > 100 {
		return errors.New("assetmint: ValuationConfig.MinConfidence must be 0..100")
	}
	if vc.MinConfidence == 0 {
		vc.MinConfidence = 75
	}
	if vc.ExternalTimeout < 0 {
		return errors.New("assetmint: ValuationConfig.ExternalTimeout must not be negative")
	}
	if vc.ExternalTimeout == 0 {
		vc.ExternalTimeout = 10 * time.Second
	}
	e.params = valuation.DefaultParameters()
	if vc.Parameters != nil {
		e.params = *vc.Parameters
	}
	det, err := valuation.NewDeterministic(e.params)
	if err != nil {
		return fmt.Errorf("assetmint: valuation parameters: %w", err)
	}
	e.model = det
	if vc.External != nil {
		e.model = &valuation.Bounded{Primary: det, External: vc.External, Timeout: vc.ExternalTimeout}
	}
	if vc.Concurrency < 0 {
		return errors.New("assetmint: ValuationConfig.Concurrency must not be negative")
	}
	if vc.Concurrency == 0 {
		vc.Concurrency = 2 * runtime.GOMAXPROCS(0)
		if vc.External != nil {
			vc.Concurrency = DefaultJobConcurrency
		}
	}
	if vq, ok := e.raw.(ValuationQueue); ok {
		e.valuationQueue = &valuationQueue{e: e, q: vq}
		w, err := e.newWorker("valuation", vc.Concurrency, e.valuationQueue)
		if err != nil {
			return err
		}
		w.Handle(jobQueuedValuation, e.runQueuedValuation)
		e.valuations = w
		// The valuations handed over to the job queue (valuationQueue), and
		// those enqueued as jobs before the store had a queue.
		e.worker.Handle(JobValuation, e.runValuation)
		return nil
	}
	w, err := e.newWorker("valuation", vc.Concurrency, e.raw)
	if err != nil {
		return err
	}
	w.Handle(JobValuation, e.runValuation)
	e.valuations = w
	return nil
}

// valuationJob is the payload of JobValuation. The valuation id and date
// are fixed when the job is enqueued, so a job that runs twice (a crash
// after recording) finds its report and does nothing more.
type valuationJob struct {
	BusinessID  string    `json:"business_id"`
	AssetID     string    `json:"asset_id"`
	ValuationID string    `json:"valuation_id"`
	AsOf        time.Time `json:"as_of"`
	// Revision is the asset's revision when the job was enqueued; a job
	// overtaken by a later change records its report but leaves the
	// asset's status to the later job.
	Revision int64 `json:"revision"`
}

// enqueueValuation queues a valuation of a inside tx: in the store's
// ValuationQueue when it has one, else as a JobValuation job.
func (e *Engine) enqueueValuation(ctx context.Context, tx Tx, a *Asset) error {
	id, err := e.newID(PrefixValuation)
	if err != nil {
		return err
	}
	now := e.now()
	q := &QueuedValuation{BusinessID: a.BusinessID, AssetID: a.ID, ValuationID: id, Revision: a.Revision, AsOf: now}
	if e.valuationQueue != nil {
		if vq, ok := unsealed(tx).(ValuationQueuer); ok {
			return vq.QueueValuation(ctx, q)
		}
	}
	return e.enqueueValuationJob(ctx, tx, q, jobs.New{})
}

// enqueueValuationJob enqueues q as a JobValuation job inside tx, with
// as's RunAt and MaxAttempts. Jobs of one asset share a lane, so they run
// in order; the unique key makes a valuation one job however often it is
// handed over.
func (e *Engine) enqueueValuationJob(ctx context.Context, tx Tx, q *QueuedValuation, as jobs.New) error {
	payload, err := json.Marshal(q.job())
	if err != nil {
		return internal(err, "encode valuation job")
	}
	as.Kind, as.Lane, as.UniqueKey, as.Payload = JobValuation, "asset:"+q.AssetID, "valuation:"+q.ValuationID, payload
	_, err = tx.EnqueueJob(ctx, as, e.now())
	return err
}

// runValuation is the valuation job (JobValuation): value the asset as it
// is now, record the report, and move the asset to valued, then verified
// when the policy allows. A job whose asset changed since it was enqueued
// does nothing: the change enqueued its own valuation.
func (e *Engine) runValuation(ctx context.Context, j *jobs.Job) error {
	return e.value(ctx, j, nil)
}

// runQueuedValuation runs a valuation of the store's ValuationQueue as
// runValuation runs a job, and takes it off the queue in the transaction
// that records its report (the job's completion, in the same write): it
// then returns jobs.ErrRecorded. A valuation whose lease was lost records
// nothing.
func (e *Engine) runQueuedValuation(ctx context.Context, j *jobs.Job) error {
	err := e.value(ctx, j, func(tx Tx, p valuationJob) error {
		_, err := take(ctx, tx, j.ID, p.ValuationID, j.LeasedBy, j.Attempt)
		return err
	})
	if errors.Is(err, jobs.ErrRecorded) {
		e.valuationQueue.reported(j.ID)
	}
	return err
}

// value values the job's asset; with done set, it calls done in the
// transaction that records the report and returns jobs.ErrRecorded once
// that has committed.
func (e *Engine) value(ctx context.Context, j *jobs.Job, done func(tx Tx, p valuationJob) error) error {
	var p valuationJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("valuation job payload: %v: %w", err, jobs.ErrPermanent)
	}
	a, docs, recorded, err := e.valuationSubject(ctx, p)
	if ErrorCode(err) == ENOTFOUND {
		return fmt.Errorf("asset %s is gone: %w", p.AssetID, jobs.ErrPermanent)
	} else if err != nil {
		return err
	}
	if recorded {
		return nil // recorded by an earlier run
	}
	if a.Revision != p.Revision {
		return nil // overtaken: the later change's job values the asset
	}
	in, err := e.valuationInput(ctx, a, docs, p.AsOf)
	if err != nil {
		return err
	}
	report, err := e.model.Value(ctx, in)
	if err != nil {
		var ie *valuation.InputError
		if errors.As(err, &ie) {
			return fmt.Errorf("valuation input: %v: %w", err, jobs.ErrPermanent)
		}
		return err
	}
	v := &Valuation{ID: p.ValuationID, BusinessID: p.BusinessID, AssetID: p.AssetID, Report: report, CreatedAt: e.now()}
	err = e.store.InTx(ctx, func(tx Tx) error {
		if done != nil {
			if err := done(tx, p); err != nil {
				return err
			}
		}
		if err := tx.CreateValuation(ctx, v); err != nil {
			return err
		}
		cur, err := tx.Asset(ctx, p.BusinessID, p.AssetID)
		if err != nil {
			return err
		}
		if cur.Status != AssetPendingValuation || cur.Revision != p.Revision {
			return nil // overtaken while valuing: keep the report, the later job decides
		}
		cur.Status, cur.UpdatedAt = AssetValued, e.now()
		if err := e.emit(ctx, tx, cur.BusinessID, AssetValuationCompleteEventData{
			AssetID: cur.ID, ValuationID: v.ID, Value: Amount(report.Value), Currency: report.Currency, Confidence: report.Confidence,
		}); err != nil {
			return err
		}
		if reasons := e.verificationBlockers(report, docs, cur.Type); len(reasons) == 0 && !e.cfg.Valuation.ManualVerification {
			cur.Status = AssetVerified
			if err := e.emit(ctx, tx, cur.BusinessID, AssetVerifiedEventData{AssetID: cur.ID, ValuationID: v.ID, VerifiedBy: "policy"}); err != nil {
				return err
			}
			if err := e.enqueueMint(ctx, tx, cur); err != nil {
				return err
			}
		}
		return tx.UpdateAsset(ctx, cur)
	})
	switch {
	case ErrorCode(err) == ECONFLICT:
		return nil // another worker recorded this valuation first
	case err == nil && done != nil:
		return jobs.ErrRecorded
	}
	return err
}

// valuationSubject reads what a valuation job values: the asset, its
// documents (those valueInput and verificationBlockers count are the
// attached ones), and whether the job's valuation is recorded already.
// With an AssetDetailsReader store that is one statement (the asset, its
// attached documents and its newest valuation, which is the job's when an
// earlier run recorded it and no later job has: a later job means a later
// revision, which the caller checks); otherwise three reads.
func (e *Engine) valuationSubject(ctx context.Context, p valuationJob) (a *Asset, docs []*Document, recorded bool, err error) {
	if dr, ok := e.raw.(AssetDetailsReader); ok {
		d, err := dr.AssetDetails(ctx, p.BusinessID, p.AssetID)
		if err != nil {
			return nil, nil, false, err
		}
		return d.Asset, d.Documents, d.Valuation != nil && d.Valuation.ID == p.ValuationID, nil
	}
	if _, err := e.store.Valuation(ctx, p.BusinessID, p.ValuationID); err == nil {
		return nil, nil, true, nil
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, nil, false, err
	}
	if a, err = e.store.Asset(ctx, p.BusinessID, p.AssetID); err != nil {
		return nil, nil, false, err
	}
	docs, err = e.store.AssetDocuments(ctx, p.BusinessID, p.AssetID)
	return a, docs, false, err
}

// verificationBlockers says why a report does not verify its asset
// automatically; none means it does.
func (e *Engine) verificationBlockers(r *valuation.Report, docs []*Document, t AssetType) []string {
	var reasons []string
	have := map[DocumentKind]bool{}
	for _, d := range docs {
		if d.Attached() {
			have[d.Kind] = true
		}
	}
	for _, oneOf := range e.params.RequiredDocuments(valuation.AssetType(t)) {
		found := false
		for _, k := range oneOf {
			found = found || have[k]
		}
		if !found {
			names := make([]string, len(oneOf))
			for i, k := range oneOf {
				names[i] = string(k)
			}
			reasons = append(reasons, "missing document: "+strings.Join(names, " or "))
		}
	}
	if r.Confidence < e.cfg.Valuation.MinConfidence {
		reasons = append(reasons, fmt.Sprintf("confidence %d is below %d", r.Confidence, e.cfg.Valuation.MinConfidence))
	}
	for _, f := range r.Flags {
		if f.Blocking {
			reasons = append(reasons, "flag "+f.Code)
		}
	}
	return reasons
}

// valuationInput gathers what the model needs: the asset, its attached
// documents (with the text of text documents and parsed reports), and the
// platform-wide conflicts of their hashes, serials and VINs.
func (e *Engine) valuationInput(ctx context.Context, a *Asset, docs []*Document, asOf time.Time) (valuation.Input, error) {
	in := valuation.Input{
		AssetID: a.ID, Type: valuation.AssetType(a.Type), Name: a.Name, Description: a.Description,
		DeclaredValue: a.EstimatedValue, Currency: a.Currency, Attributes: attributes(a.Metadata), AsOf: asOf,
	}
	for _, d := range docs {
		if !d.Attached() {
			continue
		}
		vd := valuation.Document{
			ID: d.ID, Kind: d.Kind, SHA256: d.SHA256, Currency: d.Currency, Date: d.Date,
			Serial: d.Serial, VIN: d.VIN, Issuer: d.Issuer,
		}
		if d.Amount.Valid {
			vd.Amount = d.Amount.Decimal
		}
		if err := parsedInto(d, &vd); err != nil {
			return in, err
		}
		if d.ContentType == "text/plain" || d.ContentType == "text/csv" {
			text, err := e.documentText(ctx, d)
			if err != nil {
				return in, err
			}
			vd.Text = text
		}
		in.Documents = append(in.Documents, vd)

		for _, probe := range []struct{ field, value string }{
			{"sha256", d.SHA256}, {"serial", valuation.NormalizeSerial(d.Serial)}, {"vin", valuation.NormalizeSerial(d.VIN)},
		} {
			if probe.value == "" {
				continue
			}
			others, err := e.store.DocumentsMatching(ctx, probe.field, probe.value, a.ID)
			if err != nil {
				return in, err
			}
			for _, o := range others {
				kind := probe.field
				if kind == "sha256" {
					kind = "document_hash"
				}
				in.Conflicts = append(in.Conflicts, valuation.Conflict{Kind: kind, Value: probe.value, DocumentID: d.ID, OtherAssetID: o.AssetID})
			}
		}
	}
	sort.Slice(in.Conflicts, func(i, j int) bool {
		a, b := in.Conflicts[i], in.Conflicts[j]
		return a.Kind+a.Value+a.DocumentID+a.OtherAssetID < b.Kind+b.Value+b.DocumentID+b.OtherAssetID
	})
	return in, nil
}

// parsedInto decodes a structured document's parsed report.
func parsedInto(d *Document, vd *valuation.Document) error {
	if len(d.Parsed) == 0 {
		return nil
	}
	var err error
	switch d.Kind {
	case valuation.KindAgingReport:
		vd.Aging = &valuation.AgingReport{}
		err = json.Unmarshal(d.Parsed, vd.Aging)
	case valuation.KindStockReport:
		vd.Stock = &valuation.StockReport{}
		err = json.Unmarshal(d.Parsed, vd.Stock)
	}
	if err != nil {
		return internal(err, "decode parsed document "+d.ID)
	}
	return nil
}

// documentText reads up to maxDocumentText of a text document.
func (e *Engine) documentText(ctx context.Context, d *Document) (string, error) {
	if e.cfg.Blobs == nil {
		return "", nil
	}
	rc, err := e.cfg.Blobs.OpenBlob(ctx, d.SHA256)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocumentText))
	if err != nil {
		return "", internal(err, "read document "+d.ID)
	}
	for !utf8.Valid(b) && len(b) > 0 { // a cut through a multi-byte rune
		b = b[:len(b)-1]
	}
	return string(b), nil
}

// attributes turns asset metadata into the model's string attributes:
// strings and numbers (exactly as written) and booleans; nested values are
// not attributes.
func attributes(md map[string]any) map[string]string {
	out := make(map[string]string, len(md))
	for k, v := range md {
		switch v := v.(type) {
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = fmt.Sprint(v)
		case float64:
			out[k] = decimal.NewFromFloat(v).String()
		case int:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// LatestValuation returns an asset's newest valuation.
// Errors: ENOTFOUND when the asset is absent (or another business's) or
// has no valuation yet.
func (e *Engine) LatestValuation(ctx context.Context, businessID, assetID string) (*Valuation, error) {
	v, err := e.store.LatestValuation(ctx, businessID, assetID)
	if ErrorCode(err) == ENOTFOUND {
		// The store scopes by business either way; only the message differs.
		if _, aerr := e.store.Asset(ctx, businessID, assetID); aerr != nil {
			return nil, internal(aerr, "read asset")
		}
		return nil, Errorf(ENOTFOUND, "asset %s has no valuation yet", assetID)
	}
	if err != nil {
		return nil, internal(err, "read valuation")
	}
	return v, nil
}

// Valuations lists an asset's valuations, newest first.
// Errors: EINVALID (a cursor must name one of the asset's valuations:
// ListParams), ENOTFOUND for an absent asset.
func (e *Engine) Valuations(ctx context.Context, businessID, assetID string, p ListParams) (Page[*Valuation], error) {
	return readPage(p, "valuations", func(p ListParams) (Page[*Valuation], error) {
		if _, err := e.store.Asset(ctx, businessID, assetID); err != nil {
			return Page[*Valuation]{}, err
		}
		return e.store.Valuations(ctx, businessID, assetID, p)
	})
}
