package assetmint

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/assetmint/assetmint/internal/seal"
	"github.com/assetmint/assetmint/jobs"
)

// endpointsTx is a Tx with an endpoints table and a jobs queue in memory,
// counting the endpoints reads.
type endpointsTx struct {
	Tx
	enabled  []*WebhookEndpoint
	reads    int
	enqueued []string
}

func (t *endpointsTx) EnabledWebhookEndpoints(context.Context, string) ([]*WebhookEndpoint, error) {
	t.reads++
	return append([]*WebhookEndpoint(nil), t.enabled...), nil
}

func (t *endpointsTx) CreateWebhookEndpoint(_ context.Context, w *WebhookEndpoint) error {
	t.enabled = append(t.enabled, w)
	return nil
}

func (t *endpointsTx) EnqueueJob(_ context.Context, n jobs.New, _ time.Time) (bool, error) {
	t.enqueued = append(t.enqueued, n.UniqueKey)
	return true, nil
}

// A transaction that emits several events reads the endpoints once, and an
// endpoint created in it between two events gets the later one: the
// memo is forgotten on an endpoint write.
func TestFanoutMemoReadsOnceAndForgetsOnAWrite(t *testing.T) {
	ring, err := seal.NewKeyring(bytes.Repeat([]byte{7}, seal.KeySize), nil, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{cfg: Config{Now: time.Now}}
	ctx := context.Background()
	raw := &endpointsTx{}
	tx := sealingTx{Tx: raw, ring: ring, fanout: &fanoutMemo{}}
	ev := func(id string) *Event {
		return &Event{ID: id, BusinessID: "biz_1", Type: "asset.valued", CreatedAt: time.Now()}
	}

	for _, id := range []string{"evt_1", "evt_2"} {
		if err := e.enqueueFanout(ctx, tx, ev(id)); err != nil {
			t.Fatal(err)
		}
	}
	if raw.reads != 1 || len(raw.enqueued) != 0 {
		t.Fatalf("two events, no endpoint: %d reads (want 1), fan-outs %v (want none)", raw.reads, raw.enqueued)
	}
	if err := tx.CreateWebhookEndpoint(ctx, &WebhookEndpoint{ID: "we_1", BusinessID: "biz_1", URL: "https://example.com/hook", Secret: "whsec_x", Status: EndpointEnabled}); err != nil {
		t.Fatal(err)
	}
	if err := e.enqueueFanout(ctx, tx, ev("evt_3")); err != nil {
		t.Fatal(err)
	}
	if raw.reads != 2 || len(raw.enqueued) != 1 || raw.enqueued[0] != "fanout:evt_3" {
		t.Fatalf("after an endpoint was created: %d reads (want 2), fan-outs %v (want [fanout:evt_3])", raw.reads, raw.enqueued)
	}

	// Another business's event reads its own endpoints.
	other := ev("evt_4")
	other.BusinessID = "biz_2"
	if err := e.enqueueFanout(ctx, tx, other); err != nil {
		t.Fatal(err)
	}
	if raw.reads != 3 {
		t.Fatalf("another business's event: %d reads, want 3", raw.reads)
	}

	// Outside a transaction (no memo) every event reads.
	bare := sealingTx{Tx: raw, ring: ring}
	for _, id := range []string{"evt_5", "evt_6"} {
		if err := e.enqueueFanout(ctx, bare, ev(id)); err != nil {
			t.Fatal(err)
		}
	}
	if raw.reads != 5 {
		t.Fatalf("without a memo: %d reads, want 5", raw.reads)
	}
}
