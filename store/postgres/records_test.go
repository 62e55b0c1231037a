package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

var now = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

// fixture writes one of each record of biz_0001, and biz_0002, with the
// DB's own methods.
func fixture(t *testing.T, db *DB) {
	t.Helper()
	ctx := t.Context()
	for _, id := range []string{"biz_0001", "biz_0002"} {
		require.NoError(t, db.CreateBusiness(ctx, &assetmint.Business{ID: id, Name: id, Plan: "developer", CreatedAt: now, UpdatedAt: now}))
	}
	require.NoError(t, db.CreateClient(ctx, &assetmint.Client{ID: "cli_0001", BusinessID: "biz_0001", SecretHash: "h", CreatedAt: now}))
	for _, id := range []string{"asset_0001", "asset_0002"} {
		require.NoError(t, db.CreateAsset(ctx, &assetmint.Asset{ID: id, BusinessID: "biz_0001", Name: "Excavator",
			Type: assetmint.AssetEquipment, EstimatedValue: decimal.RequireFromString("85000.10"), Currency: "USD",
			Status: assetmint.AssetTokenized, CreatedAt: now, UpdatedAt: now}))
	}
	require.NoError(t, db.CreateDocument(ctx, &assetmint.Document{ID: "doc_0001", BusinessID: "biz_0001", AssetID: "asset_0001",
		Kind: assetmint.DocumentKind("invoice"), Filename: "i.pdf", ContentType: "application/pdf", Size: 3, SHA256: "ab", CreatedAt: now}))
	require.NoError(t, db.CreateValuation(ctx, &assetmint.Valuation{ID: "val_0001", BusinessID: "biz_0001", AssetID: "asset_0001", CreatedAt: now}))
	for _, n := range []string{"0001", "0002"} {
		require.NoError(t, db.CreateToken(ctx, &assetmint.Token{ID: "tok_" + n, BusinessID: "biz_0001", AssetID: "asset_" + n,
			ChainID: "31337", Contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3", TokenNumber: n,
			Status: assetmint.TokenLocked, CreatedAt: now, UpdatedAt: now}))
		require.NoError(t, db.CreateLoan(ctx, &assetmint.Loan{ID: "loan_" + n, BusinessID: "biz_0001", AssetID: "asset_" + n,
			TokenID: "tok_" + n, Amount: decimal.RequireFromString("50000.00"), Currency: "USD", TermMonths: 24,
			Amortization: "annuity", DayCount: "30/360", Status: assetmint.LoanFunded, CreatedAt: now, UpdatedAt: now}))
	}
	require.NoError(t, db.CreateRepayment(ctx, &assetmint.Repayment{ID: "pay_0001", BusinessID: "biz_0001", LoanID: "loan_0001",
		Reference: "ref-1", Amount: decimal.RequireFromString("1500.00"), ReceivedAt: now, CreatedAt: now}))
	require.NoError(t, db.AppendEvent(ctx, &assetmint.Event{ID: "evt_0001", BusinessID: "biz_0001", Type: "asset.submitted", CreatedAt: now}))
	require.NoError(t, db.CreateWebhookEndpoint(ctx, &assetmint.WebhookEndpoint{ID: "wh_0001", BusinessID: "biz_0001",
		URL: "https://example.com/h", Secret: "whsec_x", Status: assetmint.EndpointEnabled, CreatedAt: now, UpdatedAt: now}))
	require.NoError(t, db.CreateWebhookDelivery(ctx, &assetmint.WebhookDelivery{ID: "dlv_0001", BusinessID: "biz_0001",
		EndpointID: "wh_0001", EventID: "evt_0001", EventType: "asset.submitted", Status: assetmint.DeliveryPending,
		CreatedAt: now, UpdatedAt: now}))
	require.NoError(t, db.SetSetting(ctx, "contract:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3"))
}

// errOf is the error of a read.
func errOf[T any](_ T, err error) error { return err }

// locked reports whether another transaction holds a lock on the row of
// table whose key column is id: FOR UPDATE NOWAIT from another connection
// fails at once (55P03) if so.
func locked(t *testing.T, db *DB, table, key, id string) bool {
	t.Helper()
	var one int
	err := db.pool.QueryRow(t.Context(), `SELECT 1 FROM `+table+` WHERE `+key+` = $1 FOR UPDATE NOWAIT`, id).Scan(&one)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" {
		return true
	}
	require.NoError(t, err, "%s %s", table, id)
	return false
}

// A row lock stands for the Tx Locking paragraph's reads: inside a
// transaction each locks the row it reads until the transaction ends (so
// another instance's read-modify-write of it waits), and nothing else.
func TestReadsInTxLockTheirRow(t *testing.T) {
	db := open(t, Config{})
	fixture(t, db)
	type row struct{ table, id string }
	cases := []struct {
		name string
		read func(ctx context.Context, tx *tx) error
		rows []row // locked
	}{
		{"Business", func(ctx context.Context, tx *tx) error { return errOf(tx.Business(ctx, "biz_0001")) },
			[]row{{"businesses", "biz_0001"}}},
		{"Client", func(ctx context.Context, tx *tx) error { _, _, err := tx.Client(ctx, "cli_0001"); return err },
			[]row{{"clients", "cli_0001"}}}, // not its business
		{"Asset", func(ctx context.Context, tx *tx) error { return errOf(tx.Asset(ctx, "biz_0001", "asset_0001")) },
			[]row{{"assets", "asset_0001"}}},
		{"AssetByID", func(ctx context.Context, tx *tx) error { return errOf(tx.AssetByID(ctx, "asset_0001")) },
			[]row{{"assets", "asset_0001"}}},
		{"Document", func(ctx context.Context, tx *tx) error { return errOf(tx.Document(ctx, "biz_0001", "doc_0001")) },
			[]row{{"documents", "doc_0001"}}},
		{"Token", func(ctx context.Context, tx *tx) error { return errOf(tx.Token(ctx, "biz_0001", "tok_0001")) },
			[]row{{"tokens", "tok_0001"}}},
		{"AssetToken", func(ctx context.Context, tx *tx) error { return errOf(tx.AssetToken(ctx, "biz_0001", "asset_0001")) },
			[]row{{"tokens", "tok_0001"}}},
		{"Loan", func(ctx context.Context, tx *tx) error { return errOf(tx.Loan(ctx, "biz_0001", "loan_0001")) },
			[]row{{"loans", "loan_0001"}}},
		{"LoanByID", func(ctx context.Context, tx *tx) error { return errOf(tx.LoanByID(ctx, "loan_0001")) },
			[]row{{"loans", "loan_0001"}}},
		{"AssetLoanInFlight", func(ctx context.Context, tx *tx) error {
			return errOf(tx.AssetLoanInFlight(ctx, "biz_0001", "asset_0001"))
		}, []row{{"loans", "loan_0001"}}},
		{"RepaymentByReference", func(ctx context.Context, tx *tx) error {
			return errOf(tx.RepaymentByReference(ctx, "biz_0001", "loan_0001", "ref-1"))
		}, []row{{"repayments", "pay_0001"}}},
		{"WebhookEndpoint", func(ctx context.Context, tx *tx) error { return errOf(tx.WebhookEndpoint(ctx, "biz_0001", "wh_0001")) },
			[]row{{"webhook_endpoints", "wh_0001"}}},
		{"WebhookDelivery", func(ctx context.Context, tx *tx) error { return errOf(tx.WebhookDelivery(ctx, "biz_0001", "dlv_0001")) },
			[]row{{"webhook_deliveries", "dlv_0001"}}},
		// Reads that do not lock: lists, and records never changed in
		// place.
		{"lists", func(ctx context.Context, tx *tx) error {
			p := assetmint.ListParams{Limit: 10, StartingAfter: "asset_0002"}
			_, err1 := tx.Assets(ctx, "biz_0001", assetmint.AssetFilter{}, p)
			_, err2 := tx.Loans(ctx, "biz_0001", assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{})
			_, err3 := tx.AllLoans(ctx, assetmint.LoanFilter{}, assetmint.ListParams{})
			_, err4 := tx.Tokens(ctx, "biz_0001", assetmint.ListParams{})
			_, err5 := tx.Businesses(ctx, assetmint.ListParams{})
			_, err6 := tx.AssetDocuments(ctx, "biz_0001", "asset_0001")
			_, err7 := tx.Repayments(ctx, "biz_0001", "loan_0001")
			_, err8 := tx.EnabledWebhookEndpoints(ctx, "biz_0001")
			_, err9 := tx.WebhookDeliveries(ctx, "biz_0001", "wh_0001", assetmint.ListParams{})
			return errors.Join(err1, err2, err3, err4, err5, err6, err7, err8, err9)
		}, nil},
		{"Valuation, Event, Setting", func(ctx context.Context, tx *tx) error {
			_, err1 := tx.Valuation(ctx, "biz_0001", "val_0001")
			_, err2 := tx.LatestValuation(ctx, "biz_0001", "asset_0001")
			_, err3 := tx.Event(ctx, "biz_0001", "evt_0001")
			_, err4 := tx.Setting(ctx, "contract:31337")
			return errors.Join(err1, err2, err3, err4)
		}, nil},
	}
	all := []row{{"businesses", "biz_0001"}, {"businesses", "biz_0002"}, {"clients", "cli_0001"}, {"assets", "asset_0001"},
		{"assets", "asset_0002"}, {"documents", "doc_0001"}, {"valuations", "val_0001"}, {"tokens", "tok_0001"},
		{"loans", "loan_0001"}, {"loans", "loan_0002"}, {"repayments", "pay_0001"}, {"events", "evt_0001"},
		{"webhook_endpoints", "wh_0001"}, {"webhook_deliveries", "dlv_0001"}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := db.inTx(t.Context(), func(q queries) error {
				require.NoError(t, tc.read(t.Context(), &tx{q}))
				for _, r := range all {
					want := false
					for _, l := range tc.rows {
						want = want || l == r
					}
					require.Equal(t, want, locked(t, db, r.table, "id", r.id), "%s %s locked", r.table, r.id)
				}
				require.False(t, locked(t, db, "settings", "key", "contract:31337"))
				return nil
			})
			require.NoError(t, err)
			for _, r := range tc.rows {
				require.False(t, locked(t, db, r.table, "id", r.id), "the lock ends with the transaction")
			}
		})
	}

	t.Run("outside a transaction", func(t *testing.T) {
		_, err := db.Loan(t.Context(), "biz_0001", "loan_0001")
		require.NoError(t, err)
		require.Empty(t, db.forUpdate())
	})
}

// Two transactions that lock two loans in opposite orders deadlock;
// PostgreSQL aborts one (40P01) and inTx runs it again, so both finish.
func TestDeadlockIsRetried(t *testing.T) {
	db := open(t, Config{})
	fixture(t, db)
	other := another(t, db)
	var attempts atomic.Int32
	held := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	var once [2]sync.Once
	orders := [2][2]string{{"loan_0001", "loan_0002"}, {"loan_0002", "loan_0001"}}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, d := range []*DB{db, other} {
		wg.Go(func() {
			errs[i] = d.inTx(t.Context(), func(q queries) error {
				attempts.Add(1)
				tx := &tx{q}
				for n, id := range orders[i] {
					l, err := tx.Loan(t.Context(), "biz_0001", id)
					if err != nil {
						return err
					}
					l.DaysPastDue++
					if err := tx.UpdateLoan(t.Context(), l); err != nil {
						return err
					}
					if n == 0 {
						once[i].Do(func() { close(held[i]) })
						<-held[1-i] // both hold their first loan: each now waits for the other
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.Equal(t, int32(3), attempts.Load(), "one of the two ran again")
	for _, id := range []string{"loan_0001", "loan_0002"} {
		l, err := db.Loan(t.Context(), "biz_0001", id)
		require.NoError(t, err)
		require.Equal(t, 2, l.DaysPastDue)
	}
}

// Ids, and the other keys lists order or page by, compare bytewise
// (COLLATE "C"), as in SQLite, whatever the database's locale: under
// en_US, "asset_B" would sort after "asset_a".
func TestKeysCompareBytewise(t *testing.T) {
	db := open(t, Config{})
	rows, err := db.pool.Query(t.Context(), `SELECT table_name || '.' || column_name, coalesce(collation_name, '')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type = 'text' AND table_name <> 'schema_migrations'
			AND (column_name IN ('id', 'scope', 'key') OR column_name LIKE '%\_id') AND column_name <> 'chain_id'`)
	require.NoError(t, err)
	collations := map[string]string{}
	for rows.Next() {
		var column, collation string
		if err := rows.Scan(&column, &collation); err != nil {
			break
		}
		collations[column] = collation
	}
	rows.Close()
	require.NoError(t, rows.Err())
	for column, collation := range collations {
		require.Equal(t, "C", collation, column)
	}
	n := len(collations)
	require.Greater(t, n, 20)
}
