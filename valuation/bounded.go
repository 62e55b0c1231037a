package valuation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// DefaultExternalTimeout is Bounded's timeout when Timeout is zero.
const DefaultExternalTimeout = 5 * time.Second

// Bounded lets an external (for example AI) valuator contribute without
// letting it raise what may be lent. It runs the deterministic model, then
// the external one under a timeout. A valid external estimate can only
// widen the range (raise FSD, lower confidence) and add flags; the value
// stays the deterministic one and LendingValue and MaxLoan never exceed
// the deterministic ones. On an error, a timeout, a panic or an invalid
// estimate (non-positive value, another currency, outside
// [low·e^−q, high·e^q] with q the table's External.ClampQ) the
// deterministic report is returned with Model.FallbackUsed set and a Note
// saying why.
type Bounded struct {
	Primary  *Deterministic
	External Model         // nil: the deterministic report, with a note
	Timeout  time.Duration // zero: DefaultExternalTimeout
}

var _ Model = (*Bounded)(nil)

// Name is the primary's name with the external's: "assetmint-deterministic+name".
func (b *Bounded) Name() string {
	if b.External == nil {
		return b.Primary.Name()
	}
	return b.Primary.Name() + "+" + b.External.Name()
}

// Version is the primary's version.
func (b *Bounded) Version() string { return b.Primary.Version() }

// Value returns the bounded report. Its only errors are the primary's
// *InputError; the external model's failures are reported in the report.
func (b *Bounded) Value(ctx context.Context, in Input) (*Report, error) {
	det, err := b.Primary.Value(ctx, in)
	if err != nil {
		return nil, err
	}
	if b.External == nil {
		det.Model.Note = "no external model configured"
		return det, nil
	}
	det.Model.External = b.External.Name() + "@" + b.External.Version()
	ext, err := b.runExternal(ctx, in)
	if err == nil {
		err = b.check(det, ext)
	}
	if err != nil {
		det.Model.FallbackUsed = true
		det.Model.Note = "external model not used: " + err.Error()
		return det, nil
	}
	return b.merge(det, ext), nil
}

var errTimeout = errors.New("timed out")

func (b *Bounded) runExternal(ctx context.Context, in Input) (*Report, error) {
	timeout := b.Timeout
	if timeout <= 0 {
		timeout = DefaultExternalTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		r   *Report
		err error
	}
	ch := make(chan result, 1) // buffered: a late answer never blocks the goroutine
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("panicked: %v", p)}
			}
		}()
		r, err := b.External.Value(ctx, in)
		ch <- result{r, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			return nil, fmt.Errorf("error: %w", res.err)
		}
		return res.r, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w after %s", errTimeout, timeout)
		}
		return nil, ctx.Err()
	}
}

// check validates the external estimate against the deterministic one.
func (b *Bounded) check(det, ext *Report) error {
	switch {
	case ext == nil:
		return errors.New("invalid output: no report")
	case ext.Value.Sign() <= 0:
		return errors.New("invalid output: value " + ext.Value.String() + " is not positive")
	case !strings.EqualFold(ext.Currency, det.Currency):
		return errors.New("invalid output: currency " + ext.Currency + ", want " + det.Currency)
	case math.IsNaN(ext.FSD) || ext.FSD < 0 || ext.FSD >= 1:
		return fmt.Errorf("invalid output: FSD %v", ext.FSD)
	}
	q := b.Primary.params.External.ClampQ
	lo := det.Low.Mul(decFloat(math.Exp(-q)))
	hi := det.High.Mul(decFloat(math.Exp(q)))
	if ext.Value.LessThan(lo) || ext.Value.GreaterThan(hi) {
		return fmt.Errorf("invalid output: value %s outside [%s, %s]", ext.Value, lo.Round(2), hi.Round(2))
	}
	return nil
}

// merge widens the deterministic report by the external estimate: FSD
// becomes the largest of the two FSDs and their relative disagreement
// (capped at the table's max), the lending side is recomputed with it and
// never raised, and the external flags are added.
func (b *Bounded) merge(det, ext *Report) *Report {
	p := &b.Primary.params
	out := *det
	out.FSDTerms = append([]FSDTerm(nil), det.FSDTerms...)
	out.Flags = append([]Flag(nil), det.Flags...)
	v := det.Value.InexactFloat64()
	disagree := math.Abs(ext.Value.InexactFloat64()/v - 1)
	fsd := round(math.Min(p.Uncertainty.Max, math.Max(det.FSD, math.Max(ext.FSD, disagree))), 4)
	note := "external estimate " + ext.Value.String() + " within bounds"
	if fsd > det.FSD {
		out.FSDTerms = append(out.FSDTerms, FSDTerm{ID: "external_disagreement", Amount: round(fsd-det.FSD, 4),
			Evidence: out.Model.External + " value " + ext.Value.String() + ", FSD " + ftoa(ext.FSD, 4)})
		out.FSD = fsd
		out.Low = det.Value.Mul(decFloat(1 - fsd)).Round(2)
		out.High = det.Value.Mul(decFloat(1 + fsd)).Round(2)
		out.Confidence = confidence(fsd)
		out.ConfidenceTier = tier(p.ConfidenceTiers, out.Confidence)
		// Scale the lending side by the ratio of haircuts, never up.
		u := p.Uncertainty
		hc := func(f float64) float64 {
			z := u.ZAuto
			if f > u.AutoFSD {
				z = u.ZBand
			}
			return math.Max(0, math.Min(1, 1-z*f))
		}
		k := 0.0
		if h := hc(det.FSD); h > 0 {
			k = math.Min(1, hc(fsd)/h)
		}
		if fsd > u.ReferFSD && det.FSD <= u.ReferFSD {
			k *= u.ReferLoanCap
			out.Flags = append(out.Flags, Flag{Code: FlagReferForAppraisal, Severity: SeverityWarning,
				Message:  "the value is too uncertain for automatic lending; refer to a human appraisal",
				Evidence: map[string]string{"fsd": ftoa(fsd, 4), "refer_fsd": ftoa(u.ReferFSD, 4)}})
		}
		out.LendingValue = decimalMin(det.LendingValue, det.LendingValue.Mul(decFloat(k)).Round(2))
		out.MaxLoan = decimalMin(det.MaxLoan, det.MaxLoan.Mul(decFloat(k)).Round(2))
		note += fmt.Sprintf("; FSD widened from %.4f to %.4f", det.FSD, fsd)
	}
	for _, f := range ext.Flags {
		ev := map[string]string{"source": out.Model.External}
		for k, v := range f.Evidence {
			ev[k] = v
		}
		f.Evidence = ev
		out.Flags = append(out.Flags, f)
	}
	sortFlags(out.Flags)
	out.RiskGrade = riskGrade(p.RiskGrades, out.Confidence, out.Flags)
	out.Model.Note = note
	return &out
}
