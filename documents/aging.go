package documents

import (
	"io"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/valuation"
)

// The columns of an aging report, in agingColumns' order.
const (
	agDebtor = iota
	agCurrent
	agDays30
	agDays60
	agDays90
	agOver90
	agForeign
	agDisputed
	agRelatedParty
)

func agingColumns() []column {
	return []column{
		agDebtor:       {name: "debtor", aliases: []string{"debtor", "customer", "name", "debtor name", "customer name"}, required: true},
		agCurrent:      {name: "current", aliases: []string{"current", "not due"}, required: true},
		agDays30:       {name: "1-30", aliases: []string{"1-30", "1_30", "days_1_30", "1-30 days", "0-30"}, required: true},
		agDays60:       {name: "31-60", aliases: []string{"31-60", "days_31_60", "31-60 days"}, required: true},
		agDays90:       {name: "61-90", aliases: []string{"61-90", "days_61_90", "61-90 days"}, required: true},
		agOver90:       {name: "90+", aliases: []string{"90+", "over_90", ">90", "91+", "days_90+", "days_over_90", "over 90 days"}, required: true},
		agForeign:      {name: "foreign", aliases: []string{"foreign"}},
		agDisputed:     {name: "disputed", aliases: []string{"disputed"}},
		agRelatedParty: {name: "related_party", aliases: []string{"related_party"}},
	}
}

// ParseAgingReport reads an accounts-receivable aging report in CSV, with
// the rules of the package documentation: a header row, then one row per
// debtor. The columns, by the names they may have:
//
//   - debtor: debtor, customer, name, debtor name, customer name
//   - current: current, not due
//   - 1-30: 1-30, 1_30, days_1_30, 1-30 days, 0-30
//   - 31-60: 31-60, days_31_60, 31-60 days
//   - 61-90: 61-90, days_61_90, 61-90 days
//   - 90+: 90+, over_90, >90, 91+, days_90+, days_over_90, over 90 days
//   - foreign, disputed, related_party (optional): yes/no, y/n, true/false
//     or 1/0; blank is no
//
// All but the flags are required. Every row needs a debtor name; amounts
// must not be negative. A report without debtor rows is an error. Errors
// in the file are [*ParseError]s; errors of r are returned wrapped.
func ParseAgingReport(r io.Reader) (*valuation.AgingReport, error) {
	t, err := newTable(r, agingColumns())
	if err != nil {
		return nil, err
	}
	report := &valuation.AgingReport{}
	err = t.eachRow(agDebtor, "no debtor name", func(debtor string) error {
		l := valuation.AgingLine{Debtor: debtor}
		for _, a := range []struct {
			column int
			dst    *decimal.Decimal
		}{
			{agCurrent, &l.Current}, {agDays30, &l.Days30}, {agDays60, &l.Days60}, {agDays90, &l.Days90}, {agOver90, &l.Over90},
		} {
			var err error
			if *a.dst, err = t.amount(a.column); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			column int
			dst    *bool
		}{
			{agForeign, &l.Foreign}, {agDisputed, &l.Disputed}, {agRelatedParty, &l.RelatedParty},
		} {
			var err error
			if *f.dst, err = t.flag(f.column); err != nil {
				return err
			}
		}
		report.Lines = append(report.Lines, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(report.Lines) == 0 {
		return nil, &ParseError{Message: "no debtor rows after the header"}
	}
	return report, nil
}
