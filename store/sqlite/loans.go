package sqlite

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mattn/go-sqlite3"
	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

const loanCols = `id, business_id, asset_id, token_id, valuation_id, amount, currency, term_months, amortization, day_count,
	balloon, purpose, status, annual_rate, max_amount, ltv, reasons, decided_by, rejection_reason, underwritten_at,
	funding_requested_at, funded_at, schedule, lender_address, outstanding_principal, days_past_due, closed_at, created_at, updated_at`

// inFlight is the condition of a loan in flight (LoanStatus.InFlight),
// spelled as the partial unique index loans_asset_id_in_flight spells it so
// that SQLite uses the index.
const inFlight = `status IN ('submitted', 'approved', 'referred', 'funded')`

func scanLoan(s rowScanner) (*assetmint.Loan, error) {
	var l assetmint.Loan
	err := s.Scan(&l.ID, &l.BusinessID, &l.AssetID, &l.TokenID, &l.ValuationID, &l.Amount, &l.Currency, &l.TermMonths,
		&l.Amortization, &l.DayCount, &l.Balloon, &l.Purpose, &l.Status, &l.AnnualRate, &l.MaxAmount, &l.LTV,
		stringsCol{&l.Reasons}, &l.DecidedBy, &l.RejectionReason, timeCol{&l.UnderwrittenAt}, timeCol{&l.FundingRequestedAt}, timeCol{&l.FundedAt},
		jsonCol{&l.Schedule}, &l.LenderAddress, &l.OutstandingPrincipal, &l.DaysPastDue, timeCol{&l.ClosedAt},
		timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// loanJSON is the stored form of l's reasons (a JSON array, "[]" for nil)
// and schedule (JSON text, or NULL for nil).
func loanJSON(l *assetmint.Loan) (reasons string, schedule any, err error) {
	reasons, err = stringsArg(l.Reasons)
	if err != nil {
		return "", nil, err
	}
	if l.Schedule != nil {
		b, err := json.Marshal(l.Schedule)
		if err != nil {
			return "", nil, err
		}
		schedule = string(b)
	}
	return reasons, schedule, nil
}

// CreateLoan inserts l if its asset exists in l.BusinessID. ECONFLICT if
// the id exists ("loan already exists") or the asset has another loan in
// flight ("asset has a loan in flight"); ENOTFOUND ("asset not found") if
// the asset is absent or another business's, or the token is absent.
func (q queries) CreateLoan(ctx context.Context, l *assetmint.Loan) error {
	reasons, schedule, err := loanJSON(l)
	if err != nil {
		return internal(err)
	}
	res, err := q.w.ExecContext(ctx, `INSERT INTO loans (`+loanCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = ? AND business_id = ?)`,
		l.ID, l.BusinessID, l.AssetID, l.TokenID, l.ValuationID, l.Amount.String(), l.Currency, l.TermMonths,
		string(l.Amortization), string(l.DayCount), l.Balloon.String(), l.Purpose, string(l.Status),
		l.AnnualRate.String(), l.MaxAmount.String(), l.LTV.String(), reasons, l.DecidedBy, l.RejectionReason,
		timeArg(l.UnderwrittenAt), timeArg(l.FundingRequestedAt), timeArg(l.FundedAt), schedule, l.LenderAddress,
		l.OutstandingPrincipal.String(), l.DaysPastDue, timeArg(l.ClosedAt), timeArg(l.CreatedAt), timeArg(l.UpdatedAt),
		l.AssetID, l.BusinessID)
	if err := uniqueConflict(err, "asset has a loan in flight"); err != nil {
		return err
	}
	return insertOn(res, err, "loan", "asset")
}

// Loan reads one of the business's loans. ENOTFOUND if absent or another
// business's.
func (q queries) Loan(ctx context.Context, businessID, id string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.r.QueryRowContext(ctx, `SELECT `+loanCols+` FROM loans WHERE id = ? AND business_id = ?`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "loan")
	}
	return l, nil
}

// LoanByID reads a loan whatever its business (operator actions and
// platform jobs). ENOTFOUND if absent.
func (q queries) LoanByID(ctx context.Context, id string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.r.QueryRowContext(ctx, `SELECT `+loanCols+` FROM loans WHERE id = ?`, id))
	if err != nil {
		return nil, storeError(err, "loan")
	}
	return l, nil
}

// Loans lists the business's loans, newest first, only those in f.Status
// when it is set.
func (q queries) Loans(ctx context.Context, businessID string, f assetmint.LoanFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
	return list[*assetmint.Loan]{table: "loans", cols: loanCols, scope: cond{"business_id = ?", []any{businessID}},
		filter: loanFilter(f), scan: scanLoan, thing: "loan"}.page(ctx, q.r, p)
}

// AllLoans lists every business's loans, newest first, only those in
// f.Status when it is set.
func (q queries) AllLoans(ctx context.Context, f assetmint.LoanFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
	return list[*assetmint.Loan]{table: "loans", cols: loanCols, filter: loanFilter(f), scan: scanLoan, thing: "loan"}.page(ctx, q.r, p)
}

// loanFilter is f as a condition.
func loanFilter(f assetmint.LoanFilter) cond {
	if f.Status == "" {
		return cond{}
	}
	return cond{"status = ?", []any{string(f.Status)}}
}

// AssetLoanInFlight reads the asset's loan in flight. ENOTFOUND ("loan not
// found") if it has none, or is another business's.
func (q queries) AssetLoanInFlight(ctx context.Context, businessID, assetID string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.r.QueryRowContext(ctx, `SELECT `+loanCols+` FROM loans
		WHERE asset_id = ? AND `+inFlight+` AND business_id = ?`, assetID, businessID))
	if err != nil {
		return nil, storeError(err, "loan")
	}
	return l, nil
}

// UpdateLoan writes l's status, rate, maximum, LTV, reasons, decision,
// funding, schedule, lender, servicing figures, closing and update time,
// scoped by l.BusinessID; its asset, token, valuation, requested terms
// (amount, currency, term, amortization, day count, balloon and purpose) and
// creation time never change. ENOTFOUND if absent or another business's;
// ECONFLICT ("asset has a loan in flight") if l would be in flight beside
// another loan of its asset.
func (q queries) UpdateLoan(ctx context.Context, l *assetmint.Loan) error {
	reasons, schedule, err := loanJSON(l)
	if err != nil {
		return internal(err)
	}
	res, err := q.w.ExecContext(ctx, `UPDATE loans SET status = ?, annual_rate = ?, max_amount = ?, ltv = ?,
		reasons = ?, decided_by = ?, rejection_reason = ?, underwritten_at = ?, funding_requested_at = ?, funded_at = ?, schedule = ?,
		lender_address = ?, outstanding_principal = ?, days_past_due = ?, closed_at = ?, updated_at = ?
		WHERE id = ? AND business_id = ?`,
		string(l.Status), l.AnnualRate.String(), l.MaxAmount.String(), l.LTV.String(), reasons, l.DecidedBy,
		l.RejectionReason, timeArg(l.UnderwrittenAt), timeArg(l.FundingRequestedAt), timeArg(l.FundedAt), schedule, l.LenderAddress,
		l.OutstandingPrincipal.String(), l.DaysPastDue, timeArg(l.ClosedAt), timeArg(l.UpdatedAt), l.ID, l.BusinessID)
	if err := uniqueConflict(err, "asset has a loan in flight"); err != nil {
		return err
	}
	return oneRow(res, err, "loan")
}

const repaymentCols = `id, business_id, loan_id, reference, amount, received_at, fees, interest, principal, prepaid,
	excess, created_at`

func scanRepayment(s rowScanner) (*assetmint.Repayment, error) {
	var r assetmint.Repayment
	err := s.Scan(&r.ID, &r.BusinessID, &r.LoanID, &r.Reference, &r.Amount, timeCol{&r.ReceivedAt}, &r.Fees,
		&r.Interest, &r.Principal, &r.Prepaid, &r.Excess, timeCol{&r.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRepayment inserts r if its loan exists in r.BusinessID. ECONFLICT
// if the id exists ("repayment already exists") or the loan has a
// repayment with the same non-empty reference ("repayment reference already
// used"); ENOTFOUND ("loan not found") if the loan is absent or another
// business's.
func (q queries) CreateRepayment(ctx context.Context, r *assetmint.Repayment) error {
	res, err := q.w.ExecContext(ctx, `INSERT INTO repayments (`+repaymentCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM loans WHERE id = ? AND business_id = ?)`,
		r.ID, r.BusinessID, r.LoanID, r.Reference, r.Amount.String(), timeArg(r.ReceivedAt), r.Fees.String(),
		r.Interest.String(), r.Principal.String(), r.Prepaid.String(), r.Excess.String(), timeArg(r.CreatedAt),
		r.LoanID, r.BusinessID)
	if err := uniqueConflict(err, "repayment reference already used"); err != nil {
		return err
	}
	return insertOn(res, err, "repayment", "loan")
}

// Repayments lists the loan's repayments, oldest first (by received time,
// then id); none for an absent loan or another business's.
func (q queries) Repayments(ctx context.Context, businessID, loanID string) ([]*assetmint.Repayment, error) {
	return queryAll(ctx, q.r, `SELECT `+repaymentCols+` FROM repayments WHERE loan_id = ? AND business_id = ?
		ORDER BY received_at ASC, id ASC`, []any{loanID, businessID}, scanRepayment, "repayment")
}

// RepaymentByReference reads the loan's repayment with that reference.
// ENOTFOUND ("repayment not found") if none, the loan is another
// business's, or reference is empty (no reference names no repayment).
func (q queries) RepaymentByReference(ctx context.Context, businessID, loanID, reference string) (*assetmint.Repayment, error) {
	if reference == "" {
		return nil, notFound("repayment")
	}
	r, err := scanRepayment(q.r.QueryRowContext(ctx, `SELECT `+repaymentCols+` FROM repayments
		WHERE loan_id = ? AND reference = ? AND reference <> '' AND business_id = ?`, loanID, reference, businessID))
	if err != nil {
		return nil, storeError(err, "repayment")
	}
	return r, nil
}

// uniqueConflict is ECONFLICT with message if err is a UNIQUE constraint
// failing on a secondary unique index, and nil otherwise; a duplicate
// primary key is SQLite's other code, left to storeError.
func uniqueConflict(err error, message string) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
		return &assetmint.Error{Code: assetmint.ECONFLICT, Message: message, Err: err}
	}
	return nil
}

// LoanTallies counts every business's loans by status, days past due and
// currency, from the index loans_status_days_past_due alone, with the exact sum of
// their outstanding principal. Amounts are decimal text with at most two
// decimals (cents), below 10^13: SQLite adds them as whole cents, which is
// exact (a double holds every such amount times 100 to within a hundredth
// of a cent, so rounding it finds the cents, and integer sums are exact or
// fail on overflow). An amount with more decimals, which the Engine never
// writes, sends the sum to Go's decimals instead.
func (q queries) LoanTallies(ctx context.Context) ([]assetmint.LoanTally, error) {
	odd := false
	tallies, err := queryAll(ctx, q.r, `SELECT status, days_past_due, currency, count(*),
		sum(CAST(round(CAST(outstanding_principal AS REAL) * 100) AS INTEGER)),
		sum(instr(outstanding_principal, '.') > 0 AND length(outstanding_principal) - instr(outstanding_principal, '.') > 2
			OR instr(lower(outstanding_principal), 'e') > 0 OR abs(CAST(outstanding_principal AS REAL)) >= 1e13)
		FROM loans GROUP BY status, days_past_due, currency`, nil, func(s rowScanner) (assetmint.LoanTally, error) {
		var t assetmint.LoanTally
		var cents, notCents int64
		if err := s.Scan(&t.Status, &t.DaysPastDue, &t.Currency, &t.Count, &cents, &notCents); err != nil {
			return t, err
		}
		odd = odd || notCents > 0
		t.OutstandingPrincipal = decimal.New(cents, -2)
		return t, nil
	}, "loan")
	if err != nil || !odd {
		return tallies, err
	}
	return q.loanTalliesInGo(ctx)
}

// loanTalliesInGo is LoanTallies summing every loan's outstanding principal
// as a decimal, whatever its digits.
func (q queries) loanTalliesInGo(ctx context.Context) ([]assetmint.LoanTally, error) {
	type key struct {
		status   assetmint.LoanStatus
		dpd      int
		currency string
	}
	rows, err := queryAll(ctx, q.r, `SELECT status, days_past_due, currency, outstanding_principal FROM loans`, nil,
		func(s rowScanner) (assetmint.LoanTally, error) {
			var t assetmint.LoanTally
			return t, s.Scan(&t.Status, &t.DaysPastDue, &t.Currency, &t.OutstandingPrincipal)
		}, "loan")
	if err != nil {
		return nil, err
	}
	var out []assetmint.LoanTally
	at := map[key]int{}
	for _, r := range rows {
		k := key{r.Status, r.DaysPastDue, r.Currency}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, assetmint.LoanTally{Status: r.Status, DaysPastDue: r.DaysPastDue, Currency: r.Currency,
				OutstandingPrincipal: decimal.Zero})
		}
		out[i].Count++
		out[i].OutstandingPrincipal = out[i].OutstandingPrincipal.Add(r.OutstandingPrincipal)
	}
	return out, nil
}
