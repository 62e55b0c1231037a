// Package lending computes loan schedules and servicing figures: pure
// functions of their inputs, with no I/O, no clock (dates are arguments) and
// no package-level state. It depends on no other package of this module.
//
// What it owns:
//
//   - [Amortize]: the repayment [Schedule] of [Terms] for the methods
//     [Annuity], [EqualPrincipal], [InterestOnly] and [Balloon] under the
//     day counts [Thirty360], [Act365F], [Act360] and [ActAct].
//   - [Prepay]: a prepayment that reduces the term or the installment.
//   - [Allocate]: a repayment split over fees, interest and principal in a
//     configurable order.
//   - [LatePolicy.Charges]: late fee and penalty interest after a grace
//     period.
//   - [DaysPastDue], [BucketFor] and [DelinquencyPolicy.Assess]: days past
//     due, the delinquency bucket (current, 1-30, 31-60, 61-90, 90+) and
//     the default rule (more than 90 days past due unless configured).
//   - [Policy.Decide]: underwriting from a valuation's figures: approved,
//     rejected with reasons, or referred to an operator.
//   - [Service]: a funded loan's position as of a date, replayed from its
//     schedule and its payments in the order received: how each payment
//     was allocated (fees, interest, principal, prepayment, excess), late
//     fees and penalty interest, days past due, and the payoff amount;
//     [AccruedInterest] is the part-period interest it uses.
//
// Invalid input returns a [*FieldError] naming the field.
//
// # Example
//
//	s, err := lending.Amortize(lending.Terms{
//		Principal:  decimal.RequireFromString("100000"),
//		AnnualRate: decimal.RequireFromString("0.06"), // 6 %
//		Months:     360,
//		Method:     lending.Annuity,
//		DayCount:   lending.Thirty360,
//		Start:      time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC),
//	})
//	// s.Level is 599.55; s.Installments[0].DueDate is 2025-02-28.
//
// # Dates
//
// Installment k falls due k months after Start, computed from Start each
// time with the day clamped to the end of the month: a Jan 31 start falls
// due Feb 28 (29), Mar 31, Apr 30, ... The clock and location of Start are
// kept. Period k runs from due date k−1 (Start for k = 1) to due date k.
//
// # Rounding (half-up to cents, at these points only)
//
// With r = AnnualRate/12, n = Months, P = Principal, B = Balloon:
//
//   - Level installment (Annuity with B = 0, and Balloon):
//     round((P − B·(1+r)^−n) · r / (1 − (1+r)^−n)), which is the annuity
//     on P − B plus the interest B·r. It is computed exactly (integer
//     powers of rationals), then rounded once. With r = 0 it is
//     round((P − B)/n). The ACT day counts use the same r = AnnualRate/12
//     for the installment.
//   - EqualPrincipal monthly principal: round(P/n).
//   - Interest of a period: round(balance × period rate), computed exactly
//     before the single rounding, where balance × period rate is
//     balance × AnnualRate/12 under 30/360 (whatever the dates),
//     balance × AnnualRate × days/365 under ACT/365F,
//     balance × AnnualRate × days/360 under ACT/360, and
//     balance × AnnualRate × Σ (days in year Y / days of year Y) under
//     ACT/ACT, a period across a year end being split at Jan 1.
//   - Principal of a row: Annuity and Balloon: installment − interest, but
//     never below zero (when a long ACT period's interest exceeds the
//     installment, the payment rises to the interest: no negative
//     amortization); EqualPrincipal: the monthly principal; InterestOnly:
//     zero. It is capped at the balance, and the last row takes the whole
//     remaining balance (for Balloon, about B plus the last amortization).
//   - Payment = principal + interest on every row; balance = previous
//     balance − principal. So the principal sums exactly to P, balances
//     never increase, and the last balance is zero.
//   - Late fee: round(FlatFee + overdue × FeeRate), capped at MaxFee;
//     penalty: round(overdue × PenaltyRate × days past due / 365).
//   - Underwriting max amount: truncated (not rounded) to cents.
//
// [Allocate] never rounds: its parts sum exactly to the payment.
package lending
