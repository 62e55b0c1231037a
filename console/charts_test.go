package console_test

import (
	"context"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/assetmint/assetmint"
)

// The charts' figures, checked against figures this test computes itself,
// not against the code that drew them.

// annuity is a 30/360 annuity schedule worked out here: installment =
// P·r / (1 − (1+r)^−n) with r = annual/12, rounded half-up to cents;
// interest = balance·r, rounded; the last installment takes what is left.
// Due dates are start plus k months, the day clamped to the month's end.
type installment struct {
	due                                   string
	payment, principal, interest, balance decimal.Decimal
}

func annuity(principal, annual decimal.Decimal, n int, start time.Time) []installment {
	r := annual.Div(decimal.NewFromInt(12))
	// (1+r)^n in big floats, far beyond cents.
	prec := uint(256)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	rf, _ := new(big.Float).SetPrec(prec).SetString(r.String())
	pow := new(big.Float).SetPrec(prec).SetInt64(1)
	base := new(big.Float).SetPrec(prec).Add(one, rf)
	for range n {
		pow.Mul(pow, base)
	}
	// P·r·(1+r)^n / ((1+r)^n − 1)
	pf, _ := new(big.Float).SetPrec(prec).SetString(principal.String())
	num := new(big.Float).SetPrec(prec).Mul(pf, rf)
	num.Mul(num, pow)
	den := new(big.Float).SetPrec(prec).Sub(pow, one)
	exact := new(big.Float).SetPrec(prec).Quo(num, den)
	level := decimal.RequireFromString(exact.Text('f', 40)).Round(2)

	var out []installment
	balance := principal
	for k := 1; k <= n; k++ {
		interest := balance.Mul(r).Round(2)
		pay := level
		prin := pay.Sub(interest)
		if k == n {
			prin = balance
			pay = prin.Add(interest)
		}
		balance = balance.Sub(prin)
		y, m, _ := start.Date()
		due := time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		last := time.Date(due.Year(), due.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		out = append(out, installment{due: time.Date(due.Year(), due.Month(), min(start.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			payment: pay, principal: prin, interest: interest, balance: balance})
	}
	return out
}

func dattr(t *testing.T, n *html.Node, key string) decimal.Decimal {
	t.Helper()
	v, ok := attrOK(n, key)
	require.True(t, ok, "no %s", key)
	return decimal.RequireFromString(v)
}

func fattr(t *testing.T, n *html.Node, key string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(attr(n, key), 64)
	require.NoError(t, err, key)
	return f
}

// The schedule chart has one part per installment whose figures are the
// annuity's, worked out independently; the bars' heights follow them.
func TestScheduleChartIsTheAnnuity(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	l := b.referredLoan(t, biz.ID, "X200-0001", "20000", 12)
	rate := dec("0.12")
	_, err := b.op.ApproveLoan(ctx, l.ID, &rate)
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	d, err := b.op.LoanByID(ctx, l.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanFunded, d.Status)
	want := annuity(dec("20000"), rate, 12, d.FundedAt)
	require.Equal(t, "1776.98", want[0].payment.StringFixed(2), "the textbook figure for 20,000 at 1 %% a month over 12")

	b.signIn(t, b.client)
	page := b.get(t, "/console/loans/"+l.ID)
	svg := one(t, page.doc, `svg[data-chart=schedule]`)
	title := findAll(svg, func(n *html.Node) bool { return n.Data == "title" })
	require.NotEmpty(t, title)
	require.Contains(t, text(title[0]), "12 installments")
	parts := query(svg, "g[data-installment]")
	require.Len(t, parts, 12)
	tallest := decimal.Zero
	for _, w := range want {
		tallest = decimal.Max(tallest, w.payment)
	}
	sum := decimal.Zero
	for i, p := range parts {
		w := want[i]
		require.Equal(t, strconv.Itoa(i+1), attr(p, "data-installment"))
		require.Equal(t, w.due, attr(p, "data-due-date"), "installment %d", i+1)
		for key, v := range map[string]decimal.Decimal{"data-payment": w.payment, "data-principal": w.principal,
			"data-interest": w.interest, "data-balance": w.balance, "data-paid": decimal.Zero} {
			require.True(t, v.Equal(dattr(t, p, key)), "installment %d %s: want %s, chart %s", i+1, key, v, attr(p, key))
		}
		require.Equal(t, "upcoming", attr(p, "data-status"))
		require.Len(t, findAll(p, func(n *html.Node) bool { return n.Data == "title" }), 1, "each part says its figures in words")
		// The stacked bars are as tall as their amounts, on one scale.
		rects := findAll(p, func(n *html.Node) bool { return n.Data == "rect" })
		scale := 130.0 / tallest.InexactFloat64()
		require.InDelta(t, w.principal.InexactFloat64()*scale, fattr(t, rects[0], "height"), 0.1)
		require.InDelta(t, w.interest.InexactFloat64()*scale, fattr(t, rects[1], "height"), 0.1)
		sum = sum.Add(dattr(t, p, "data-principal"))
	}
	require.True(t, dec("20000").Equal(sum), "the principal of the installments is the loan")
	// The balance line starts at the loan and ends at zero, on the axis.
	points := strings.Fields(attr(one(t, svg, "polyline.balance"), "points"))
	require.Len(t, points, 13)
	require.True(t, strings.HasSuffix(points[12], ",130.0"), points[12])
	require.True(t, strings.HasSuffix(points[0], ",24.0"), points[0])
}

// The waterfall has one part per factor of the valuation; each starts
// where the one before ended, from the anchor, and the last ends at the
// value; the bars' widths follow the amounts.
func TestValuationChartAddsUpFromTheAnchorToTheValue(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	a := b.valuedAsset(t, biz.ID, "X200-0001")
	d, err := b.op.AssetDetails(ctx, a.ID)
	require.NoError(t, err)
	report := d.Valuation.Report
	require.NotEmpty(t, report.Factors)

	b.signIn(t, b.client)
	page := b.get(t, "/console/assets/"+a.ID)
	svg := one(t, page.doc, `svg[data-chart=valuation-factors]`)
	require.Contains(t, text(findAll(svg, func(n *html.Node) bool { return n.Data == "title" })[0]), "Valuation waterfall")
	parts := query(svg, "g[data-factor]")
	require.Len(t, parts, len(report.Factors))
	anchor := one(t, svg, "g[data-step=anchor]")
	value := one(t, svg, "g[data-step=value]")
	require.True(t, report.Anchor.Amount.Equal(dattr(t, anchor, "data-to")))

	running := dattr(t, anchor, "data-to")
	top := decimal.Max(report.Anchor.Amount, report.Value)
	for i, p := range parts {
		f := report.Factors[i]
		require.Equal(t, f.ID, attr(p, "data-factor"))
		c := dattr(t, p, "data-contribution")
		require.True(t, f.Contribution.Equal(c), "factor %s", f.ID)
		require.True(t, running.Equal(dattr(t, p, "data-from")), "factor %s starts where the last ended", f.ID)
		running = running.Add(c)
		require.True(t, running.Equal(dattr(t, p, "data-to")), "factor %s", f.ID)
		top = decimal.Max(top, running)
	}
	require.True(t, running.Equal(dattr(t, value, "data-to")), "anchor %s + contributions = %s, value %s",
		report.Anchor.Amount, running, attr(value, "data-to"))
	require.True(t, report.Value.Equal(running))
	scale := (740.0 - 250.0) / top.InexactFloat64()
	for i, p := range parts {
		rect := findAll(p, func(n *html.Node) bool { return n.Data == "rect" })[0]
		require.InDelta(t, math.Abs(report.Factors[i].Contribution.InexactFloat64())*scale, fattr(t, rect, "width"), 0.1)
	}
	rect := findAll(value, func(n *html.Node) bool { return n.Data == "rect" })[0]
	require.InDelta(t, report.Value.InexactFloat64()*scale, fattr(t, rect, "width"), 0.1)
}

// The delinquency chart counts the funded loans of each bucket and adds
// their outstanding principal, as this test does from the loans it made.
func TestDelinquencyChartCountsTheLateLoans(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	// Funded 0, 35 and 65 days into the test; 100 days in, their first
	// installments are 70, 35 and 5 days late.
	var loans []*assetmint.Loan
	for i, serial := range []string{"X200-0001", "X200-0002", "X200-0003"} {
		if i > 0 {
			b.clock.Advance(map[int]time.Duration{1: 35, 2: 30}[i] * 24 * time.Hour)
		}
		loans = append(loans, b.fundedLoan(t, biz.ID, serial, strconv.Itoa(10000*(i+1)), 12))
	}
	b.clock.Set(loans[0].FundedAt.Add(100 * 24 * time.Hour))
	_, err := b.op.ServiceLoans(ctx)
	require.NoError(t, err)

	type tally struct {
		count int
		sum   decimal.Decimal
	}
	want := map[string]tally{"1-30": {}, "31-60": {}, "61-90": {}, "90+": {}}
	for _, l := range loans {
		d, err := b.op.LoanByID(ctx, l.ID)
		require.NoError(t, err)
		var bucket string
		switch dpd := d.DaysPastDue; {
		case dpd >= 1 && dpd <= 30:
			bucket = "1-30"
		case dpd >= 31 && dpd <= 60:
			bucket = "31-60"
		case dpd >= 61 && dpd <= 90:
			bucket = "61-90"
		case dpd > 90:
			bucket = "90+"
		}
		require.NotEmpty(t, bucket, "loan %s is late", l.ID)
		tl := want[bucket]
		tl.count++
		tl.sum = tl.sum.Add(d.OutstandingPrincipal)
		want[bucket] = tl
	}
	require.Equal(t, 1, want["61-90"].count)
	require.Equal(t, 1, want["31-60"].count)
	require.Equal(t, 1, want["1-30"].count)

	b.signIn(t, b.client)
	page := b.get(t, "/console/")
	svg := one(t, page.doc, `svg[data-chart=delinquency]`)
	require.Equal(t, "USD", attr(svg, "data-currency"))
	require.Contains(t, text(findAll(svg, func(n *html.Node) bool { return n.Data == "title" })[0]), "3 of 3 past due")
	bars := query(svg, "g[data-bucket]")
	require.Len(t, bars, 4)
	for _, bar := range bars {
		w := want[attr(bar, "data-bucket")]
		require.Equal(t, strconv.Itoa(w.count), attr(bar, "data-count"), attr(bar, "data-bucket"))
		require.True(t, w.sum.Equal(dattr(t, bar, "data-amount")), "%s: %s vs %s", attr(bar, "data-bucket"), w.sum, attr(bar, "data-amount"))
	}
	total := decimal.Zero
	for _, l := range loans {
		total = total.Add(l.Amount)
	}
	require.Contains(t, page.body, `data-outstanding="`+total.StringFixed(2)+`"`, "nothing repaid: the loans' amounts are outstanding")
}
