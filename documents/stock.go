package documents

import (
	"fmt"
	"io"

	"github.com/assetmint/assetmint/valuation"
)

// The columns of a stock report, in stockColumns' order.
const (
	stSKU = iota
	stDescription
	stQuantity
	stUnitCost
	stCategory
	stTurn
)

func stockColumns() []column {
	return []column{
		stSKU:         {name: "sku", aliases: []string{"sku", "item", "part", "item code", "part number"}, required: true},
		stDescription: {name: "description", aliases: []string{"description", "desc"}},
		stQuantity:    {name: "quantity", aliases: []string{"quantity", "qty", "on hand"}, required: true},
		stUnitCost:    {name: "unit_cost", aliases: []string{"unit_cost", "cost", "unit cost"}, required: true},
		stCategory:    {name: "category", aliases: []string{"category"}},
		stTurn:        {name: "turn", aliases: []string{"turn", "turnover"}},
	}
}

// ParseStockReport reads an inventory stock report in CSV, with the rules
// of the package documentation: a header row, then one row per
// stock-keeping unit. The columns, by the names they may have:
//
//   - sku: sku, item, part, item code, part number
//   - description (optional): description, desc
//   - quantity: quantity, qty, on hand
//   - unit_cost: unit_cost, unit cost, cost
//   - category (optional): finished (also "finished goods"), raw (also
//     "raw materials"), wip (also "work in progress"), packaging, consigned
//     (also "consignment") or obsolete; blank is finished
//   - turn (optional): fast, average (also "avg"), slow or dead; blank is
//     average
//
// Every row needs a SKU; quantities and costs must not be negative. A
// report without item rows is an error. Errors in the file are
// [*ParseError]s; errors of r are returned wrapped.
func ParseStockReport(r io.Reader) (*valuation.StockReport, error) {
	t, err := newTable(r, stockColumns())
	if err != nil {
		return nil, err
	}
	report := &valuation.StockReport{}
	err = t.eachRow(stSKU, "no SKU", func(sku string) error {
		l := valuation.StockLine{SKU: sku, Description: t.text(stDescription)}
		var err error
		if l.Quantity, err = t.amount(stQuantity); err != nil {
			return err
		}
		if l.UnitCost, err = t.amount(stUnitCost); err != nil {
			return err
		}
		if l.Category, err = t.choice(stCategory, category); err != nil {
			return err
		}
		if l.Turn, err = t.choice(stTurn, turn); err != nil {
			return err
		}
		report.Lines = append(report.Lines, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(report.Lines) == 0 {
		return nil, &ParseError{Message: "no item rows after the header"}
	}
	return report, nil
}

// category reads a stock category; blank is finished.
func category(s string) (string, error) {
	switch foldName(s) {
	case "", "finished", "finishedgoods", "fg":
		return "finished", nil
	case "raw", "rawmaterial", "rawmaterials":
		return "raw", nil
	case "wip", "workinprogress", "workinprocess":
		return "wip", nil
	case "packaging":
		return "packaging", nil
	case "consigned", "consignment":
		return "consigned", nil
	case "obsolete":
		return "obsolete", nil
	}
	return "", fmt.Errorf("%s is not a category (finished, raw, wip, packaging, consigned or obsolete)", quoteValue(s))
}

// turn reads how fast stock sells; blank is average.
func turn(s string) (string, error) {
	switch k := foldName(s); k {
	case "", "average", "avg":
		return "average", nil
	case "fast", "slow", "dead":
		return k, nil
	}
	return "", fmt.Errorf("%s is not a turn (fast, average, slow or dead)", quoteValue(s))
}
