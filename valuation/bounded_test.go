package valuation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

// fakeExternal is a hand-written external model.
type fakeExternal struct {
	value func(ctx context.Context, in valuation.Input) (*valuation.Report, error)
}

func (f fakeExternal) Name() string    { return "fake-ai" }
func (f fakeExternal) Version() string { return "0.1" }
func (f fakeExternal) Value(ctx context.Context, in valuation.Input) (*valuation.Report, error) {
	return f.value(ctx, in)
}

func estimate(v string, fsd float64, flags ...valuation.Flag) fakeExternal {
	return fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) {
		return &valuation.Report{Value: d(v), Currency: "USD", FSD: fsd, Flags: flags}, nil
	}}
}

func TestBoundedFallsBack(t *testing.T) {
	m := newModel(t)
	det := value(t, m, cncInput())
	for _, tc := range []struct {
		name string
		ext  valuation.Model
		note string
	}{
		{"error", fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) {
			return nil, errors.New("rate limited")
		}}, "error: rate limited"},
		{"timeout", fakeExternal{func(ctx context.Context, _ valuation.Input) (*valuation.Report, error) {
			<-ctx.Done()
			time.Sleep(5 * time.Millisecond)
			return nil, ctx.Err()
		}}, "timed out"},
		{"ignores context", fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) {
			time.Sleep(200 * time.Millisecond)
			return &valuation.Report{Value: d("100000"), Currency: "USD"}, nil
		}}, "timed out"},
		{"panic", fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) { panic("boom") }}, "panicked"},
		{"zero value", estimate("0", 0.1), "not positive"},
		{"currency", fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) {
			return &valuation.Report{Value: d("100000"), Currency: "EUR"}, nil
		}}, "currency"},
		{"outside clamp", estimate("900000", 0.1), "outside"},
		{"nil report", fakeExternal{func(context.Context, valuation.Input) (*valuation.Report, error) { return nil, nil }}, "no report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &valuation.Bounded{Primary: m, External: tc.ext, Timeout: 20 * time.Millisecond}
			r, err := b.Value(context.Background(), cncInput())
			require.NoError(t, err)
			require.True(t, r.Model.FallbackUsed)
			require.Contains(t, r.Model.Note, tc.note)
			require.Equal(t, "fake-ai@0.1", r.Model.External)
			want := *det
			want.Model = r.Model
			require.Equal(t, mustJSON(t, &want), mustJSON(t, r), "exactly the deterministic result")
		})
	}
}

func TestBoundedWidensButNeverLendsMore(t *testing.T) {
	m := newModel(t)
	det := value(t, m, cncInput())
	for _, v := range []string{"60000", "101490.47", "130000", "150000"} {
		t.Run(v, func(t *testing.T) {
			ext := estimate(v, 0.1, valuation.Flag{Code: "AI_PHOTO_MISMATCH", Severity: valuation.SeverityWarning, Message: "photo shows a lathe"})
			b := &valuation.Bounded{Primary: m, External: ext, Timeout: time.Second}
			r, err := b.Value(context.Background(), cncInput())
			require.NoError(t, err)
			require.False(t, r.Model.FallbackUsed)
			require.True(t, r.Value.Equal(det.Value), "the value stays deterministic")
			require.GreaterOrEqual(t, r.FSD, det.FSD)
			require.LessOrEqual(t, r.Confidence, det.Confidence)
			require.True(t, r.Low.LessThanOrEqual(det.Low))
			require.True(t, r.High.GreaterThanOrEqual(det.High))
			require.True(t, r.MaxLoan.LessThanOrEqual(det.MaxLoan))
			require.True(t, r.LendingValue.LessThanOrEqual(det.LendingValue))
			require.Contains(t, flagCodes(r), "AI_PHOTO_MISMATCH")
		})
	}
}

func TestBoundedPassesInputErrors(t *testing.T) {
	b := &valuation.Bounded{Primary: newModel(t), External: estimate("1", 0.1)}
	in := cncInput()
	in.Type = "nope"
	_, err := b.Value(context.Background(), in)
	var ie *valuation.InputError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "assetmint-deterministic+fake-ai", b.Name())
}
