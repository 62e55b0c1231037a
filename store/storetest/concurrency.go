package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/tokenize"
)

// ExerciseConcurrency runs the cases only several processes reveal: two
// instances of the engine on one database, racing. open returns two
// handles on ONE fresh, empty, migrated database (two stores, each with its
// own connections, as two processes would have) and registers their
// cleanup with t.Cleanup; each subtest calls it once.
//
// What it checks is what the root's Tx Locking paragraph promises: a
// read-modify-write through a transaction loses no update (the read locks
// the row); the unique indexes keep one loan in flight per asset and one
// repayment per loan and reference; an idempotency key is claimed once;
// two transactions that lock the same rows in opposite orders both finish
// (a deadlock is retried by InTx, or cannot happen); an answer completed in
// a transaction wins over a take-over racing it. A store with one writer
// (store/sqlite) passes by serializing whole transactions; a store with
// concurrent transactions (store/postgres) by its row locks, unique
// indexes and atomic statements.
func ExerciseConcurrency(t *testing.T, open func(t *testing.T) (assetmint.Store, assetmint.Store)) {
	t.Helper()
	for _, tc := range concurrencyTests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := open(t)
			tc.run(t, [2]assetmint.Store{a, b})
		})
	}
}

// concurrencyTest is one subtest: it gets two handles on one database.
type concurrencyTest struct {
	name string
	run  func(t *testing.T, s [2]assetmint.Store)
}

// race runs n calls of f at once, call i on handle i%2, and returns their
// errors by i.
func race(s [2]assetmint.Store, n int, f func(i int, s assetmint.Store) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i, s[i%2])
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// requireOneWon checks that exactly one of errs is nil and every other is
// ECONFLICT.
func requireOneWon(t *testing.T, errs []error) {
	t.Helper()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		requireCode(t, assetmint.ECONFLICT, err)
	}
	require.Equal(t, 1, won, "exactly one of the racing calls succeeds")
}

// addDaysPastDue is a read-modify-write of a loan through tx, as the
// servicing sweep and a repayment make one: read it, then write it back
// with DaysPastDue one higher. pause widens the window between the read
// and the write, where a lost update would happen.
func addDaysPastDue(t *testing.T, tx assetmint.Tx, loanID string, pause time.Duration) error {
	l, err := tx.Loan(t.Context(), "biz_0001", loanID)
	if err != nil {
		return err
	}
	time.Sleep(pause)
	l.DaysPastDue++
	return tx.UpdateLoan(t.Context(), l)
}

var concurrencyTests = []concurrencyTest{
	{"ValuationsAreTakenOnce", func(t *testing.T, s [2]assetmint.Store) {
		// Workers on both handles claim and take 200 queued valuations:
		// each is taken exactly once (a claim never leases a row twice, and
		// a take is fenced by the lease).
		q := [2]assetmint.ValuationQueue{valuationQueue(t, s[0]), valuationQueue(t, s[1])}
		const total = 200
		for i := range total {
			queueValuations(t, s[i%2], queued(fmt.Sprintf("asset_%03d", i), 0))
		}
		var mu sync.Mutex
		taken := map[string]int{}
		errs := race(s, 8, func(g int, st assetmint.Store) error {
			worker := fmt.Sprintf("w%d", g)
			for {
				got, err := q[g%2].ClaimValuations(t.Context(), jobs.Claim{Worker: worker, Limit: 3, Lease: time.Hour, Now: t0})
				if err != nil || len(got) == 0 {
					return err
				}
				for _, v := range got {
					err := st.InTx(t.Context(), func(tx assetmint.Tx) error {
						_, err := tx.(assetmint.ValuationQueuer).TakeValuation(t.Context(), v.ID, v.ValuationID, worker, v.Attempt)
						return err
					})
					if err != nil {
						return fmt.Errorf("take %s: %w", v.ValuationID, err)
					}
					mu.Lock()
					taken[v.ValuationID]++
					mu.Unlock()
				}
			}
		})
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.Len(t, taken, total, "every valuation taken")
		for id, n := range taken {
			require.Equal(t, 1, n, "%s taken %d times", id, n)
		}
	}},
	{"ReadModifyWriteLosesNoUpdate", func(t *testing.T, s [2]assetmint.Store) {
		createBusinesses(t, s[0], "biz_0001")
		createTokenized(t, s[0], "biz_0001", "asset_0001")
		require.NoError(t, s[0].CreateLoan(t.Context(), newLoan("biz_0001", "asset_0001", "loan_0001")))

		const workers, each = 8, 6
		errs := race(s, workers, func(i int, s assetmint.Store) error {
			for range each {
				if err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
					return addDaysPastDue(t, tx, "loan_0001", time.Millisecond)
				}); err != nil {
					return err
				}
			}
			return nil
		})
		for _, err := range errs {
			require.NoError(t, err)
		}
		for _, h := range s {
			require.Equal(t, workers*each, readLoan(t, h, "biz_0001", "loan_0001").DaysPastDue,
				"every transaction's increment is kept, as both handles read")
		}
	}},
	{"RacingLoanRequestsKeepOneInFlight", func(t *testing.T, s [2]assetmint.Store) {
		createBusinesses(t, s[0], "biz_0001")
		const assets, racers = 4, 8
		for a := 1; a <= assets; a++ {
			asset := fmt.Sprintf("asset_%04d", a)
			createTokenized(t, s[0], "biz_0001", asset)
			errs := race(s, racers, func(i int, s assetmint.Store) error {
				l := newLoan("biz_0001", asset, fmt.Sprintf("loan_%02d%02d", a, i))
				if i%4 == 3 {
					return s.CreateLoan(t.Context(), l) // no check first
				}
				// Check, then insert, in a transaction: the engine's way.
				return s.InTx(t.Context(), func(tx assetmint.Tx) error {
					_, err := tx.AssetLoanInFlight(t.Context(), "biz_0001", asset)
					if err == nil {
						return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "asset has a loan in flight"}
					}
					if assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
						return err
					}
					time.Sleep(time.Millisecond) // between the check and the insert
					return tx.CreateLoan(t.Context(), l)
				})
			})
			requireOneWon(t, errs)
		}
		for _, h := range s {
			p := mustLoans(t, h, "biz_0001", assetmint.LoanFilter{Status: assetmint.LoanSubmitted}, assetmint.ListParams{Limit: 100})
			require.Len(t, p.Items, assets, "one loan in flight per asset")
		}
	}},
	{"RacingRepaymentsKeepOnePerReference", func(t *testing.T, s [2]assetmint.Store) {
		createBusinesses(t, s[0], "biz_0001")
		createTokenized(t, s[0], "biz_0001", "asset_0001")
		require.NoError(t, s[0].CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")))
		const references, racers = 4, 8
		for r := 1; r <= references; r++ {
			reference := fmt.Sprintf("idem-%04d", r)
			errs := race(s, racers, func(i int, s assetmint.Store) error {
				p := newRepayment("biz_0001", "loan_0001", fmt.Sprintf("pay_%02d%02d", r, i), at(time.Duration(i)*time.Second))
				p.Reference = reference
				if i%4 == 3 {
					return s.CreateRepayment(t.Context(), p)
				}
				// Look the reference up, then insert, without locking the
				// loan: only the unique index stands between the racers.
				return s.InTx(t.Context(), func(tx assetmint.Tx) error {
					_, err := tx.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", reference)
					if err == nil {
						return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "repayment reference already used"}
					}
					if assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
						return err
					}
					time.Sleep(time.Millisecond)
					return tx.CreateRepayment(t.Context(), p)
				})
			})
			requireOneWon(t, errs)
		}
		for _, h := range s {
			rs, err := h.Repayments(t.Context(), "biz_0001", "loan_0001")
			require.NoError(t, err)
			require.Len(t, rs, references, "one repayment per reference")
		}
	}},
	{"RacingReservationsClaimOnce", func(t *testing.T, s [2]assetmint.Store) {
		const racers = 8
		// claimRace races reservations of key at now, each with its own
		// request hash, and returns the winner's hash.
		claimRace := func(key string, now time.Time) string {
			t.Helper()
			recs := make([]*assetmint.IdempotencyRecord, racers)
			errs := race(s, racers, func(i int, s assetmint.Store) error {
				rec := reservation(fmt.Sprintf("hash-%d", i), now)
				rec.Key = key
				var err error
				recs[i], err = s.ReserveIdempotencyKey(t.Context(), rec, now, dayAgo(now))
				return err
			})
			winner := ""
			for i, err := range errs {
				require.NoError(t, err)
				if recs[i] == nil {
					require.Empty(t, winner, "the key is claimed once, by %s and hash-%d", winner, i)
					winner = fmt.Sprintf("hash-%d", i)
				}
			}
			require.NotEmpty(t, winner, "one claim wins")
			for _, rec := range recs {
				if rec != nil {
					require.Equal(t, winner, rec.RequestHash, "the losers see the winner's reservation")
					require.False(t, rec.Complete())
				}
			}
			return winner
		}
		for k := range 4 {
			key := fmt.Sprintf("key-%d", k)
			claimRace(key, t0)                           // a free key
			claimRace(key, at(time.Minute))              // its lock lapsed at t0+30s
			claimRace(key, at(25*time.Hour))             // expired (created a day before)
			claimRace(key, at(25*time.Hour+time.Minute)) // lapsed again
		}
	}},
	{"OppositeLockOrdersBothFinish", func(t *testing.T, s [2]assetmint.Store) {
		createBusinesses(t, s[0], "biz_0001")
		createTokenized(t, s[0], "biz_0001", "asset_0001", "asset_0002")
		require.NoError(t, s[0].CreateLoan(t.Context(), newLoan("biz_0001", "asset_0001", "loan_0001")))
		require.NoError(t, s[0].CreateLoan(t.Context(), newLoan("biz_0001", "asset_0002", "loan_0002")))

		// Each transaction locks its first loan, then waits (a while, not
		// forever: with one writer the other cannot start) until the other
		// holds its first, then takes its second: a deadlock where
		// transactions run concurrently.
		held := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
		var once [2]sync.Once
		var attempts atomic.Int32
		orders := [2][2]string{{"loan_0001", "loan_0002"}, {"loan_0002", "loan_0001"}}
		errs := race(s, 2, func(i int, s assetmint.Store) error {
			return s.InTx(t.Context(), func(tx assetmint.Tx) error {
				attempts.Add(1)
				if err := addDaysPastDue(t, tx, orders[i][0], 0); err != nil {
					return err
				}
				once[i].Do(func() { close(held[i]) })
				select {
				case <-held[1-i]:
				case <-time.After(300 * time.Millisecond):
				}
				return addDaysPastDue(t, tx, orders[i][1], 0)
			})
		})
		for _, err := range errs {
			require.NoError(t, err, "both transactions finish")
		}
		for _, id := range []string{"loan_0001", "loan_0002"} {
			require.Equal(t, 2, readLoan(t, s[1], "biz_0001", id).DaysPastDue, "both increments of %s kept", id)
		}
		t.Logf("%d attempts for 2 transactions", attempts.Load())
	}},
	{"CompletionInTxBeatsTakeOver", func(t *testing.T, s [2]assetmint.Store) {
		require.Nil(t, reserve(t, s[0], "hash-1", t0))
		// The request's effect commits with its answer, slowly; meanwhile,
		// after its lock has lapsed, a retry arrives on the other handle.
		completed := make(chan struct{})
		var retry *assetmint.IdempotencyRecord
		var retryErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			<-completed
			retry, retryErr = s[1].ReserveIdempotencyKey(t.Context(), reservation("hash-1", at(time.Minute)), at(time.Minute), dayAgo(at(time.Minute)))
		})
		err := s[0].InTx(t.Context(), func(tx assetmint.Tx) error {
			if err := tx.CompleteIdempotencyKey(t.Context(), reservation("hash-1", t0), 201, []byte(`{"first":true}`)); err != nil {
				return err
			}
			close(completed)
			time.Sleep(100 * time.Millisecond)
			return nil
		})
		wg.Wait()
		require.NoError(t, err)
		require.NoError(t, retryErr)
		require.NotNil(t, retry, "the retry waits for the completion and is answered, not given the key")
		require.True(t, retry.Complete())
		require.Equal(t, []byte(`{"first":true}`), retry.Body)
	}},
	{"RacingIntentsGetOneNonceEach", func(t *testing.T, s [2]assetmint.Store) {
		// Two instances' managers take the next nonce at once: one gets it,
		// the other is told to take the next one; one key, one live intent.
		errs := race(s, 8, func(i int, s assetmint.Store) error {
			in := newIntent(signerA, 5, fmt.Sprintf("mint:asset_%04d", i))
			in.Attempts[0] = attemptN(5, i)
			return intents(t, s).CreateIntents(t.Context(), in)
		})
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, tokenize.ErrNonceTaken)
		}
		require.Equal(t, 1, won)
		errs = race(s, 8, func(i int, s assetmint.Store) error {
			in := newIntent(signerA, uint64(10+i), "lock:loan_0001")
			in.Attempts[0] = attemptN(uint64(10+i), 0)
			return intents(t, s).CreateIntents(t.Context(), in)
		})
		won = 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, tokenize.ErrIntentExists)
		}
		require.Equal(t, 1, won)
		require.Len(t, openNonces(t, intents(t, s[0]), signerA), 2)
	}},
}
