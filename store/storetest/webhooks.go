package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// newEndpoint is an enabled endpoint subscribed to two event types, never
// rotated, failing or delivered to.
func newEndpoint(businessID, id string) *assetmint.WebhookEndpoint {
	return &assetmint.WebhookEndpoint{
		ID:          id,
		BusinessID:  businessID,
		URL:         "https://hooks.example.com/assetmint/" + id,
		Description: "Ledger sync " + id,
		Events:      []string{assetmint.EventAssetSubmitted, assetmint.EventAssetUpdated},
		Secret:      "whsec_c2VjcmV0LW9mLQ" + id,
		Status:      assetmint.EndpointEnabled,
		CreatedAt:   t0,
		UpdatedAt:   t0,
	}
}

// newDelivery is a pending delivery that has not been attempted.
func newDelivery(businessID, endpointID, eventID, id string) *assetmint.WebhookDelivery {
	return &assetmint.WebhookDelivery{
		ID:            id,
		BusinessID:    businessID,
		EndpointID:    endpointID,
		EventID:       eventID,
		EventType:     assetmint.EventAssetSubmitted,
		Status:        assetmint.DeliveryPending,
		NextAttemptAt: t0,
		CreatedAt:     t0,
		UpdatedAt:     t0,
	}
}

// createEndpoints creates businessID's endpoints with the ids.
func createEndpoints(t *testing.T, s assetmint.Store, businessID string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), newEndpoint(businessID, id)))
	}
}

// appendEvents appends businessID's events with the ids.
func appendEvents(t *testing.T, s assetmint.Store, businessID string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.NoError(t, s.AppendEvent(t.Context(), newEvent(businessID, id, assetmint.EventAssetSubmitted, t0)))
	}
}

// requireEndpointEqual compares endpoints. Nil and empty Events are the
// same filter (every event), so a store may return either for both: only
// emptiness is compared then.
func requireEndpointEqual(t *testing.T, want, got *assetmint.WebhookEndpoint) {
	t.Helper()
	require.NotNil(t, got)
	w := *want
	if len(w.Events) == 0 {
		require.Empty(t, got.Events, "events")
		w.Events = got.Events
	}
	require.Equal(t, &w, got)
}

// readEndpoint reads one of the business's endpoints, which must exist.
func readEndpoint(t *testing.T, s assetmint.Store, businessID, id string) *assetmint.WebhookEndpoint {
	t.Helper()
	w, err := s.WebhookEndpoint(t.Context(), businessID, id)
	require.NoError(t, err)
	return w
}

// readDelivery reads one of the business's deliveries, which must exist.
func readDelivery(t *testing.T, s assetmint.Store, businessID, id string) *assetmint.WebhookDelivery {
	t.Helper()
	d, err := s.WebhookDelivery(t.Context(), businessID, id)
	require.NoError(t, err)
	return d
}

func endpointIDs(ws []*assetmint.WebhookEndpoint) []string {
	return idsOf(ws, func(w *assetmint.WebhookEndpoint) string { return w.ID })
}

func deliveryIDs(p assetmint.Page[*assetmint.WebhookDelivery]) []string {
	return idsOf(p.Items, func(d *assetmint.WebhookDelivery) string { return d.ID })
}

// listEndpoints lists the business's endpoints, up to 10.
func listEndpoints(t *testing.T, s assetmint.Store, businessID string) []string {
	t.Helper()
	p, err := s.WebhookEndpoints(t.Context(), businessID, assetmint.ListParams{Limit: 10})
	require.NoError(t, err)
	require.NotNil(t, p.Items)
	return endpointIDs(p.Items)
}

// enabledEndpoints lists the business's enabled endpoints.
func enabledEndpoints(t *testing.T, s assetmint.Store, businessID string) []string {
	t.Helper()
	ws, err := s.EnabledWebhookEndpoints(t.Context(), businessID)
	require.NoError(t, err)
	require.NotNil(t, ws, "no endpoints is an empty, non-nil slice")
	return endpointIDs(ws)
}

// listDeliveries lists the endpoint's deliveries, up to 10.
func listDeliveries(t *testing.T, s assetmint.Store, businessID, endpointID string) []string {
	t.Helper()
	p, err := s.WebhookDeliveries(t.Context(), businessID, endpointID, assetmint.ListParams{Limit: 10})
	require.NoError(t, err)
	require.NotNil(t, p.Items)
	return deliveryIDs(p)
}

// setStatus writes an endpoint's status.
func setStatus(t *testing.T, s assetmint.Store, businessID, id string, status assetmint.EndpointStatus) {
	t.Helper()
	w := readEndpoint(t, s, businessID, id)
	w.Status = status
	require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
}

var webhookEndpointTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		w := newEndpoint("biz_0001", "we_0001")
		w.PreviousSecret = "whsec_b2xkLXNlY3JldA"
		w.PreviousExpiresAt = at(24 * time.Hour)
		w.FailingSince = at(time.Hour)
		w.LastSuccessAt = at(time.Minute)
		w.UpdatedAt = at(2 * time.Hour)
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), w))
		requireEndpointEqual(t, w, readEndpoint(t, s, "biz_0001", "we_0001"))

		// Nothing optional: every event, no previous secret, zero times.
		bare := &assetmint.WebhookEndpoint{ID: "we_0002", BusinessID: "biz_0001", URL: "https://example.com/h",
			Secret: "whsec_YmFyZQ", Status: assetmint.EndpointEnabled, CreatedAt: t0, UpdatedAt: t0}
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), bare))
		got := readEndpoint(t, s, "biz_0001", "we_0002")
		requireEndpointEqual(t, bare, got)
		require.Empty(t, got.Events)
		require.True(t, got.PreviousExpiresAt.IsZero())
		require.True(t, got.FailingSince.IsZero())
		require.True(t, got.LastSuccessAt.IsZero())
	}},
	{"EventsRoundTrip", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		cases := [][]string{
			nil,
			{},
			{assetmint.EventAssetSubmitted},
			{"asset.updated", "asset.submitted", "asset.updated"}, // order and repeats kept
			{`odd "quoted" type`, "grüße,東京", ""},
		}
		for i, events := range cases {
			w := newEndpoint("biz_0001", fmt.Sprintf("we_%04d", i+1))
			w.Events = events
			require.NoError(t, s.CreateWebhookEndpoint(t.Context(), w))
			requireEndpointEqual(t, w, readEndpoint(t, s, "biz_0001", w.ID))
		}
		// Through an update and the lists as well.
		w := newEndpoint("biz_0001", "we_0001")
		w.Events = []string{"asset.valued"}
		require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
		requireEndpointEqual(t, w, readEndpoint(t, s, "biz_0001", "we_0001"))
		w = newEndpoint("biz_0001", "we_0003")
		w.Events = nil
		require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
		requireEndpointEqual(t, w, readEndpoint(t, s, "biz_0001", "we_0003"))

		p, err := s.WebhookEndpoints(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, len(cases))
		require.Equal(t, cases[4], p.Items[0].Events)
		require.Equal(t, []string{"asset.valued"}, p.Items[4].Events)
		enabled, err := s.EnabledWebhookEndpoints(t.Context(), "biz_0001")
		require.NoError(t, err)
		require.Len(t, enabled, len(cases))
		require.Equal(t, cases[3], enabled[3].Events)
		require.Empty(t, enabled[2].Events)
	}},
	{"EnqueueFanoutOnlyWhenAnEndpointWantsTheEvent", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002", "biz_0003")
		createEndpoints(t, s, "biz_0001", "we_0001") // enabled, asset.submitted and asset.updated
		every := newEndpoint("biz_0001", "we_0002")
		every.Events, every.Status = nil, assetmint.EndpointDisabled
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), every))
		odd := newEndpoint("biz_0002", "we_0003")
		odd.Events = []string{`odd "quoted" type`, "grüße,東京"}
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), odd))

		enqueue := func(businessID, eventType, key string) bool {
			t.Helper()
			var enqueued bool
			require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
				fe, ok := tx.(assetmint.FanoutEnqueuer)
				if !ok {
					t.Skip("the store's transactions are not FanoutEnqueuers")
				}
				var err error
				built := 0
				enqueued, err = fe.EnqueueFanout(t.Context(), businessID, eventType, func() jobs.New {
					built++
					return jobs.New{Kind: "webhook.fanout", UniqueKey: key, Payload: []byte(`{"event_id":"` + key + `"}`)}
				}, t0)
				require.LessOrEqual(t, built, 1, "the job is built at most once")
				return err
			}))
			return enqueued
		}
		exists := func(key string) bool {
			t.Helper()
			_, err := s.JobByKey(t.Context(), key)
			if errors.Is(err, jobs.ErrNotFound) {
				return false
			}
			require.NoError(t, err)
			return true
		}
		// we_0001 wants it; the disabled we_0002 wants everything but counts for nothing.
		require.True(t, enqueue("biz_0001", assetmint.EventAssetSubmitted, "fanout:1"))
		require.True(t, exists("fanout:1"))
		require.False(t, enqueue("biz_0001", "asset.valued", "fanout:2"))
		require.False(t, exists("fanout:2"))
		require.False(t, enqueue("biz_0001", assetmint.EventAssetSubmitted, "fanout:1"), "the unique key exists")
		// Another business's endpoints count for nothing; a type must match whole.
		require.False(t, enqueue("biz_0003", assetmint.EventAssetSubmitted, "fanout:3"))
		require.True(t, enqueue("biz_0002", `odd "quoted" type`, "fanout:4"))
		require.True(t, enqueue("biz_0002", "grüße,東京", "fanout:5"))
		require.False(t, enqueue("biz_0002", "odd", "fanout:6"))
		require.False(t, enqueue("biz_0002", assetmint.EventAssetSubmitted, "fanout:7"))
		// Enabled, no filter: every event.
		setStatus(t, s, "biz_0001", "we_0002", assetmint.EndpointEnabled)
		require.True(t, enqueue("biz_0001", "asset.valued", "fanout:8"))
		require.Equal(t, []bool{true, false, false, true, true, false, false, true},
			[]bool{exists("fanout:1"), exists("fanout:3"), exists("fanout:2"), exists("fanout:4"), exists("fanout:5"),
				exists("fanout:6"), exists("fanout:7"), exists("fanout:8")})
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createEndpoints(t, s, "biz_0001", "we_0001")
		requireCode(t, assetmint.ECONFLICT, s.CreateWebhookEndpoint(t.Context(), newEndpoint("biz_0001", "we_0001")))
		requireCode(t, assetmint.ECONFLICT, s.CreateWebhookEndpoint(t.Context(), newEndpoint("biz_0002", "we_0001")))
		requireEndpointEqual(t, newEndpoint("biz_0001", "we_0001"), readEndpoint(t, s, "biz_0001", "we_0001"))
		require.Empty(t, listEndpoints(t, s, "biz_0002"))
	}},
	{"UnknownBusinessIsNotFound", func(t *testing.T, s assetmint.Store) {
		requireCode(t, assetmint.ENOTFOUND, s.CreateWebhookEndpoint(t.Context(), newEndpoint("biz_0404", "we_0001")))
		_, err := s.WebhookEndpoint(t.Context(), "biz_0404", "we_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		_, err := s.WebhookEndpoint(t.Context(), "biz_0001", "we_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "webhook endpoint not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.UpdateWebhookEndpoint(t.Context(), newEndpoint("biz_0001", "we_0404")))
		_, err = s.WebhookEndpoint(t.Context(), "biz_0001", "we_0404")
		requireCode(t, assetmint.ENOTFOUND, err) // an update creates nothing
	}},
	{"Update", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createEndpoints(t, s, "biz_0001", "we_0001", "we_0002")

		// Rotate, fail, disable: every mutable field changes.
		w := newEndpoint("biz_0001", "we_0001")
		w.URL = "https://hooks.example.com/v2"
		w.Description = "Ledger sync, v2"
		w.Events = []string{assetmint.EventAssetUpdated}
		w.PreviousSecret = w.Secret
		w.Secret = "whsec_cm90YXRlZA"
		w.PreviousExpiresAt = at(24 * time.Hour)
		w.Status = assetmint.EndpointDisabled
		w.DisabledReason = "the endpoint answered 410 Gone"
		w.FailingSince = at(time.Hour)
		w.LastSuccessAt = at(time.Minute)
		w.UpdatedAt = at(2 * time.Hour)
		require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
		requireEndpointEqual(t, w, readEndpoint(t, s, "biz_0001", "we_0001"))

		// Back to the zero times and empty strings.
		w.PreviousSecret = ""
		w.PreviousExpiresAt = time.Time{}
		w.Status = assetmint.EndpointEnabled
		w.DisabledReason = ""
		w.FailingSince = time.Time{}
		w.UpdatedAt = at(3 * time.Hour)
		require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
		got := readEndpoint(t, s, "biz_0001", "we_0001")
		requireEndpointEqual(t, w, got)
		require.True(t, got.PreviousExpiresAt.IsZero())
		require.True(t, got.FailingSince.IsZero())

		// The creation time is not mutable.
		moved := *w
		moved.CreatedAt = at(time.Hour)
		require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), &moved))
		require.Equal(t, t0, readEndpoint(t, s, "biz_0001", "we_0001").CreatedAt)

		requireEndpointEqual(t, newEndpoint("biz_0001", "we_0002"), readEndpoint(t, s, "biz_0001", "we_0002"))
	}},
	{"TimesRoundTrip", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		newYork := time.FixedZone("EST", -5*3600)
		w := newEndpoint("biz_0001", "we_0001")
		w.PreviousExpiresAt = time.Date(2025, 1, 3, 3, 4, 5, 6, newYork)
		w.FailingSince = time.Date(2025, 1, 2, 3, 4, 5, 0, newYork) // no fraction at all
		w.LastSuccessAt = time.Date(2025, 1, 1, 23, 59, 59, 999999999, time.UTC)
		w.CreatedAt = time.Date(2025, 1, 1, 0, 0, 0, 1, newYork)
		w.UpdatedAt = time.Date(2025, 1, 2, 0, 0, 0, 0, newYork)
		require.NoError(t, s.CreateWebhookEndpoint(t.Context(), w))
		got := readEndpoint(t, s, "biz_0001", "we_0001")
		for name, pair := range map[string][2]time.Time{
			"previous_expires_at": {w.PreviousExpiresAt, got.PreviousExpiresAt},
			"failing_since":       {w.FailingSince, got.FailingSince},
			"last_success_at":     {w.LastSuccessAt, got.LastSuccessAt},
			"created_at":          {w.CreatedAt, got.CreatedAt},
			"updated_at":          {w.UpdatedAt, got.UpdatedAt},
		} {
			require.Equal(t, pair[0].UTC(), pair[1], name)
			require.Equal(t, time.UTC, pair[1].Location(), name)
		}
	}},
	{"ListExcludesDeleted", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.Empty(t, listEndpoints(t, s, "biz_0001"))
		createEndpoints(t, s, "biz_0001", "we_0001", "we_0002", "we_0003", "we_0004", "we_0005", "we_0006")
		setStatus(t, s, "biz_0001", "we_0002", assetmint.EndpointDeleted)
		setStatus(t, s, "biz_0001", "we_0003", assetmint.EndpointDisabled)
		setStatus(t, s, "biz_0001", "we_0005", assetmint.EndpointDeleted)
		// Not deleted, newest first: 0006 0004 0003 0001.
		require.Equal(t, []string{"we_0006", "we_0004", "we_0003", "we_0001"}, listEndpoints(t, s, "biz_0001"))

		cases := []struct {
			name    string
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", assetmint.ListParams{Limit: 2}, []string{"we_0006", "we_0004"}, true},
			{"starting after", assetmint.ListParams{Limit: 2, StartingAfter: "we_0004"}, []string{"we_0003", "we_0001"}, false},
			{"starting after a deleted one", assetmint.ListParams{Limit: 2, StartingAfter: "we_0005"}, []string{"we_0004", "we_0003"}, true},
			{"ending before", assetmint.ListParams{Limit: 2, EndingBefore: "we_0001"}, []string{"we_0004", "we_0003"}, true},
			{"ending before a deleted one", assetmint.ListParams{Limit: 2, EndingBefore: "we_0002"}, []string{"we_0004", "we_0003"}, true},
			{"exactly all", assetmint.ListParams{Limit: 4}, []string{"we_0006", "we_0004", "we_0003", "we_0001"}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.WebhookEndpoints(t.Context(), "biz_0001", tc.params)
				require.NoError(t, err)
				require.Equal(t, tc.want, endpointIDs(p.Items))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}

		// A deleted endpoint is still read by id, for its history.
		got := readEndpoint(t, s, "biz_0001", "we_0002")
		require.Equal(t, assetmint.EndpointDeleted, got.Status)

		// A cursor must name one of the business's endpoints, deleted or
		// not (above): another business's, or none, is refused.
		createBusinesses(t, s, "biz_0002")
		createEndpoints(t, s, "biz_0002", "we_0007")
		for _, p := range []assetmint.ListParams{{StartingAfter: "we_0007"}, {EndingBefore: "we_0007"}, {StartingAfter: "we_0099"}} {
			requireCursorNotFound[*assetmint.WebhookEndpoint](t)(s.WebhookEndpoints(t.Context(), "biz_0001", p))
		}
	}},
	{"EnabledOldestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		require.Empty(t, enabledEndpoints(t, s, "biz_0001"))
		createEndpoints(t, s, "biz_0001", "we_0001", "we_0002", "we_0003")
		createEndpoints(t, s, "biz_0002", "we_0004")
		createEndpoints(t, s, "biz_0001", "we_0005", "we_0006")
		setStatus(t, s, "biz_0001", "we_0002", assetmint.EndpointDisabled)
		setStatus(t, s, "biz_0001", "we_0005", assetmint.EndpointDeleted)
		require.Equal(t, []string{"we_0001", "we_0003", "we_0006"}, enabledEndpoints(t, s, "biz_0001"))
		require.Equal(t, []string{"we_0004"}, enabledEndpoints(t, s, "biz_0002"))
		require.Empty(t, enabledEndpoints(t, s, "biz_0404"))

		ws, err := s.EnabledWebhookEndpoints(t.Context(), "biz_0001")
		require.NoError(t, err)
		requireEndpointEqual(t, newEndpoint("biz_0001", "we_0001"), ws[0])

		// Enabled again, it is back in its place.
		setStatus(t, s, "biz_0001", "we_0002", assetmint.EndpointEnabled)
		require.Equal(t, []string{"we_0001", "we_0002", "we_0003", "we_0006"}, enabledEndpoints(t, s, "biz_0001"))
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createEndpoints(t, s, "biz_0001", "we_0001")
		createEndpoints(t, s, "biz_0002", "we_0002")

		_, err := s.WebhookEndpoint(t.Context(), "biz_0002", "we_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		stolen := newEndpoint("biz_0002", "we_0001")
		stolen.URL = "https://attacker.example.com/"
		stolen.Status = assetmint.EndpointDeleted
		requireCode(t, assetmint.ENOTFOUND, s.UpdateWebhookEndpoint(t.Context(), stolen))
		requireEndpointEqual(t, newEndpoint("biz_0001", "we_0001"), readEndpoint(t, s, "biz_0001", "we_0001"))

		require.Equal(t, []string{"we_0001"}, listEndpoints(t, s, "biz_0001"))
		require.Equal(t, []string{"we_0002"}, listEndpoints(t, s, "biz_0002"))
		require.Equal(t, []string{"we_0001"}, enabledEndpoints(t, s, "biz_0001"))
		require.Equal(t, []string{"we_0002"}, enabledEndpoints(t, s, "biz_0002"))
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createEndpoints(t, s, "biz_0001", "we_0001")
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			w := newEndpoint("biz_0001", "we_0002")
			require.NoError(t, tx.CreateWebhookEndpoint(t.Context(), w))
			got, err := tx.WebhookEndpoint(t.Context(), "biz_0001", "we_0002")
			require.NoError(t, err, "reads its own writes")
			requireEndpointEqual(t, w, got)

			old := newEndpoint("biz_0001", "we_0001")
			old.Status = assetmint.EndpointDisabled
			require.NoError(t, tx.UpdateWebhookEndpoint(t.Context(), old))
			enabled, err := tx.EnabledWebhookEndpoints(t.Context(), "biz_0001")
			require.NoError(t, err)
			require.Equal(t, []string{"we_0002"}, endpointIDs(enabled))
			p, err := tx.WebhookEndpoints(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"we_0002", "we_0001"}, endpointIDs(p.Items))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.WebhookEndpoint(t.Context(), "biz_0001", "we_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		requireEndpointEqual(t, newEndpoint("biz_0001", "we_0001"), readEndpoint(t, s, "biz_0001", "we_0001"))
		require.Equal(t, []string{"we_0001"}, listEndpoints(t, s, "biz_0001"))
		require.Equal(t, []string{"we_0001"}, enabledEndpoints(t, s, "biz_0001"))
	}},
}

// deliveryFixture is one business with two endpoints and three events, and
// another business with its own endpoint and event.
func deliveryFixture(t *testing.T, s assetmint.Store) {
	t.Helper()
	createBusinesses(t, s, "biz_0001", "biz_0002")
	createEndpoints(t, s, "biz_0001", "we_0001", "we_0002")
	createEndpoints(t, s, "biz_0002", "we_0003")
	appendEvents(t, s, "biz_0001", "evt_0001", "evt_0002", "evt_0003")
	appendEvents(t, s, "biz_0002", "evt_0004")
}

var webhookDeliveryTests = []test{
	{"CreateManyAsEachAlone", func(t *testing.T, s assetmint.Store) {
		// What CreateWebhookDelivery would do with each, in a transaction
		// and outside one: inserted, or refused with its own error while the
		// others go in.
		deliveryFixture(t, s)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
		full := newDelivery("biz_0001", "we_0002", "evt_0001", "whd_0010")
		full.Status, full.Attempts, full.LastStatusCode, full.LastError = assetmint.DeliveryDelivered, 1, 200, ""
		full.DeliveredAt, full.NextAttemptAt, full.UpdatedAt = at(time.Second), time.Time{}, at(time.Second)
		batch := []*assetmint.WebhookDelivery{
			full,
			newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0011"), // its endpoint and event have one
			newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0001"), // its id exists
			newDelivery("biz_0001", "we_0003", "evt_0002", "whd_0012"), // another business's endpoint
			newDelivery("biz_0001", "we_0001", "evt_0004", "whd_0013"), // another business's event
			newDelivery("biz_0001", "we_0001", "evt_0003", "whd_0014"),
		}
		var errs []error
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) (err error) {
			errs, err = tx.CreateWebhookDeliveries(t.Context(), batch)
			return err
		}))
		require.Len(t, errs, len(batch))
		require.NoError(t, errs[0])
		requireCode(t, assetmint.ECONFLICT, errs[1])
		requireCode(t, assetmint.ECONFLICT, errs[2])
		requireCode(t, assetmint.ENOTFOUND, errs[3])
		requireCode(t, assetmint.ENOTFOUND, errs[4])
		require.NoError(t, errs[5])
		require.Equal(t, full, readDelivery(t, s, "biz_0001", "whd_0010"))
		require.Equal(t, batch[5], readDelivery(t, s, "biz_0001", "whd_0014"))
		for _, id := range []string{"whd_0011", "whd_0012", "whd_0013"} {
			_, err := s.WebhookDelivery(t.Context(), "biz_0001", id)
			requireCode(t, assetmint.ENOTFOUND, err)
		}

		// Outside a transaction, and more than one statement's worth.
		var many []*assetmint.WebhookDelivery
		for i := range 70 {
			id := fmt.Sprintf("evt_1%03d", i)
			appendEvents(t, s, "biz_0001", id)
			many = append(many, newDelivery("biz_0001", "we_0002", id, fmt.Sprintf("whd_1%03d", i)))
		}
		many = append(many, newDelivery("biz_0001", "we_0002", "evt_0001", "whd_0020")) // exists
		errs, err := s.CreateWebhookDeliveries(t.Context(), many)
		require.NoError(t, err)
		for i := range 70 {
			require.NoError(t, errs[i], i)
			require.Equal(t, many[i], readDelivery(t, s, "biz_0001", many[i].ID))
		}
		requireCode(t, assetmint.ECONFLICT, errs[70])
	}},
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		d := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), d))
		got := readDelivery(t, s, "biz_0001", "whd_0001")
		require.Equal(t, d, got)
		require.True(t, got.DeliveredAt.IsZero())

		// Every field set, as after a last, successful attempt.
		full := newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0002")
		full.EventType = assetmint.EventAssetUpdated
		full.Status = assetmint.DeliveryDelivered
		full.Attempts = 3
		full.LastStatusCode = 204
		full.LastError = "earlier: 503 Service Unavailable"
		full.NextAttemptAt = time.Time{}
		full.DeliveredAt = at(time.Hour)
		full.UpdatedAt = at(time.Hour)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), full))
		got = readDelivery(t, s, "biz_0001", "whd_0002")
		require.Equal(t, full, got)
		require.True(t, got.NextAttemptAt.IsZero())
	}},
	{"DuplicateIDIsConflict", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
		// The same id for another event.
		requireCode(t, assetmint.ECONFLICT, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0001")))
		require.Equal(t, "evt_0001", readDelivery(t, s, "biz_0001", "whd_0001").EventID)
	}},
	{"DuplicateEndpointEventIsConflict", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		first := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), first))
		// A fan-out that runs again makes a new id for the same pair.
		again := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0002")
		again.CreatedAt = at(time.Minute)
		requireCode(t, assetmint.ECONFLICT, s.CreateWebhookDelivery(t.Context(), again))
		_, err := s.WebhookDelivery(t.Context(), "biz_0001", "whd_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, first, readDelivery(t, s, "biz_0001", "whd_0001"))
		require.Equal(t, []string{"whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
		// The run that conflicted finds the first by its pair.
		found, err := s.WebhookDeliveryOfEvent(t.Context(), "biz_0001", "we_0001", "evt_0001")
		require.NoError(t, err)
		require.Equal(t, first, found)
		_, err = s.WebhookDeliveryOfEvent(t.Context(), "biz_0002", "we_0001", "evt_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.WebhookDeliveryOfEvent(t.Context(), "biz_0001", "we_0002", "evt_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		// Even once the first is delivered, failed or its endpoint
		// disabled or deleted.
		first.Status = assetmint.DeliveryFailed
		require.NoError(t, s.UpdateWebhookDelivery(t.Context(), first))
		setStatus(t, s, "biz_0001", "we_0001", assetmint.EndpointDeleted)
		requireCode(t, assetmint.ECONFLICT, s.CreateWebhookDelivery(t.Context(), again))
	}},
	{"SameEventOtherEndpoint", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0002", "evt_0001", "whd_0002")))
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0003")))
		require.Equal(t, []string{"whd_0003", "whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
		require.Equal(t, []string{"whd_0002"}, listDeliveries(t, s, "biz_0001", "we_0002"))
	}},
	{"UnknownEndpointOrEventIsNotFound", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		cases := []struct {
			name   string
			mutate func(d *assetmint.WebhookDelivery)
		}{
			{"absent endpoint", func(d *assetmint.WebhookDelivery) { d.EndpointID = "we_0404" }},
			{"absent event", func(d *assetmint.WebhookDelivery) { d.EventID = "evt_0404" }},
			{"both absent", func(d *assetmint.WebhookDelivery) { d.EndpointID, d.EventID = "we_0404", "evt_0404" }},
			{"another business's endpoint", func(d *assetmint.WebhookDelivery) { d.EndpointID = "we_0003" }},
			{"another business's event", func(d *assetmint.WebhookDelivery) { d.EventID = "evt_0004" }},
			{"as the endpoint's business, its event another's", func(d *assetmint.WebhookDelivery) {
				d.BusinessID, d.EndpointID = "biz_0002", "we_0003"
			}},
			{"as the event's business, its endpoint another's", func(d *assetmint.WebhookDelivery) {
				d.BusinessID, d.EventID = "biz_0002", "evt_0004"
			}},
			{"absent business", func(d *assetmint.WebhookDelivery) { d.BusinessID = "biz_0404" }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
				tc.mutate(d)
				requireCode(t, assetmint.ENOTFOUND, s.CreateWebhookDelivery(t.Context(), d))
				for _, biz := range []string{"biz_0001", "biz_0002", "biz_0404"} {
					_, err := s.WebhookDelivery(t.Context(), biz, "whd_0001")
					requireCode(t, assetmint.ENOTFOUND, err)
				}
			})
		}
		// Nothing was made: the pair is still free.
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		_, err := s.WebhookDelivery(t.Context(), "biz_0001", "whd_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "webhook delivery not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.UpdateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0404")))
		require.Empty(t, listDeliveries(t, s, "biz_0001", "we_0001"), "an update creates nothing")
	}},
	{"ListNewestFirst", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		appendEvents(t, s, "biz_0001", "evt_0005", "evt_0006", "evt_0007")
		appendEvents(t, s, "biz_0002", "evt_0008")
		require.Empty(t, listDeliveries(t, s, "biz_0001", "we_0001"))
		// we_0001 gets 1 3 4 6 7; we_0002 gets 2; we_0003 (the other
		// business) gets 5: they sit between we_0001's in id order.
		for _, d := range []*assetmint.WebhookDelivery{
			newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001"),
			newDelivery("biz_0001", "we_0002", "evt_0001", "whd_0002"),
			newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0003"),
			newDelivery("biz_0001", "we_0001", "evt_0003", "whd_0004"),
			newDelivery("biz_0002", "we_0003", "evt_0004", "whd_0005"),
			newDelivery("biz_0001", "we_0001", "evt_0005", "whd_0006"),
			newDelivery("biz_0001", "we_0001", "evt_0006", "whd_0007"),
		} {
			require.NoError(t, s.CreateWebhookDelivery(t.Context(), d))
		}
		cases := []struct {
			name    string
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", assetmint.ListParams{Limit: 2}, []string{"whd_0007", "whd_0006"}, true},
			{"starting after", assetmint.ListParams{Limit: 2, StartingAfter: "whd_0006"}, []string{"whd_0004", "whd_0003"}, true},
			{"last page", assetmint.ListParams{Limit: 2, StartingAfter: "whd_0003"}, []string{"whd_0001"}, false},
			{"ending before", assetmint.ListParams{Limit: 2, EndingBefore: "whd_0001"}, []string{"whd_0004", "whd_0003"}, true},
			{"ending before, first page", assetmint.ListParams{Limit: 2, EndingBefore: "whd_0004"}, []string{"whd_0007", "whd_0006"}, false},
			{"all", assetmint.ListParams{Limit: 10}, []string{"whd_0007", "whd_0006", "whd_0004", "whd_0003", "whd_0001"}, false},
			{"default limit", assetmint.ListParams{}, []string{"whd_0007", "whd_0006", "whd_0004", "whd_0003", "whd_0001"}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.WebhookDeliveries(t.Context(), "biz_0001", "we_0001", tc.params)
				require.NoError(t, err)
				require.NotNil(t, p.Items)
				require.Equal(t, tc.want, deliveryIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}
		p, err := s.WebhookDeliveries(t.Context(), "biz_0001", "we_0001", assetmint.ListParams{Limit: 1})
		require.NoError(t, err)
		require.Equal(t, newDelivery("biz_0001", "we_0001", "evt_0006", "whd_0007"), p.Items[0])

		// A deleted endpoint keeps its history.
		setStatus(t, s, "biz_0001", "we_0001", assetmint.EndpointDeleted)
		require.Equal(t, []string{"whd_0007", "whd_0006", "whd_0004", "whd_0003", "whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))

		// A cursor must name one of this endpoint's deliveries: another
		// endpoint's (of this business or another), or none, is refused.
		for _, p := range []assetmint.ListParams{{StartingAfter: "whd_0002"}, {StartingAfter: "whd_0005"}, {EndingBefore: "whd_0005"}, {StartingAfter: "whd_0099"}} {
			requireCursorNotFound[*assetmint.WebhookDelivery](t)(s.WebhookDeliveries(t.Context(), "biz_0001", "we_0001", p))
		}
		requireCursorNotFound[*assetmint.WebhookDelivery](t)(s.WebhookDeliveries(t.Context(), "biz_0002", "we_0001", assetmint.ListParams{StartingAfter: "whd_0006"}))
	}},
	{"Update", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0002")))

		// A failed attempt, retried later.
		d := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
		d.Attempts = 1
		d.LastStatusCode = 503
		d.LastError = "503 Service Unavailable"
		d.NextAttemptAt = at(5 * time.Second)
		d.UpdatedAt = at(time.Second)
		require.NoError(t, s.UpdateWebhookDelivery(t.Context(), d))
		require.Equal(t, d, readDelivery(t, s, "biz_0001", "whd_0001"))

		// No answer at all, then delivered: nothing is due any more.
		d.Attempts = 2
		d.LastStatusCode = 0
		d.LastError = "dial tcp: i/o timeout"
		require.NoError(t, s.UpdateWebhookDelivery(t.Context(), d))
		require.Equal(t, d, readDelivery(t, s, "biz_0001", "whd_0001"))
		d.Status = assetmint.DeliveryDelivered
		d.Attempts = 3
		d.LastStatusCode = 200
		d.LastError = ""
		d.NextAttemptAt = time.Time{}
		d.DeliveredAt = time.Date(2025, 3, 14, 5, 0, 0, 7, time.FixedZone("EST", -5*3600))
		d.UpdatedAt = at(time.Minute)
		require.NoError(t, s.UpdateWebhookDelivery(t.Context(), d))
		got := readDelivery(t, s, "biz_0001", "whd_0001")
		want := *d
		want.DeliveredAt = d.DeliveredAt.UTC()
		require.Equal(t, &want, got)
		require.True(t, got.NextAttemptAt.IsZero())

		// Its endpoint, event and creation time are not mutable.
		moved := want
		moved.EndpointID = "we_0002"
		moved.EventID = "evt_0003"
		moved.CreatedAt = at(time.Hour)
		require.NoError(t, s.UpdateWebhookDelivery(t.Context(), &moved))
		got = readDelivery(t, s, "biz_0001", "whd_0001")
		require.Equal(t, "we_0001", got.EndpointID)
		require.Equal(t, "evt_0001", got.EventID)
		require.Equal(t, t0, got.CreatedAt)
		require.Equal(t, []string{"whd_0002", "whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
		require.Empty(t, listDeliveries(t, s, "biz_0001", "we_0002"))

		require.Equal(t, newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0002"), readDelivery(t, s, "biz_0001", "whd_0002"),
			"only the one delivery changes")
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		mine := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), mine))
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0002", "we_0003", "evt_0004", "whd_0002")))

		_, err := s.WebhookDelivery(t.Context(), "biz_0002", "whd_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		stolen := newDelivery("biz_0002", "we_0001", "evt_0001", "whd_0001")
		stolen.Status = assetmint.DeliveryFailed
		requireCode(t, assetmint.ENOTFOUND, s.UpdateWebhookDelivery(t.Context(), stolen))
		require.Equal(t, mine, readDelivery(t, s, "biz_0001", "whd_0001"))

		require.Empty(t, listDeliveries(t, s, "biz_0002", "we_0001"), "another business's endpoint")
		require.Equal(t, []string{"whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
		require.Equal(t, []string{"whd_0002"}, listDeliveries(t, s, "biz_0002", "we_0003"))
		require.Empty(t, listDeliveries(t, s, "biz_0001", "we_0003"))
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			// An event, its fan-out and an attempt, together.
			require.NoError(t, tx.AppendEvent(t.Context(), newEvent("biz_0001", "evt_0009", assetmint.EventAssetUpdated, t0)))
			d := newDelivery("biz_0001", "we_0001", "evt_0009", "whd_0002")
			require.NoError(t, tx.CreateWebhookDelivery(t.Context(), d))
			got, err := tx.WebhookDelivery(t.Context(), "biz_0001", "whd_0002")
			require.NoError(t, err, "reads its own writes")
			require.Equal(t, d, got)

			first := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
			first.Attempts = 1
			first.Status = assetmint.DeliveryDelivered
			require.NoError(t, tx.UpdateWebhookDelivery(t.Context(), first))
			p, err := tx.WebhookDeliveries(t.Context(), "biz_0001", "we_0001", assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"whd_0002", "whd_0001"}, deliveryIDs(p))
			require.Equal(t, assetmint.DeliveryDelivered, p.Items[1].Status)
			requireCode(t, assetmint.ECONFLICT, tx.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0009", "whd_0003")))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.WebhookDelivery(t.Context(), "biz_0001", "whd_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.Event(t.Context(), "biz_0001", "evt_0009")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001"), readDelivery(t, s, "biz_0001", "whd_0001"))
		require.Equal(t, []string{"whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))

		// Committed, the same writes stay.
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			if err := tx.AppendEvent(t.Context(), newEvent("biz_0001", "evt_0009", assetmint.EventAssetUpdated, t0)); err != nil {
				return err
			}
			return tx.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0009", "whd_0002"))
		}))
		require.Equal(t, []string{"whd_0002", "whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
	}},
}
