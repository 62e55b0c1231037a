package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/lending"
)

// createTokenized creates the business's assets, each with its token:
// asset_NNNN gets tok_NNNN.
func createTokenized(t *testing.T, s assetmint.Store, businessID string, assetIDs ...string) {
	t.Helper()
	for _, id := range assetIDs {
		createAssets(t, s, businessID, id)
		require.NoError(t, s.CreateToken(t.Context(), newToken(businessID, id, tokenOf(id))))
	}
}

// tokenOf is the id of the token createTokenized makes for the asset.
func tokenOf(assetID string) string { return "tok_" + assetID[len(assetID)-4:] }

// newLoan is a loan just requested against the asset: its requested terms
// set, nothing decided yet.
func newLoan(businessID, assetID, id string) *assetmint.Loan {
	return &assetmint.Loan{
		ID:           id,
		BusinessID:   businessID,
		AssetID:      assetID,
		TokenID:      tokenOf(assetID),
		ValuationID:  "val_" + assetID[len(assetID)-4:],
		Amount:       decimal.RequireFromString("50000.00"),
		Currency:     "USD",
		TermMonths:   24,
		Amortization: lending.Annuity,
		DayCount:     lending.Thirty360,
		Purpose:      "working capital",
		Status:       assetmint.LoanSubmitted,
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}

// fundedLoan is a balloon loan with every field set: decided, funded, its
// schedule amortized from the funding date, partly repaid and late.
func fundedLoan(t *testing.T, businessID, assetID, id string) *assetmint.Loan {
	t.Helper()
	l := newLoan(businessID, assetID, id)
	l.Amount = decimal.RequireFromString("101490.47")
	l.TermMonths = 36
	l.Amortization = lending.Balloon
	l.DayCount = lending.Act365F
	l.Balloon = decimal.RequireFromString("20000.00")
	l.Status = assetmint.LoanFunded
	l.AnnualRate = decimal.RequireFromString("0.1250")
	l.MaxAmount = decimal.RequireFromString("120000.08")
	l.LTV = decimal.RequireFromString("0.7512")
	l.Reasons = []string{lending.ReasonLargeAmount, lending.ReasonLowConfidence}
	l.DecidedBy = "operator"
	l.UnderwrittenAt = at(30 * time.Minute)
	l.FundingRequestedAt = at(time.Hour)
	l.FundedAt = at(2 * time.Hour)
	sched, err := lending.Amortize(lending.Terms{
		Principal:  l.Amount,
		AnnualRate: l.AnnualRate,
		Months:     l.TermMonths,
		Method:     l.Amortization,
		DayCount:   l.DayCount,
		Start:      l.FundedAt,
		Balloon:    l.Balloon,
	})
	require.NoError(t, err)
	l.Schedule = &sched
	l.LenderAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	l.OutstandingPrincipal = decimal.RequireFromString("98765.43")
	l.DaysPastDue = 17
	l.UpdatedAt = at(3 * time.Hour)
	return l
}

// readLoan reads one of the business's loans, which must exist.
func readLoan(t *testing.T, s assetmint.Store, businessID, id string) *assetmint.Loan {
	t.Helper()
	l, err := s.Loan(t.Context(), businessID, id)
	require.NoError(t, err)
	return l
}

// requireLoanEqual compares loans, the amounts by value (a store may keep
// 0.1250 as 0.125), the schedules through their JSON (where every amount
// has one canonical form), and nil and empty reasons as the same.
func requireLoanEqual(t *testing.T, want, got *assetmint.Loan) {
	t.Helper()
	require.NotNil(t, got)
	w := *want
	sameAmounts(t, []amount{
		{"amount", &w.Amount, &got.Amount},
		{"balloon", &w.Balloon, &got.Balloon},
		{"annual rate", &w.AnnualRate, &got.AnnualRate},
		{"max amount", &w.MaxAmount, &got.MaxAmount},
		{"ltv", &w.LTV, &got.LTV},
		{"outstanding principal", &w.OutstandingPrincipal, &got.OutstandingPrincipal},
	})
	if want.Schedule == nil {
		require.Nil(t, got.Schedule, "schedule")
	} else {
		require.NotNil(t, got.Schedule, "schedule")
		wantJSON, err := json.Marshal(want.Schedule)
		require.NoError(t, err)
		gotJSON, err := json.Marshal(got.Schedule)
		require.NoError(t, err)
		require.JSONEq(t, string(wantJSON), string(gotJSON))
		w.Schedule = got.Schedule
	}
	require.NotNil(t, got.Reasons, "reasons are an empty, non-nil slice when none")
	if len(w.Reasons) == 0 {
		w.Reasons = got.Reasons
	}
	require.Equal(t, &w, got)
}

func loanIDs(p assetmint.Page[*assetmint.Loan]) []string {
	return idsOf(p.Items, func(l *assetmint.Loan) string { return l.ID })
}

// listLoans lists the business's loans in status (all when ""), up to 10.
func listLoans(t *testing.T, s assetmint.Store, businessID string, status assetmint.LoanStatus) []string {
	t.Helper()
	p, err := s.Loans(t.Context(), businessID, assetmint.LoanFilter{Status: status}, assetmint.ListParams{Limit: 10})
	require.NoError(t, err)
	require.NotNil(t, p.Items)
	return loanIDs(p)
}

// newRepayment is a repayment of 1500.00 on the loan, received at
// received, allocated to interest and principal.
func newRepayment(businessID, loanID, id string, received time.Time) *assetmint.Repayment {
	return &assetmint.Repayment{
		ID:         id,
		BusinessID: businessID,
		LoanID:     loanID,
		Reference:  "ref-" + id,
		Amount:     decimal.RequireFromString("1500.00"),
		ReceivedAt: received,
		Fees:       decimal.RequireFromString("0"),
		Interest:   decimal.RequireFromString("1057.19"),
		Principal:  decimal.RequireFromString("442.81"),
		Prepaid:    decimal.Zero,
		Excess:     decimal.Zero,
		CreatedAt:  received.Add(time.Minute),
	}
}

// amount is one decimal field of a wanted and a read record.
type amount struct {
	name      string
	want, got *decimal.Decimal
}

// sameAmounts requires each pair equal by value, then copies the read form
// into the wanted record, so that a later whole-record comparison sees
// only the other fields.
func sameAmounts(t *testing.T, amounts []amount) {
	t.Helper()
	for _, d := range amounts {
		require.True(t, d.want.Equal(*d.got), "%s: want %s, got %s", d.name, d.want, d.got)
		*d.want = *d.got
	}
}

// requireRepaymentEqual compares repayments, the amounts by value.
func requireRepaymentEqual(t *testing.T, want, got *assetmint.Repayment) {
	t.Helper()
	require.NotNil(t, got)
	w := *want
	sameAmounts(t, []amount{
		{"amount", &w.Amount, &got.Amount},
		{"fees", &w.Fees, &got.Fees},
		{"interest", &w.Interest, &got.Interest},
		{"principal", &w.Principal, &got.Principal},
		{"prepaid", &w.Prepaid, &got.Prepaid},
		{"excess", &w.Excess, &got.Excess},
	})
	require.Equal(t, &w, got)
}

// repayments lists the loan's repayments' ids.
func repayments(t *testing.T, s assetmint.Store, businessID, loanID string) []string {
	t.Helper()
	rs, err := s.Repayments(t.Context(), businessID, loanID)
	require.NoError(t, err)
	require.NotNil(t, rs)
	return idsOf(rs, func(r *assetmint.Repayment) string { return r.ID })
}

var loanTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		l := fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")
		require.NoError(t, s.CreateLoan(t.Context(), l))

		got := readLoan(t, s, "biz_0001", "loan_0001")
		requireLoanEqual(t, l, got)
		require.Equal(t, []string{lending.ReasonLargeAmount, lending.ReasonLowConfidence}, got.Reasons)
		require.Equal(t, "101490.47", got.Amount.StringFixed(2))
		require.Equal(t, "0.1250", got.AnnualRate.StringFixed(4))
		require.Equal(t, at(2*time.Hour), got.FundedAt, "nanoseconds kept")
		require.Equal(t, time.UTC, got.FundedAt.Location())
		require.Len(t, got.Schedule.Installments, 36)
		require.True(t, l.Schedule.Level.Equal(got.Schedule.Level))
		require.True(t, l.Schedule.TotalPayment().Equal(got.Schedule.TotalPayment()))
		require.True(t, got.Schedule.Terms.Start.Equal(at(2*time.Hour)))
		require.True(t, got.Schedule.Installments[35].Balance.IsZero())

		byID, err := s.LoanByID(t.Context(), "loan_0001")
		require.NoError(t, err)
		requireLoanEqual(t, l, byID)
		inFlight, err := s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireLoanEqual(t, l, inFlight)
		p, err := s.Loans(t.Context(), "biz_0001", assetmint.LoanFilter{}, assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		requireLoanEqual(t, l, p.Items[0])

		// A loan just requested: zero amounts, no reasons, no schedule, no
		// times but its own.
		fresh := newLoan("biz_0001", "asset_0002", "loan_0002")
		require.NoError(t, s.CreateLoan(t.Context(), fresh))
		got = readLoan(t, s, "biz_0001", "loan_0002")
		requireLoanEqual(t, fresh, got)
		require.Nil(t, got.Schedule)
		require.Equal(t, []string{}, got.Reasons)
		for _, d := range []decimal.Decimal{got.Balloon, got.AnnualRate, got.MaxAmount, got.LTV, got.OutstandingPrincipal} {
			require.True(t, d.IsZero(), "%s", d)
		}
		require.True(t, got.UnderwrittenAt.IsZero())
		require.True(t, got.FundingRequestedAt.IsZero())
		require.True(t, got.FundedAt.IsZero())
		require.True(t, got.ClosedAt.IsZero())
	}},
	{"DecimalsRoundTripExactly", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		cases := []string{"0", "0.1250", "101490.47", "0.0001", "99999999999999999999.99", "1e-8", "123456789.123456789"}
		for i, v := range cases {
			asset := fmt.Sprintf("asset_%04d", i+1)
			createTokenized(t, s, "biz_0001", asset)
			l := newLoan("biz_0001", asset, fmt.Sprintf("loan_%04d", i+1))
			d := decimal.RequireFromString(v)
			l.Amount, l.Balloon, l.AnnualRate, l.MaxAmount, l.LTV, l.OutstandingPrincipal = d, d, d, d, d, d
			require.NoError(t, s.CreateLoan(t.Context(), l))
			got := readLoan(t, s, "biz_0001", l.ID)
			for _, g := range []decimal.Decimal{got.Amount, got.Balloon, got.AnnualRate, got.MaxAmount, got.LTV, got.OutstandingPrincipal} {
				require.True(t, d.Equal(g), "want %s, got %s", v, g)
			}
			requireLoanEqual(t, l, got)
		}

		// The zero Decimal is zero.
		createTokenized(t, s, "biz_0001", "asset_0100")
		l := newLoan("biz_0001", "asset_0100", "loan_0100")
		l.Amount = decimal.Decimal{}
		require.NoError(t, s.CreateLoan(t.Context(), l))
		got := readLoan(t, s, "biz_0001", "loan_0100")
		require.True(t, got.Amount.IsZero())
		require.Equal(t, "0.00", got.Amount.StringFixed(2))

		r := newRepayment("biz_0001", "loan_0100", "pay_0001", t0)
		r.Amount, r.Fees, r.Interest = decimal.RequireFromString("0.1250"), decimal.RequireFromString("101490.47"), decimal.Decimal{}
		require.NoError(t, s.CreateRepayment(t.Context(), r))
		gotR, err := s.RepaymentByReference(t.Context(), "biz_0001", "loan_0100", r.Reference)
		require.NoError(t, err)
		requireRepaymentEqual(t, r, gotR)
		require.Equal(t, "0.1250", gotR.Amount.StringFixed(4))
		require.True(t, gotR.Interest.IsZero())
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createTokenized(t, s, "biz_0001", "asset_0001")
		createTokenized(t, s, "biz_0002", "asset_0002")
		mine := fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")
		require.NoError(t, s.CreateLoan(t.Context(), mine))
		require.NoError(t, s.CreateRepayment(t.Context(), newRepayment("biz_0001", "loan_0001", "pay_0001", t0)))

		_, err := s.Loan(t.Context(), "biz_0002", "loan_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "loan not found", assetmint.ErrorMessage(err))
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0002", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Empty(t, listLoans(t, s, "biz_0002", ""))
		require.Empty(t, repayments(t, s, "biz_0002", "loan_0001"))
		_, err = s.RepaymentByReference(t.Context(), "biz_0002", "loan_0001", "ref-pay_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		err = s.CreateRepayment(t.Context(), newRepayment("biz_0002", "loan_0001", "pay_0002", t0))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "loan not found", assetmint.ErrorMessage(err))
		require.Equal(t, []string{"pay_0001"}, repayments(t, s, "biz_0001", "loan_0001"))

		stolen := *mine
		stolen.BusinessID = "biz_0002"
		stolen.Status = assetmint.LoanDefaulted
		stolen.LenderAddress = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
		requireCode(t, assetmint.ENOTFOUND, s.UpdateLoan(t.Context(), &stolen))
		requireLoanEqual(t, mine, readLoan(t, s, "biz_0001", "loan_0001"))

		// A loan on another business's asset, with the business's own id
		// or the asset owner's: the pairing must hold.
		for _, tc := range []struct{ biz, asset string }{{"biz_0002", "asset_0001"}, {"biz_0001", "asset_0002"}} {
			err = s.CreateLoan(t.Context(), newLoan(tc.biz, tc.asset, "loan_0002"))
			requireCode(t, assetmint.ENOTFOUND, err)
			require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
			_, err = s.LoanByID(t.Context(), "loan_0002")
			requireCode(t, assetmint.ENOTFOUND, err)
		}
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0002", "asset_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, []string{"loan_0001"}, listLoans(t, s, "biz_0001", ""))

		// LoanByID is for the platform: it reads any business's loan.
		byID, err := s.LoanByID(t.Context(), "loan_0001")
		require.NoError(t, err)
		requireLoanEqual(t, mine, byID)
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001")
		_, err := s.Loan(t.Context(), "biz_0001", "loan_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "loan not found", assetmint.ErrorMessage(err))
		_, err = s.LoanByID(t.Context(), "loan_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "loan not found", assetmint.ErrorMessage(err))
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		requireCode(t, assetmint.ENOTFOUND, s.UpdateLoan(t.Context(), newLoan("biz_0001", "asset_0001", "loan_0404")))
		_, err = s.LoanByID(t.Context(), "loan_0404")
		requireCode(t, assetmint.ENOTFOUND, err) // an update creates nothing

		err = s.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0404", "loan_0001"))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.CreateLoan(t.Context(), newLoan("biz_0404", "asset_0001", "loan_0001")))
		require.Empty(t, listLoans(t, s, "biz_0001", ""))

		err = s.CreateRepayment(t.Context(), newRepayment("biz_0001", "loan_0404", "pay_0001", t0))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "loan not found", assetmint.ErrorMessage(err))
		require.Empty(t, repayments(t, s, "biz_0001", "loan_0404"))
		_, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0404", "ref-pay_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		require.NoError(t, s.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0001", "loan_0001")))
		require.Empty(t, repayments(t, s, "biz_0001", "loan_0001"))
		_, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", "ref-pay_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "repayment not found", assetmint.ErrorMessage(err))
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		orig := newLoan("biz_0001", "asset_0001", "loan_0001")
		orig.Status = assetmint.LoanRejected
		require.NoError(t, s.CreateLoan(t.Context(), orig))

		// The same id, on another asset.
		err := s.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0002", "loan_0001"))
		requireCode(t, assetmint.ECONFLICT, err)
		require.Equal(t, "loan already exists", assetmint.ErrorMessage(err))
		// The same id, not in flight, on the same asset.
		dup := newLoan("biz_0001", "asset_0001", "loan_0001")
		dup.Status = assetmint.LoanRepaid
		requireCode(t, assetmint.ECONFLICT, s.CreateLoan(t.Context(), dup))

		requireLoanEqual(t, orig, readLoan(t, s, "biz_0001", "loan_0001"))
		require.Equal(t, []string{"loan_0001"}, listLoans(t, s, "biz_0001", ""))
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"OneLoanInFlightPerAsset", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		// Every status: a loan in it holds the asset exactly when it is in
		// flight.
		for i, status := range assetmint.LoanStatuses() {
			t.Run(string(status), func(t *testing.T) {
				asset := fmt.Sprintf("asset_%04d", i+1)
				createTokenized(t, s, "biz_0001", asset)
				first := newLoan("biz_0001", asset, fmt.Sprintf("loan_%04d", 10*i+1))
				first.Status = status
				require.NoError(t, s.CreateLoan(t.Context(), first))

				got, err := s.AssetLoanInFlight(t.Context(), "biz_0001", asset)
				second := newLoan("biz_0001", asset, fmt.Sprintf("loan_%04d", 10*i+2))
				if status.InFlight() {
					require.NoError(t, err)
					requireLoanEqual(t, first, got)
					err = s.CreateLoan(t.Context(), second)
					requireCode(t, assetmint.ECONFLICT, err)
					require.Equal(t, "asset has a loan in flight", assetmint.ErrorMessage(err))
					_, err = s.LoanByID(t.Context(), second.ID)
					requireCode(t, assetmint.ENOTFOUND, err)
				} else {
					requireCode(t, assetmint.ENOTFOUND, err)
					require.NoError(t, s.CreateLoan(t.Context(), second))
					got, err = s.AssetLoanInFlight(t.Context(), "biz_0001", asset)
					require.NoError(t, err)
					requireLoanEqual(t, second, got)
				}
			})
		}

		// Once the loan in flight ends, the asset takes another; the ended
		// ones do not count.
		createTokenized(t, s, "biz_0001", "asset_0100")
		l := newLoan("biz_0001", "asset_0100", "loan_0100")
		require.NoError(t, s.CreateLoan(t.Context(), l))
		for i, end := range []assetmint.LoanStatus{assetmint.LoanRejected, assetmint.LoanRepaid, assetmint.LoanDefaulted} {
			next := newLoan("biz_0001", "asset_0100", fmt.Sprintf("loan_%04d", 101+i))
			requireCode(t, assetmint.ECONFLICT, s.CreateLoan(t.Context(), next))
			l.Status = end
			require.NoError(t, s.UpdateLoan(t.Context(), l))
			_, err := s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0100")
			requireCode(t, assetmint.ENOTFOUND, err)
			require.NoError(t, s.CreateLoan(t.Context(), next))
			got, err := s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0100")
			require.NoError(t, err)
			require.Equal(t, next.ID, got.ID)
			l = next
		}
		require.Equal(t, []string{"loan_0103", "loan_0102", "loan_0101", "loan_0100"},
			idsOf(mustLoans(t, s, "biz_0001", assetmint.LoanFilter{}, assetmint.ListParams{Limit: 4}).Items,
				func(l *assetmint.Loan) string { return l.ID }))
	}},
	{"RacingRequestsKeepOne", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001")
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				l := newLoan("biz_0001", "asset_0001", fmt.Sprintf("loan_%04d", i+1))
				if i%2 == 0 {
					errs[i] = s.CreateLoan(t.Context(), l)
					return
				}
				// Check, then insert, in a transaction: the engine's way.
				errs[i] = s.InTx(t.Context(), func(tx assetmint.Tx) error {
					_, err := tx.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
					if err == nil {
						return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "asset has a loan in flight"}
					}
					if assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
						return err
					}
					return tx.CreateLoan(t.Context(), l)
				})
			})
		}
		wg.Wait()
		created := 0
		for _, err := range errs {
			if err == nil {
				created++
				continue
			}
			requireCode(t, assetmint.ECONFLICT, err)
		}
		require.Equal(t, 1, created)
		require.Len(t, listLoans(t, s, "biz_0001", ""), 1)
	}},
	{"UpdateIntoFlightBesideAnotherIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001")
		rejected := newLoan("biz_0001", "asset_0001", "loan_0001")
		rejected.Status = assetmint.LoanRejected
		require.NoError(t, s.CreateLoan(t.Context(), rejected))
		pending := newLoan("biz_0001", "asset_0001", "loan_0002")
		pending.Status = assetmint.LoanReferred
		require.NoError(t, s.CreateLoan(t.Context(), pending))

		for _, status := range []assetmint.LoanStatus{assetmint.LoanSubmitted, assetmint.LoanApproved, assetmint.LoanReferred, assetmint.LoanFunded} {
			back := *rejected
			back.Status = status
			back.UpdatedAt = at(time.Hour)
			err := s.UpdateLoan(t.Context(), &back)
			requireCode(t, assetmint.ECONFLICT, err)
			require.Equal(t, "asset has a loan in flight", assetmint.ErrorMessage(err))
		}
		requireLoanEqual(t, rejected, readLoan(t, s, "biz_0001", "loan_0001"))

		// The loan in flight moves on in flight; the other changes out of
		// flight.
		pending.Status = assetmint.LoanApproved
		require.NoError(t, s.UpdateLoan(t.Context(), pending))
		pending.Status = assetmint.LoanFunded
		require.NoError(t, s.UpdateLoan(t.Context(), pending))
		rejected.RejectionReason = "insufficient collateral"
		require.NoError(t, s.UpdateLoan(t.Context(), rejected))
		requireLoanEqual(t, rejected, readLoan(t, s, "biz_0001", "loan_0001"))
		got, err := s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireLoanEqual(t, pending, got)

		// Back in flight once the other is repaid.
		pending.Status = assetmint.LoanRepaid
		require.NoError(t, s.UpdateLoan(t.Context(), pending))
		rejected.Status = assetmint.LoanReferred
		require.NoError(t, s.UpdateLoan(t.Context(), rejected))
		got, err = s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, "loan_0001", got.ID)
	}},
	{"UpdateWritesOnlyMutableFields", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		orig := newLoan("biz_0001", "asset_0001", "loan_0001")
		orig.Reasons = []string{lending.ReasonLargeAmount}
		orig.Status = assetmint.LoanReferred
		require.NoError(t, s.CreateLoan(t.Context(), orig))
		require.NoError(t, s.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0002", "loan_0002")))

		funded := fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")
		funded.Amount, funded.TermMonths, funded.Amortization, funded.DayCount, funded.Balloon =
			orig.Amount, orig.TermMonths, orig.Amortization, orig.DayCount, orig.Balloon
		funded.UpdatedAt = time.Date(2025, 3, 15, 1, 2, 3, 4, time.FixedZone("EST", -5*3600))
		// Not written: the ids, asset, token, valuation, requested terms and
		// creation time.
		moved := *funded
		moved.AssetID = "asset_0002"
		moved.TokenID = "tok_0002"
		moved.ValuationID = "val_9999"
		moved.Amount = decimal.RequireFromString("1.00")
		moved.Currency = "EUR"
		moved.TermMonths = 6
		moved.Amortization = lending.InterestOnly
		moved.DayCount = lending.ActAct
		moved.Balloon = decimal.RequireFromString("0.50")
		moved.Purpose = "something else"
		moved.CreatedAt = at(time.Hour)
		require.NoError(t, s.UpdateLoan(t.Context(), &moved))

		want := *funded
		want.UpdatedAt = funded.UpdatedAt.UTC()
		requireLoanEqual(t, &want, readLoan(t, s, "biz_0001", "loan_0001"))
		// Only the one loan changes.
		requireLoanEqual(t, newLoan("biz_0001", "asset_0002", "loan_0002"), readLoan(t, s, "biz_0001", "loan_0002"))
		got, err := s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, "loan_0001", got.ID, "still on its asset")

		// Back to empty: no schedule, reasons, times or amounts.
		closed := want
		closed.Status = assetmint.LoanRepaid
		closed.AnnualRate, closed.MaxAmount, closed.LTV, closed.OutstandingPrincipal = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Decimal{}
		closed.Reasons = nil
		closed.DecidedBy, closed.RejectionReason, closed.LenderAddress = "", "", ""
		closed.UnderwrittenAt, closed.FundingRequestedAt, closed.FundedAt = time.Time{}, time.Time{}, time.Time{}
		closed.Schedule = nil
		closed.DaysPastDue = 0
		closed.ClosedAt = at(90 * 24 * time.Hour)
		require.NoError(t, s.UpdateLoan(t.Context(), &closed))
		got = readLoan(t, s, "biz_0001", "loan_0001")
		requireLoanEqual(t, &closed, got)
		require.Nil(t, got.Schedule)
		require.Equal(t, []string{}, got.Reasons)
		require.Equal(t, at(90*24*time.Hour), got.ClosedAt)
	}},
	{"ListNewestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		require.Empty(t, listLoans(t, s, "biz_0001", ""))
		statuses := map[int]assetmint.LoanStatus{1: assetmint.LoanFunded, 3: assetmint.LoanRejected, 4: assetmint.LoanFunded,
			6: assetmint.LoanSubmitted, 7: assetmint.LoanFunded, 8: assetmint.LoanRepaid}
		for i := 1; i <= 8; i++ {
			biz := "biz_0001"
			if i == 2 || i == 5 { // 2 and 5 are another business's, funded
				biz = "biz_0002"
			}
			asset := fmt.Sprintf("asset_%04d", i)
			createTokenized(t, s, biz, asset)
			l := newLoan(biz, asset, fmt.Sprintf("loan_%04d", i))
			l.Status = assetmint.LoanFunded
			if st, ok := statuses[i]; ok {
				l.Status = st
			}
			l.CreatedAt = at(time.Duration(i) * time.Second)
			require.NoError(t, s.CreateLoan(t.Context(), l))
		}
		// biz_0001 has, newest first: 0008 repaid, 0007 funded, 0006
		// submitted, 0004 funded, 0003 rejected, 0001 funded.
		cases := []struct {
			name    string
			status  assetmint.LoanStatus
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", "", assetmint.ListParams{Limit: 2}, []string{"loan_0008", "loan_0007"}, true},
			{"starting after", "", assetmint.ListParams{Limit: 2, StartingAfter: "loan_0007"}, []string{"loan_0006", "loan_0004"}, true},
			{"last page", "", assetmint.ListParams{Limit: 2, StartingAfter: "loan_0004"}, []string{"loan_0003", "loan_0001"}, false},
			{"ending before", "", assetmint.ListParams{Limit: 2, EndingBefore: "loan_0003"}, []string{"loan_0006", "loan_0004"}, true},
			{"filtered, with a cursor outside the filter", assetmint.LoanFunded, assetmint.ListParams{Limit: 2, StartingAfter: "loan_0008"}, []string{"loan_0007", "loan_0004"}, true},
			{"filtered, ending before one outside the filter", assetmint.LoanFunded, assetmint.ListParams{Limit: 2, EndingBefore: "loan_0003"}, []string{"loan_0007", "loan_0004"}, false},
			{"all", "", assetmint.ListParams{Limit: 10}, []string{"loan_0008", "loan_0007", "loan_0006", "loan_0004", "loan_0003", "loan_0001"}, false},
			{"default limit", "", assetmint.ListParams{}, []string{"loan_0008", "loan_0007", "loan_0006", "loan_0004", "loan_0003", "loan_0001"}, false},
			{"funded", assetmint.LoanFunded, assetmint.ListParams{Limit: 10}, []string{"loan_0007", "loan_0004", "loan_0001"}, false},
			{"funded, first page", assetmint.LoanFunded, assetmint.ListParams{Limit: 2}, []string{"loan_0007", "loan_0004"}, true},
			{"funded, starting after", assetmint.LoanFunded, assetmint.ListParams{Limit: 2, StartingAfter: "loan_0004"}, []string{"loan_0001"}, false},
			{"funded, ending before", assetmint.LoanFunded, assetmint.ListParams{Limit: 1, EndingBefore: "loan_0004"}, []string{"loan_0007"}, false},
			{"rejected", assetmint.LoanRejected, assetmint.ListParams{Limit: 10}, []string{"loan_0003"}, false},
			{"none in the status", assetmint.LoanDefaulted, assetmint.ListParams{Limit: 10}, []string{}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := mustLoans(t, s, "biz_0001", assetmint.LoanFilter{Status: tc.status}, tc.params)
				require.Equal(t, tc.want, loanIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}
		p := mustLoans(t, s, "biz_0001", assetmint.LoanFilter{}, assetmint.ListParams{Limit: 1})
		want := newLoan("biz_0001", "asset_0008", "loan_0008")
		want.Status = assetmint.LoanRepaid
		want.CreatedAt = at(8 * time.Second)
		require.Len(t, p.Items, 1)
		requireLoanEqual(t, want, p.Items[0])
		require.Equal(t, []string{"loan_0005", "loan_0002"}, listLoans(t, s, "biz_0002", assetmint.LoanFunded))

		// A cursor must name one of the business's loans, whatever the
		// filter: another business's, or none, is not a place in the list.
		for _, f := range []assetmint.LoanFilter{{}, {Status: assetmint.LoanFunded}} {
			for _, p := range []assetmint.ListParams{{StartingAfter: "loan_0005"}, {EndingBefore: "loan_0002"}, {StartingAfter: "loan_0099"}} {
				requireCursorNotFound[*assetmint.Loan](t)(s.Loans(t.Context(), "biz_0001", f, p))
			}
		}
	}},
	{"AllLoans", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		for i := 1; i <= 5; i++ {
			biz := "biz_0001"
			if i%2 == 0 {
				biz = "biz_0002"
			}
			asset := fmt.Sprintf("asset_%04d", i)
			createTokenized(t, s, biz, asset)
			l := newLoan(biz, asset, fmt.Sprintf("loan_%04d", i))
			if i != 3 {
				l.Status = assetmint.LoanFunded
			}
			require.NoError(t, s.CreateLoan(t.Context(), l))
		}
		all := func(f assetmint.LoanFilter, p assetmint.ListParams) assetmint.Page[*assetmint.Loan] {
			t.Helper()
			page, err := s.AllLoans(t.Context(), f, p)
			require.NoError(t, err)
			require.NotNil(t, page.Items)
			return page
		}
		p := all(assetmint.LoanFilter{}, assetmint.ListParams{Limit: 10})
		require.Equal(t, []string{"loan_0005", "loan_0004", "loan_0003", "loan_0002", "loan_0001"}, loanIDs(p), "every business's, newest first")
		require.False(t, p.HasMore)
		p = all(assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{Limit: 3})
		require.Equal(t, []string{"loan_0005", "loan_0004", "loan_0002"}, loanIDs(p))
		require.True(t, p.HasMore)
		p = all(assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{Limit: 3, StartingAfter: "loan_0002"})
		require.Equal(t, []string{"loan_0001"}, loanIDs(p))
		require.False(t, p.HasMore)
		p = all(assetmint.LoanFilter{Status: assetmint.LoanSubmitted}, assetmint.ListParams{Limit: 3})
		require.Equal(t, []string{"loan_0003"}, loanIDs(p))
		require.Equal(t, "biz_0001", p.Items[0].BusinessID)
		p = all(assetmint.LoanFilter{Status: assetmint.LoanDefaulted}, assetmint.ListParams{})
		require.Empty(t, p.Items)

		// Any business's loan is a cursor here, in the filter or not; only
		// an id that names no loan is refused.
		p = all(assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{StartingAfter: "loan_0003"})
		require.Equal(t, []string{"loan_0002", "loan_0001"}, loanIDs(p))
		p = all(assetmint.LoanFilter{}, assetmint.ListParams{EndingBefore: "loan_0004"})
		require.Equal(t, []string{"loan_0005"}, loanIDs(p))
		requireCursorNotFound[*assetmint.Loan](t)(s.AllLoans(t.Context(), assetmint.LoanFilter{}, assetmint.ListParams{StartingAfter: "loan_0099"}))
		requireCursorNotFound[*assetmint.Loan](t)(s.AllLoans(t.Context(), assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{EndingBefore: "loan_0000"}))
	}},
	{"RepaymentsInOrderReceived", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		require.NoError(t, s.CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")))
		require.NoError(t, s.CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0002", "loan_0002")))
		require.Empty(t, repayments(t, s, "biz_0001", "loan_0001"))

		// Recorded out of order: pay_0003 was received first; pay_0001 and
		// pay_0004 at the same instant; pay_0002 a nanosecond later.
		received := map[string]time.Time{
			"pay_0001": at(48 * time.Hour),
			"pay_0002": at(48*time.Hour + 1),
			"pay_0003": at(24 * time.Hour),
			"pay_0004": at(48 * time.Hour),
		}
		var made []*assetmint.Repayment
		for _, id := range []string{"pay_0004", "pay_0002", "pay_0001", "pay_0003"} {
			r := newRepayment("biz_0001", "loan_0001", id, received[id])
			require.NoError(t, s.CreateRepayment(t.Context(), r))
			made = append(made, r)
		}
		require.NoError(t, s.CreateRepayment(t.Context(), newRepayment("biz_0001", "loan_0002", "pay_0005", t0)))

		rs, err := s.Repayments(t.Context(), "biz_0001", "loan_0001")
		require.NoError(t, err)
		require.Equal(t, []string{"pay_0003", "pay_0001", "pay_0004", "pay_0002"},
			idsOf(rs, func(r *assetmint.Repayment) string { return r.ID }))
		byID := map[string]*assetmint.Repayment{}
		for _, r := range made {
			byID[r.ID] = r
		}
		for _, got := range rs {
			requireRepaymentEqual(t, byID[got.ID], got)
		}
		require.Equal(t, []string{"pay_0005"}, repayments(t, s, "biz_0001", "loan_0002"))
	}},
	{"RepaymentReferences", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		require.NoError(t, s.CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")))
		require.NoError(t, s.CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0002", "loan_0002")))
		r := newRepayment("biz_0001", "loan_0001", "pay_0001", t0)
		r.Reference = "idem-7f3a"
		require.NoError(t, s.CreateRepayment(t.Context(), r))
		got, err := s.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", "idem-7f3a")
		require.NoError(t, err)
		requireRepaymentEqual(t, r, got)

		// The same reference on the loan is the same repayment.
		again := newRepayment("biz_0001", "loan_0001", "pay_0002", at(time.Hour))
		again.Reference = "idem-7f3a"
		err = s.CreateRepayment(t.Context(), again)
		requireCode(t, assetmint.ECONFLICT, err)
		require.Equal(t, "repayment reference already used", assetmint.ErrorMessage(err))
		// The same id.
		dup := newRepayment("biz_0001", "loan_0001", "pay_0001", at(time.Hour))
		err = s.CreateRepayment(t.Context(), dup)
		requireCode(t, assetmint.ECONFLICT, err)
		require.Equal(t, "repayment already exists", assetmint.ErrorMessage(err))
		require.Equal(t, []string{"pay_0001"}, repayments(t, s, "biz_0001", "loan_0001"))

		// References are per loan and exact.
		other := newRepayment("biz_0001", "loan_0002", "pay_0003", t0)
		other.Reference = "idem-7f3a"
		require.NoError(t, s.CreateRepayment(t.Context(), other))
		got, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0002", "idem-7f3a")
		require.NoError(t, err)
		require.Equal(t, "pay_0003", got.ID)
		_, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", "IDEM-7F3A")
		requireCode(t, assetmint.ENOTFOUND, err)

		// No reference never conflicts, and names no repayment.
		for i := 4; i <= 6; i++ {
			r := newRepayment("biz_0001", "loan_0001", fmt.Sprintf("pay_%04d", i), at(time.Duration(i)*time.Hour))
			r.Reference = ""
			require.NoError(t, s.CreateRepayment(t.Context(), r))
		}
		require.Equal(t, []string{"pay_0001", "pay_0004", "pay_0005", "pay_0006"}, repayments(t, s, "biz_0001", "loan_0001"))
		_, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", "")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001")
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			l := fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")
			require.NoError(t, tx.CreateLoan(t.Context(), l))
			got, err := tx.Loan(t.Context(), "biz_0001", "loan_0001")
			require.NoError(t, err, "reads its own writes")
			requireLoanEqual(t, l, got)
			got, err = tx.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			requireLoanEqual(t, l, got)
			p, err := tx.Loans(t.Context(), "biz_0001", assetmint.LoanFilter{Status: assetmint.LoanFunded}, assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"loan_0001"}, loanIDs(p))
			p, err = tx.AllLoans(t.Context(), assetmint.LoanFilter{}, assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"loan_0001"}, loanIDs(p))
			r := newRepayment("biz_0001", "loan_0001", "pay_0001", t0)
			require.NoError(t, tx.CreateRepayment(t.Context(), r))
			rs, err := tx.Repayments(t.Context(), "biz_0001", "loan_0001")
			require.NoError(t, err)
			require.Len(t, rs, 1)
			l.Status = assetmint.LoanRepaid
			require.NoError(t, tx.UpdateLoan(t.Context(), l))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.LoanByID(t.Context(), "loan_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.AssetLoanInFlight(t.Context(), "biz_0001", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Empty(t, listLoans(t, s, "biz_0001", ""))
		require.Empty(t, repayments(t, s, "biz_0001", "loan_0001"))
		_, err = s.RepaymentByReference(t.Context(), "biz_0001", "loan_0001", "ref-pay_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		// The rolled-back loan left the asset and ids free.
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			if err := tx.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0001", "loan_0001")); err != nil {
				return err
			}
			return tx.CreateRepayment(t.Context(), newRepayment("biz_0001", "loan_0001", "pay_0001", t0))
		}))
		requireLoanEqual(t, newLoan("biz_0001", "asset_0001", "loan_0001"), readLoan(t, s, "biz_0001", "loan_0001"))
		require.Equal(t, []string{"pay_0001"}, repayments(t, s, "biz_0001", "loan_0001"))
	}},
}

// mustLoans lists the business's loans, which must not fail.
func mustLoans(t *testing.T, s assetmint.Store, businessID string, f assetmint.LoanFilter, p assetmint.ListParams) assetmint.Page[*assetmint.Loan] {
	t.Helper()
	page, err := s.Loans(t.Context(), businessID, f, p)
	require.NoError(t, err)
	require.NotNil(t, page.Items)
	return page
}
