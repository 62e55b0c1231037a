package documents

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

// stockRows renders lines compactly: sku|description|quantity|unit
// cost|category|turn.
func stockRows(r *valuation.StockReport) []string {
	var out []string
	for _, l := range r.Lines {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s", l.SKU, l.Description, l.Quantity, l.UnitCost, l.Category, l.Turn))
	}
	return out
}

func TestParseStockReport(t *testing.T) {
	cases := []struct {
		name string
		csv  string
		want []string
	}{
		{
			name: "all columns",
			csv: "sku,description,quantity,unit_cost,category,turn\n" +
				"BOLT-M8,M8 bolt,1000,0.12,raw,fast\n" +
				"PUMP-1,Water pump,4,350.00,finished,slow\n" +
				"OLD-7,Discontinued valve,10,15,obsolete,dead\n",
			want: []string{"BOLT-M8|M8 bolt|1000|0.12|raw|fast", "PUMP-1|Water pump|4|350|finished|slow", "OLD-7|Discontinued valve|10|15|obsolete|dead"},
		},
		{
			name: "defaults without category and turn columns",
			csv:  "Item,Qty,Cost\nA1,2,3\n",
			want: []string{"A1||2|3|finished|average"},
		},
		{
			name: "blank category and turn, synonyms of values",
			csv: "Part Number,Desc,On Hand,Unit Cost,Category,Turnover\n" +
				"P1,,1,1,,\n" +
				"P2,,1,1,Raw Materials,AVG\n" +
				"P3,,1,1,work in progress,Average\n" +
				"P4,,1,1,Finished Goods,Fast\n" +
				"P5,,1,1,consignment,slow\n" +
				"P6,,1,1,Packaging,dead\n",
			want: []string{
				"P1||1|1|finished|average", "P2||1|1|raw|average", "P3||1|1|wip|average",
				"P4||1|1|finished|fast", "P5||1|1|consigned|slow", "P6||1|1|packaging|dead",
			},
		},
		{
			name: "byte order mark, semicolons, decimal commas, totals row",
			csv: "\ufeffSKU;Description;Qty;Unit_Cost\r\n" +
				"\"5\"\" pipe\";\"Pipe; 5\"\" steel\";12,5;1.234,00 €\r\n" +
				"Total;;12,5;\r\n\r\n",
			want: []string{`5" pipe|Pipe; 5" steel|12.5|1234|finished|average`},
		},
		{
			name: "bare quotes in unquoted fields",
			csv:  "sku,description,qty,cost\nP-5,5\" pipe,1,2\n",
			want: []string{`P-5|5" pipe|1|2|finished|average`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			report, err := ParseStockReport(strings.NewReader(tc.csv))
			require.NoError(t, err)
			require.Equal(t, tc.want, stockRows(report))
		})
	}
}

func TestParseStockReportErrors(t *testing.T) {
	const header = "sku,description,qty,unit_cost,category,turn\n"
	cases := []struct {
		name string
		csv  string
		want string
	}{
		{"empty", "", "the file is empty: it has no header row"},
		{"no rows", header + ",,,,,\n", "no item rows after the header"},
		{"missing cost", "sku,qty\nA,1\n", `line 1: no "unit_cost" column in the header (it may be called "unit_cost", "cost", "unit cost")`},
		{"two quantity columns", "sku,qty,quantity,cost\n", `line 1, column "quantity": a second "quantity" column (the first is "qty")`},
		{"no SKU", header + ",Bolt,1,1,,\n", `line 2, column "sku": no SKU`},
		{"negative quantity", header + "A,,-1,1,,\n", `line 2, column "qty": "-1" is negative: credits are not accepted, net them against the balances`},
		{"bad cost", header + "A,,1,1O,,\n", `line 2, column "unit_cost": "1O" is not an amount`},
		{"bad category", header + "A,,1,1,scrap,\n", `line 2, column "category": "scrap" is not a category (finished, raw, wip, packaging, consigned or obsolete)`},
		{"bad turn", header + "A,,1,1,,quick\n", `line 2, column "turn": "quick" is not a turn (fast, average, slow or dead)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			report, err := ParseStockReport(strings.NewReader(tc.csv))
			require.Nil(t, report)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.EqualError(t, err, tc.want)
		})
	}
}
