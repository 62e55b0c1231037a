package documents_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/assetmint/assetmint/documents"
)

// Sniff an upload's first bytes: a CSV by its name or because one is
// expected, and a refused type.
func ExampleSniff() {
	fmt.Println(documents.Sniff([]byte("%PDF-1.7\n"), "appraisal.pdf", false))
	fmt.Println(documents.Sniff([]byte("debtor,current\n"), "aging.csv", false))
	fmt.Println(documents.Sniff([]byte("debtor,current\n"), "export.txt", true))
	fmt.Println(documents.Sniff([]byte("Serial 12345, excellent condition"), "notes.txt", false))

	_, err := documents.Sniff([]byte("PK\x03\x04"), "stock.xlsx", false)
	fmt.Println(errors.Is(err, documents.ErrUnsupportedType), err)
	// Output:
	// application/pdf <nil>
	// text/csv <nil>
	// text/csv <nil>
	// text/plain <nil>
	// true unsupported file type: application/zip
}

// An aging report as a European spreadsheet exports it: semicolons,
// decimal commas, a totals row.
func ExampleParseAgingReport() {
	report, err := documents.ParseAgingReport(strings.NewReader(`Customer;Current;1-30;31-60;61-90;Over 90;Disputed
Müller GmbH;12.500,00;3.000,00;0;0;0;no
Dupont SA;0;0;1.250,50;0;800,00;yes
Total;12.500,00;3.000,00;1.250,50;0;800,00;
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range report.Lines {
		fmt.Println(l.Debtor, l.Current, l.Days30, l.Days60, l.Days90, l.Over90, l.Disputed)
	}
	// Output:
	// Müller GmbH 12500 3000 0 0 0 false
	// Dupont SA 0 0 1250.5 0 800 true
}

// A stock report, and errors that name the line and column at fault.
func ExampleParseStockReport() {
	report, _ := documents.ParseStockReport(strings.NewReader(`SKU,Description,Qty,Unit Cost,Category,Turn
BOLT-M8,M8 bolt,"1,000",$0.12,raw,fast
PUMP-1,Water pump,4,350.00,,
`))
	for _, l := range report.Lines {
		fmt.Println(l.SKU, l.Description, l.Quantity, l.UnitCost, l.Category, l.Turn)
	}

	_, err := documents.ParseStockReport(strings.NewReader("sku,qty,cost\nA,1,2\nB,-3,2\n"))
	fmt.Println(err)
	var pe *documents.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Column)
	}
	// Output:
	// BOLT-M8 M8 bolt 1000 0.12 raw fast
	// PUMP-1 Water pump 4 350 finished average
	// line 3, column "qty": "-3" is negative: credits are not accepted, net them against the balances
	// 3 qty
}
