package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/assetmint/assetmint"
)

const loanCols = `id, business_id, asset_id, token_id, valuation_id, amount, currency, term_months, amortization, day_count,
	balloon, purpose, status, annual_rate, max_amount, ltv, reasons, decided_by, rejection_reason, underwritten_at,
	funding_requested_at, funded_at, schedule, lender_address, outstanding_principal, days_past_due, closed_at, created_at, updated_at`

// inFlight is the condition of a loan in flight (LoanStatus.InFlight),
// spelled as the partial unique index loans_asset_id_in_flight spells it,
// so that the planner can use the index.
const inFlight = `status IN ('submitted', 'approved', 'referred', 'funded')`

// loansInFlight is the name of that index, which a second loan in flight
// of an asset violates.
const loansInFlight = "loans_asset_id_in_flight"

func scanLoan(s rowScanner) (*assetmint.Loan, error) {
	var l assetmint.Loan
	err := s.Scan(&l.ID, &l.BusinessID, &l.AssetID, &l.TokenID, &l.ValuationID, &l.Amount, &l.Currency, &l.TermMonths,
		&l.Amortization, &l.DayCount, &l.Balloon, &l.Purpose, &l.Status, &l.AnnualRate, &l.MaxAmount, &l.LTV,
		stringsCol{&l.Reasons}, &l.DecidedBy, &l.RejectionReason, timeCol{&l.UnderwrittenAt}, timeCol{&l.FundingRequestedAt},
		timeCol{&l.FundedAt}, jsonCol{&l.Schedule}, &l.LenderAddress, &l.OutstandingPrincipal, &l.DaysPastDue,
		timeCol{&l.ClosedAt}, timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// CreateLoan inserts l if its asset exists in l.BusinessID and its token
// exists. ECONFLICT if the id exists ("loan already exists") or the asset
// has another loan in flight ("asset has a loan in flight": the partial
// unique index, so of racing requests from any instances one wins);
// ENOTFOUND ("asset not found") if the asset is absent or another
// business's, or the token is absent.
func (q queries) CreateLoan(ctx context.Context, l *assetmint.Loan) error {
	reasons, err := stringsArg(l.Reasons)
	if err != nil {
		return internal(err)
	}
	schedule, err := jsonArg(l.Schedule)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `INSERT INTO loans (`+loanCols+`)
		SELECT `+placeholders(29)+`
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = $3 AND business_id = $2)
			AND EXISTS (SELECT 1 FROM tokens WHERE id = $4)
		ON CONFLICT DO NOTHING`,
		l.ID, l.BusinessID, l.AssetID, l.TokenID, l.ValuationID, decimalArg(l.Amount), l.Currency, l.TermMonths,
		string(l.Amortization), string(l.DayCount), decimalArg(l.Balloon), l.Purpose, string(l.Status),
		decimalArg(l.AnnualRate), decimalArg(l.MaxAmount), decimalArg(l.LTV), reasons, l.DecidedBy, l.RejectionReason,
		timeArg(l.UnderwrittenAt), timeArg(l.FundingRequestedAt), timeArg(l.FundedAt), schedule, l.LenderAddress,
		decimalArg(l.OutstandingPrincipal), l.DaysPastDue, timeArg(l.ClosedAt), timeArg(l.CreatedAt), timeArg(l.UpdatedAt))
	return q.inserted(ctx, "loan", tag, err, conflict("asset has a loan in flight"),
		assetInBusiness(l.AssetID, l.BusinessID),
		needs("asset", `SELECT EXISTS (SELECT 1 FROM tokens WHERE id = $1)`, l.TokenID),
		taken("loan already exists", `SELECT EXISTS (SELECT 1 FROM loans WHERE id = $1)`, l.ID))
}

// Loan reads one of the business's loans, locking its row in a
// transaction. ENOTFOUND if absent or another business's.
func (q queries) Loan(ctx context.Context, businessID, id string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.q.QueryRow(ctx, `SELECT `+loanCols+` FROM loans WHERE id = $1 AND business_id = $2`+q.forUpdate(),
		id, businessID))
	if err != nil {
		return nil, storeError(err, "loan")
	}
	return l, nil
}

// LoanByID reads a loan whatever its business (operator actions and
// platform jobs), locking its row in a transaction. ENOTFOUND if absent.
func (q queries) LoanByID(ctx context.Context, id string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.q.QueryRow(ctx, `SELECT `+loanCols+` FROM loans WHERE id = $1`+q.forUpdate(), id))
	if err != nil {
		return nil, storeError(err, "loan")
	}
	return l, nil
}

// Loans lists the business's loans, newest first, only those in f.Status
// when it is set.
func (q queries) Loans(ctx context.Context, businessID string, f assetmint.LoanFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
	return list[*assetmint.Loan]{table: "loans", cols: loanCols, scope: []cond{eq("business_id", businessID)},
		filter: loanFilter(f), scan: scanLoan, thing: "loan"}.page(ctx, q.q, p)
}

// AllLoans lists every business's loans, newest first, only those in
// f.Status when it is set.
func (q queries) AllLoans(ctx context.Context, f assetmint.LoanFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
	return list[*assetmint.Loan]{table: "loans", cols: loanCols, filter: loanFilter(f), scan: scanLoan, thing: "loan"}.page(ctx, q.q, p)
}

// loanFilter is f as a condition.
func loanFilter(f assetmint.LoanFilter) cond {
	if f.Status == "" {
		return nil
	}
	return eq("status", string(f.Status))
}

// AssetLoanInFlight reads the asset's loan in flight, locking its row in a
// transaction. ENOTFOUND ("loan not found") if it has none, or is another
// business's. (With none, nothing is locked: the unique index is what
// keeps a second loan out.)
func (q queries) AssetLoanInFlight(ctx context.Context, businessID, assetID string) (*assetmint.Loan, error) {
	l, err := scanLoan(q.q.QueryRow(ctx, `SELECT `+loanCols+` FROM loans
		WHERE asset_id = $1 AND `+inFlight+` AND business_id = $2`+q.forUpdate(), assetID, businessID))
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
// another loan of its asset (the unique index fails the statement, and so
// the transaction it runs in).
func (q queries) UpdateLoan(ctx context.Context, l *assetmint.Loan) error {
	reasons, err := stringsArg(l.Reasons)
	if err != nil {
		return internal(err)
	}
	schedule, err := jsonArg(l.Schedule)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `UPDATE loans SET status = $1, annual_rate = $2, max_amount = $3, ltv = $4,
		reasons = $5, decided_by = $6, rejection_reason = $7, underwritten_at = $8, funding_requested_at = $9,
		funded_at = $10, schedule = $11, lender_address = $12, outstanding_principal = $13, days_past_due = $14,
		closed_at = $15, updated_at = $16
		WHERE id = $17 AND business_id = $18`,
		string(l.Status), decimalArg(l.AnnualRate), decimalArg(l.MaxAmount), decimalArg(l.LTV), reasons, l.DecidedBy,
		l.RejectionReason, timeArg(l.UnderwrittenAt), timeArg(l.FundingRequestedAt), timeArg(l.FundedAt), schedule,
		l.LenderAddress, decimalArg(l.OutstandingPrincipal), l.DaysPastDue, timeArg(l.ClosedAt), timeArg(l.UpdatedAt),
		l.ID, l.BusinessID)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == loansInFlight {
		return &assetmint.Error{Code: assetmint.ECONFLICT, Message: "asset has a loan in flight", Err: err}
	}
	return oneRow(tag, err, "loan")
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
// used": a partial unique index, so of racing inserts one wins); ENOTFOUND
// ("loan not found") if the loan is absent or another business's.
func (q queries) CreateRepayment(ctx context.Context, r *assetmint.Repayment) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO repayments (`+repaymentCols+`)
		SELECT `+placeholders(12)+`
		WHERE EXISTS (SELECT 1 FROM loans WHERE id = $3 AND business_id = $2)
		ON CONFLICT DO NOTHING`,
		r.ID, r.BusinessID, r.LoanID, r.Reference, decimalArg(r.Amount), timeArg(r.ReceivedAt), decimalArg(r.Fees),
		decimalArg(r.Interest), decimalArg(r.Principal), decimalArg(r.Prepaid), decimalArg(r.Excess), timeArg(r.CreatedAt))
	return q.inserted(ctx, "repayment", tag, err, conflict("repayment reference already used"),
		needs("loan", `SELECT EXISTS (SELECT 1 FROM loans WHERE id = $1 AND business_id = $2)`, r.LoanID, r.BusinessID),
		taken("repayment already exists", `SELECT EXISTS (SELECT 1 FROM repayments WHERE id = $1)`, r.ID))
}

// Repayments lists the loan's repayments, oldest first (by received time,
// then id); none for an absent loan or another business's.
func (q queries) Repayments(ctx context.Context, businessID, loanID string) ([]*assetmint.Repayment, error) {
	return queryAll(ctx, q.q, `SELECT `+repaymentCols+` FROM repayments WHERE loan_id = $1 AND business_id = $2
		ORDER BY received_at ASC, id ASC`, []any{loanID, businessID}, scanRepayment, "repayment")
}

// RepaymentByReference reads the loan's repayment with that reference,
// locking its row in a transaction. ENOTFOUND ("repayment not found") if
// none, the loan is another business's, or reference is empty (no
// reference names no repayment).
func (q queries) RepaymentByReference(ctx context.Context, businessID, loanID, reference string) (*assetmint.Repayment, error) {
	if reference == "" {
		return nil, notFound("repayment")
	}
	r, err := scanRepayment(q.q.QueryRow(ctx, `SELECT `+repaymentCols+` FROM repayments
		WHERE loan_id = $1 AND reference = $2 AND reference <> '' AND business_id = $3`+q.forUpdate(),
		loanID, reference, businessID))
	if err != nil {
		return nil, storeError(err, "repayment")
	}
	return r, nil
}
