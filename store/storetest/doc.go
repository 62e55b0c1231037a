// Package storetest is the conformance suite of AssetMint stores: the
// behaviour every [assetmint.Store] must have, written once and run by each
// store's own tests (like River's riverdrivertest.Exercise).
//
// It pins down what the interfaces' doc comments promise and the Engine
// relies on: error codes (ENOTFOUND, ECONFLICT), scoping by business,
// newest-first paging with cursors in both directions, exact money, times
// and metadata, all-or-nothing transactions, idempotency keys, documents
// (declared facts, detaching, matching by hash, serial or VIN across
// businesses), valuation reports, webhook endpoints (deleted ones kept but
// not listed, the enabled ones for fan-out) and their deliveries (one per
// endpoint and event, only onto the business's own endpoint and event),
// tokens (one per asset, only on the business's own asset, unique per chain,
// contract and token number, numbers kept exactly) and platform settings,
// and the job queue's leases, fencing, unique keys and lanes.
//
// Each subtest gets a fresh, migrated store from newStore, which should
// register its cleanup with t.Cleanup:
//
//	func TestStore(t *testing.T) {
//		storetest.Exercise(t, func(t *testing.T) assetmint.Store {
//			db, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"), sqlite.Config{})
//			require.NoError(t, err)
//			t.Cleanup(func() { db.Close() })
//			require.NoError(t, db.Migrate(t.Context()))
//			return db
//		})
//	}
//
// A job queue kept apart from a full store runs the queue's part alone
// with [ExerciseQueue], which takes a func returning a [jobs.Queue].
//
// Tests use fixed times and ids shaped like real ones ("asset_0001"), whose
// text order is their creation order, as the real time-ordered ids'.
//
// [ExerciseConcurrency] runs what only several processes reveal on two
// handles on one database (two instances of the engine): a
// read-modify-write in a transaction loses no update, racing inserts keep
// one loan in flight per asset and one repayment per reference, racing
// reservations claim an idempotency key once, transactions locking rows in
// opposite orders both finish.
package storetest
