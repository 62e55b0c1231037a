package console

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/valuation"
)

// The charts are inline SVG drawn here, on the server: this file computes
// every shape's place, charts.html writes the elements. Each chart has a
// <title> saying in words what it shows, and each of its parts carries its
// exact figures in data- attributes (two decimals, as the API gives them),
// which the tests compare with the API. Geometry uses floats; figures
// never do.

// px writes a coordinate.
func px(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// ratio is a/b as a float for drawing, 0 when b is not positive.
func ratio(a, b decimal.Decimal) float64 {
	if !b.IsPositive() {
		return 0
	}
	return a.InexactFloat64() / b.InexactFloat64()
}

// scheduleChart is a loan's current schedule: its balance over time above,
// each installment's principal and interest below, with what was paid on
// it beside.
type scheduleChart struct {
	Title        string
	Width        int
	Height       int
	Currency     string
	Start        string // the balance's first point: the principal at funding
	BalanceLine  string // polyline points
	MaxBalance   string // the top of the balance axis, for people
	MaxPayment   string // the top of the payments axis, for people
	Installments []installmentBar
	AxisLeft     string
	AxisRight    string
	FirstDue     string
	LastDue      string
}

// installmentBar is one installment in the schedule chart.
type installmentBar struct {
	Number                       int
	DueDate                      string
	Status                       string
	Principal, Interest, Payment string
	Balance, Paid                string
	Label                        string // the part's <title>
	X, W                         string // the slot's bar
	PrincipalY, PrincipalH       string
	InterestY, InterestH         string
	PaidX, PaidW, PaidY, PaidH   string
	DotX, DotY                   string
}

// The schedule chart's frame: a balance panel above a payments panel.
const (
	schedW, schedH            = 760, 330
	schedLeft, schedRight     = 80.0, 750.0
	balTop, balBottom         = 24.0, 130.0
	payTop, payBottom         = 160.0, 290.0
	waterfallW                = 760
	waterfallLabel, wfRight   = 250.0, 740.0
	waterfallRowH, waterfallT = 28.0, 28.0
)

// newScheduleChart draws the schedule of a loan's position.
func newScheduleChart(l *assetmint.Loan, p *lending.Position) *scheduleChart {
	ins := p.Installments
	c := &scheduleChart{Width: schedW, Height: schedH, Currency: l.Currency, AxisLeft: px(schedLeft), AxisRight: px(schedRight)}
	principal := p.Schedule.Terms.Principal
	maxPayment := decimal.Zero
	paid := 0
	for _, in := range ins {
		maxPayment = decimal.Max(maxPayment, in.Payment)
		if in.Status == lending.InstallmentPaid {
			paid++
		}
	}
	c.MaxBalance, c.MaxPayment = money(principal), money(maxPayment)
	c.Title = fmt.Sprintf("Repayment schedule of loan %s: %s %s over %d installments, %d paid; outstanding principal %s %s.",
		l.ID, l.Currency, money(principal), len(ins), paid, l.Currency, money(p.OutstandingPrincipal))
	if len(ins) == 0 {
		return c
	}
	c.FirstDue, c.LastDue = ins[0].DueDate.Format(time.DateOnly), ins[len(ins)-1].DueDate.Format(time.DateOnly)
	slot := (schedRight - schedLeft) / float64(len(ins))
	balY := func(b decimal.Decimal) float64 { return balBottom - ratio(b, principal)*(balBottom-balTop) }
	payH := func(a decimal.Decimal) float64 { return ratio(a, maxPayment) * (payBottom - payTop) }
	c.Start = px(schedLeft) + "," + px(balY(principal))
	line := c.Start
	for i, in := range ins {
		x := schedLeft + float64(i)*slot
		b := installmentBar{
			Number: in.Number, DueDate: in.DueDate.Format(time.DateOnly), Status: string(in.Status),
			Principal: in.Principal.StringFixed(2), Interest: in.Interest.StringFixed(2), Payment: in.Payment.StringFixed(2),
			Balance: in.Balance.StringFixed(2), Paid: in.Paid.StringFixed(2),
		}
		b.Label = fmt.Sprintf("Installment %d, due %s (%s): principal %s, interest %s, payment %s, paid %s; balance after it %s.",
			in.Number, b.DueDate, wordsOf(b.Status), money(in.Principal), money(in.Interest), money(in.Payment), money(in.Paid), money(in.Balance))
		barW := slot * 0.6
		ph, ih := payH(in.Principal), payH(in.Interest)
		b.X, b.W = px(x+slot*0.05), px(barW)
		b.PrincipalY, b.PrincipalH = px(payBottom-ph), px(ph)
		b.InterestY, b.InterestH = px(payBottom-ph-ih), px(ih)
		paidH := payH(in.Paid)
		b.PaidX, b.PaidW = px(x+slot*0.67), px(slot*0.25)
		b.PaidY, b.PaidH = px(payBottom-paidH), px(paidH)
		b.DotX, b.DotY = px(x+slot), px(balY(in.Balance))
		line += " " + b.DotX + "," + b.DotY
		c.Installments = append(c.Installments, b)
	}
	c.BalanceLine = line
	return c
}

func wordsOf(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == '_' {
			out[i] = ' '
		}
	}
	return string(out)
}

// waterfallChart is a valuation's factors from its anchor to its value,
// one row each: the anchor, each factor floating from the running total
// before it to the one after, and the value.
type waterfallChart struct {
	Title    string
	Width    int
	Height   int
	Currency string
	Rows     []waterfallRow
	Axis     string // where the bars start
	Max      string // the largest running total, for people
}

// waterfallRow is one row of the waterfall chart.
type waterfallRow struct {
	Kind         string // anchor, factor or value
	Factor       string // the factor's id
	Label        string
	Contribution string // exact, signed, for a factor
	From, To     string // the running total before and after, exact
	Class        string // up, down or total
	Title        string
	Y, TextY     string
	BarX, BarW   string
	Link         string // the connector to the next row: x
	LinkY1       string
	LinkY2       string
}

// newWaterfallChart draws a valuation's factors.
func newWaterfallChart(r *valuation.Report) *waterfallChart {
	c := &waterfallChart{Width: waterfallW, Currency: r.Currency, Axis: px(waterfallLabel)}
	type step struct {
		kind, factor, label string
		from, to            decimal.Decimal
		contribution        decimal.Decimal
	}
	steps := []step{{kind: "anchor", label: "Anchor: " + string(r.Anchor.Source), from: decimal.Zero, to: r.Anchor.Amount}}
	run := r.Anchor.Amount
	for _, f := range r.Factors {
		steps = append(steps, step{kind: "factor", factor: f.ID, label: f.Label, from: run, to: run.Add(f.Contribution), contribution: f.Contribution})
		run = run.Add(f.Contribution)
	}
	steps = append(steps, step{kind: "value", label: "Value (FMV)", from: decimal.Zero, to: r.Value})
	top := decimal.Zero
	for _, s := range steps {
		top = decimal.Max(top, s.from, s.to)
	}
	c.Max = money(top)
	x := func(d decimal.Decimal) float64 { return waterfallLabel + ratio(d, top)*(wfRight-waterfallLabel) }
	for i, s := range steps {
		y := waterfallT + float64(i)*waterfallRowH
		lo, hi := decimal.Min(s.from, s.to), decimal.Max(s.from, s.to)
		row := waterfallRow{Kind: s.kind, Factor: s.factor, Label: s.label, From: s.from.StringFixed(2), To: s.to.StringFixed(2),
			Y: px(y), TextY: px(y + waterfallRowH*0.62), BarX: px(x(lo)), BarW: px(x(hi) - x(lo))}
		switch {
		case s.kind != "factor":
			row.Class = "total"
			row.Title = fmt.Sprintf("%s: %s %s.", s.label, r.Currency, money(s.to))
		case s.contribution.IsNegative():
			row.Class = "down"
		default:
			row.Class = "up"
		}
		if s.kind == "factor" {
			row.Contribution = s.contribution.StringFixed(2)
			row.Title = fmt.Sprintf("%s (%s): %s %s, from %s to %s.", s.label, s.factor, signed(s.contribution), r.Currency,
				money(s.from), money(s.to))
		}
		if i+1 < len(steps) && steps[i+1].kind == "factor" {
			row.Link, row.LinkY1, row.LinkY2 = px(x(s.to)), px(y+waterfallRowH*0.8), px(y+waterfallRowH*1.2)
		}
		c.Rows = append(c.Rows, row)
	}
	c.Height = int(waterfallT + float64(len(steps))*waterfallRowH + 20)
	c.Title = fmt.Sprintf("Valuation waterfall: from the %s anchor of %s %s through %d factors to a value of %s %s.",
		r.Anchor.Source, r.Currency, money(r.Anchor.Amount), len(r.Factors), r.Currency, money(r.Value))
	return c
}

// signed writes an amount with its sign: +1,234.00 or -56.78.
func signed(d decimal.Decimal) string {
	if d.IsNegative() {
		return money(d)
	}
	return "+" + money(d)
}

// delinquencyChart is the funded loans of one currency past due, by
// bucket: the bars' heights are the principal outstanding, the labels the
// number of loans.
type delinquencyChart struct {
	Title    string
	Currency string
	Width    int
	Height   int
	Bars     []bucketBar
	Base     string
}

// bucketBar is one delinquency bucket.
type bucketBar struct {
	Bucket, Count, Amount string
	Title                 string
	X, W, Y, H            string
	LabelX, CountY, NameY string
}

// newDelinquencyChart draws the delinquent buckets (1-30 to 90+) of a
// currency's funded loans.
func newDelinquencyChart(fb assetmint.FundedBook) *delinquencyChart {
	const w, h, left, top, bottom = 560, 230, 20.0, 40.0, 190.0
	c := &delinquencyChart{Currency: fb.Currency, Width: w, Height: h, Base: px(bottom)}
	var late []assetmint.BucketTally
	for _, b := range fb.Delinquency {
		if b.Bucket != lending.BucketCurrent {
			late = append(late, b)
		}
	}
	most := decimal.Zero
	count, sum := 0, decimal.Zero
	for _, b := range late {
		most = decimal.Max(most, b.Outstanding)
		count += b.Count
		sum = sum.Add(b.Outstanding)
	}
	slot := (w - 2*left) / float64(len(late))
	for i, b := range late {
		bh := ratio(b.Outstanding, most) * (bottom - top)
		x := left + float64(i)*slot
		c.Bars = append(c.Bars, bucketBar{
			Bucket: string(b.Bucket), Count: strconv.Itoa(b.Count), Amount: b.Outstanding.StringFixed(2),
			Title: fmt.Sprintf("%s days past due: %d loans, %s %s outstanding.", b.Bucket, b.Count, fb.Currency, money(b.Outstanding)),
			X:     px(x + slot*0.15), W: px(slot * 0.7), Y: px(bottom - bh), H: px(bh),
			LabelX: px(x + slot/2), CountY: px(bottom - bh - 8), NameY: px(bottom + 22),
		})
	}
	c.Title = fmt.Sprintf("Delinquency of the funded %s loans: %d of %d past due, %s %s of %s %s outstanding, by days past due.",
		fb.Currency, count, fb.Count, fb.Currency, money(sum), fb.Currency, money(fb.Outstanding))
	return c
}
