package documents

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"testing"

	"github.com/assetmint/assetmint/valuation"
)

// renderAging writes a report as a CSV that ParseAgingReport reads back.
func renderAging(r *valuation.AgingReport) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"debtor", "current", "1-30", "31-60", "61-90", "90+", "foreign", "disputed", "related_party"})
	for _, l := range r.Lines {
		_ = w.Write([]string{
			l.Debtor, l.Current.String(), l.Days30.String(), l.Days60.String(), l.Days90.String(), l.Over90.String(),
			strconv.FormatBool(l.Foreign), strconv.FormatBool(l.Disputed), strconv.FormatBool(l.RelatedParty),
		})
	}
	w.Flush()
	return buf.Bytes()
}

// renderStock writes a report as a CSV that ParseStockReport reads back.
func renderStock(r *valuation.StockReport) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"sku", "description", "quantity", "unit_cost", "category", "turn"})
	for _, l := range r.Lines {
		_ = w.Write([]string{l.SKU, l.Description, l.Quantity.String(), l.UnitCost.String(), l.Category, l.Turn})
	}
	w.Flush()
	return buf.Bytes()
}

// checkError fails unless err is a ParseError: the input is all in memory,
// so every error is the file's.
func checkError(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
}

func FuzzParseAgingReport(f *testing.F) {
	for _, seed := range []string{
		"debtor,current,1-30,31-60,61-90,90+,foreign,disputed,related_party\nAcme,1000,200,0,0,0,no,no,no\nGlobex,0,0,300.25,0,50,yes,false,1\n",
		"\ufeffDebtor;Current;1-30;31-60;61-90;90+\r\nMüller;1.234,50 €;;0;0;0\r\nTotal;1;1;1;1;1\r\n\r\n",
		"customer\tcurrent\t0-30\t31-60\t61-90\t>90\n\"A\nB\"\t1\t2\t3\t4\t5\n",
		"debtor,current,1-30,31-60,61-90,over_90\n\"Acme, Inc.\",\"$1,234.50\",\"1,000\",$0.99,\"(0)\",-0\n",
		"debtor,current,1-30,31-60,61-90,90+\nA,-1,0,0,0,0\n",
		"debtor,current,1-30,31-60,61-90,90+\nA,1,234,0,0,0,0\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		report, err := ParseAgingReport(bytes.NewReader(data))
		if err != nil {
			checkError(t, err)
			return
		}
		if len(report.Lines) == 0 {
			t.Fatal("a report without lines")
		}
		for _, l := range report.Lines {
			if l.Debtor == "" || isTotal(l.Debtor) {
				t.Fatalf("debtor %q", l.Debtor)
			}
			if l.Current.IsNegative() || l.Days30.IsNegative() || l.Days60.IsNegative() || l.Days90.IsNegative() || l.Over90.IsNegative() {
				t.Fatalf("negative amount in %+v", l)
			}
		}
		again, err := ParseAgingReport(bytes.NewReader(renderAging(report)))
		if err != nil {
			t.Fatalf("rendered report does not parse: %v\n%s", err, renderAging(report))
		}
		if len(again.Lines) != len(report.Lines) {
			t.Fatalf("%d lines, then %d", len(report.Lines), len(again.Lines))
		}
		for i, l := range report.Lines {
			a := again.Lines[i]
			if a.Debtor != l.Debtor || !a.Current.Equal(l.Current) || !a.Days30.Equal(l.Days30) || !a.Days60.Equal(l.Days60) ||
				!a.Days90.Equal(l.Days90) || !a.Over90.Equal(l.Over90) ||
				a.Foreign != l.Foreign || a.Disputed != l.Disputed || a.RelatedParty != l.RelatedParty {
				t.Fatalf("line %d: %+v, then %+v", i, l, a)
			}
		}
	})
}

func FuzzParseStockReport(f *testing.F) {
	for _, seed := range []string{
		"sku,description,quantity,unit_cost,category,turn\nBOLT-M8,M8 bolt,1000,0.12,raw,fast\nPUMP-1,Water pump,4,350.00,finished,slow\n",
		"Part Number,Desc,On Hand,Unit Cost,Category,Turnover\nP2,,1,1,Raw Materials,AVG\nP3,,1,1,work in progress,Average\n",
		"\ufeffSKU;Description;Qty;Unit_Cost\r\n\"5\"\" pipe\";\"Pipe; 5\"\" steel\";12,5;1.234,00 €\r\nTotal;;12,5;\r\n",
		"sku,description,qty,cost\nP-5,5\" pipe,1,2\n",
		"sku,qty,cost\nA,(5),1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		report, err := ParseStockReport(bytes.NewReader(data))
		if err != nil {
			checkError(t, err)
			return
		}
		if len(report.Lines) == 0 {
			t.Fatal("a report without lines")
		}
		for _, l := range report.Lines {
			if l.SKU == "" || isTotal(l.SKU) || l.Quantity.IsNegative() || l.UnitCost.IsNegative() {
				t.Fatalf("bad line %+v", l)
			}
			if _, err := category(l.Category); err != nil || l.Category == "" {
				t.Fatalf("category %q", l.Category)
			}
		}
		again, err := ParseStockReport(bytes.NewReader(renderStock(report)))
		if err != nil {
			t.Fatalf("rendered report does not parse: %v\n%s", err, renderStock(report))
		}
		if len(again.Lines) != len(report.Lines) {
			t.Fatalf("%d lines, then %d", len(report.Lines), len(again.Lines))
		}
		for i, l := range report.Lines {
			a := again.Lines[i]
			if a.SKU != l.SKU || a.Description != l.Description || !a.Quantity.Equal(l.Quantity) || !a.UnitCost.Equal(l.UnitCost) ||
				a.Category != l.Category || a.Turn != l.Turn {
				t.Fatalf("line %d: %+v, then %+v", i, l, a)
			}
		}
	})
}

func FuzzSniff(f *testing.F) {
	for _, seed := range []string{
		"%PDF-1.7\n", "\x89PNG\r\n\x1a\n\x00", "\xff\xd8\xff\xe0", "debtor,current\n", "\ufeffhello", "<html>", "PK\x03\x04", "caf\xe9", "",
	} {
		f.Add([]byte(seed), "file.csv", false)
		f.Add([]byte(seed), "notes.txt", true)
	}
	f.Fuzz(func(t *testing.T, head []byte, filename string, csvExpected bool) {
		got, err := Sniff(head, filename, csvExpected)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedType) || got != "" {
				t.Fatalf("%q, %v", got, err)
			}
			return
		}
		switch got {
		case PDF, PNG, JPEG, Text:
		case CSV:
			if !csvExpected && !bytes.HasSuffix(bytes.ToLower([]byte(filename)), []byte(".csv")) {
				t.Fatalf("CSV for %q", filename)
			}
		default:
			t.Fatalf("type %q", got)
		}
	})
}
