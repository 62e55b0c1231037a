package documents

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

// agingRows renders lines compactly for comparison:
// debtor|current|1-30|31-60|61-90|90+|flags.
func agingRows(r *valuation.AgingReport) []string {
	var out []string
	for _, l := range r.Lines {
		flags := ""
		for _, f := range []struct {
			on   bool
			name string
		}{{l.Foreign, "F"}, {l.Disputed, "D"}, {l.RelatedParty, "R"}} {
			if f.on {
				flags += f.name
			}
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", l.Debtor, l.Current, l.Days30, l.Days60, l.Days90, l.Over90, flags))
	}
	return out
}

func TestParseAgingReport(t *testing.T) {
	cases := []struct {
		name string
		csv  string
		want []string
	}{
		{
			name: "all columns",
			csv: "debtor,current,1-30,31-60,61-90,90+,foreign,disputed,related_party\n" +
				"Acme Corp,1000,200,0,0,0,no,no,no\n" +
				"Globex,0,0,300.25,0,50,yes,false,1\n",
			want: []string{"Acme Corp|1000|200|0|0|0|", "Globex|0|0|300.25|0|50|FR"},
		},
		{
			name: "synonyms, any case, any order, unknown columns ignored",
			csv: "Customer Name,Invoice Count,Over 90 Days,61-90 Days,Days_31_60,Days 1-30,NOT DUE,Related Party,Disputed\n" +
				"Initech,3,4,3,2,1,0,TRUE,Y\n",
			want: []string{"Initech|0|1|2|3|4|DR"},
		},
		{
			name: "other bucket names",
			csv:  "name,current,0-30,31-60,61-90,>90\nA,1,2,3,4,5\n",
			want: []string{"A|1|2|3|4|5|"},
		},
		{
			name: "more bucket names",
			csv:  "customer,current,1_30,31-60,61-90,91+\nA,1,2,3,4,5\n",
			want: []string{"A|1|2|3|4|5|"},
		},
		{
			name: "byte order mark, semicolons, decimal commas, totals row, blank and trailing lines",
			csv: "\ufeffDebtor;Current;1-30;31-60;61-90;90+\r\n" +
				"Müller GmbH;1.234,50 €;;0;0;0\r\n" +
				";;;;;\r\n" +
				"Dupont SA;0;99,90;0;0;12\r\n" +
				"Total;1.234,50;99,90;0;0;12\r\n" +
				"\r\n\r\n",
			want: []string{"Müller GmbH|1234.5|0|0|0|0|", "Dupont SA|0|99.9|0|0|12|"},
		},
		{
			name: "tabs",
			csv:  "debtor\tcurrent\t1-30\t31-60\t61-90\t90+\nA\t1\t2\t3\t4\t5\n",
			want: []string{"A|1|2|3|4|5|"},
		},
		{
			name: "thousands separators and currency symbols in quoted fields",
			csv:  "debtor,current,1-30,31-60,61-90,over_90\n\"Acme, Inc.\",\"$1,234.50\",\"1,000\",$0.99,\"(0)\",-0\n",
			want: []string{"Acme, Inc.|1234.5|1000|0.99|0|0|"},
		},
		{
			name: "white space in names collapsed, short rows padded",
			csv:  "debtor,current,1-30,31-60,61-90,90+,disputed\n\"  Acme\n  Corp \",5\n",
			want: []string{"Acme Corp|5|0|0|0|0|"},
		},
		{
			name: "totals rows in any case, anywhere",
			csv:  "debtor,current,1-30,31-60,61-90,90+\nTOTALS,9,9,9,9,9\nA,1,0,0,0,0\ngrand total:,1,0,0,0,0\n",
			want: []string{"A|1|0|0|0|0|"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			report, err := ParseAgingReport(strings.NewReader(tc.csv))
			require.NoError(t, err)
			require.Equal(t, tc.want, agingRows(report))
		})
	}
}

const agingHeader = "debtor,current,1-30,31-60,61-90,90+,disputed\n"

func TestParseAgingReportErrors(t *testing.T) {
	cases := []struct {
		name string
		csv  string
		want string
	}{
		{"empty", "", "the file is empty: it has no header row"},
		{"blank lines only", "\n\n\r\n", "the file is empty: it has no header row"},
		{"no rows", agingHeader, "no debtor rows after the header"},
		{"totals only", agingHeader + "Total,1,1,1,1,1,\n", "no debtor rows after the header"},
		{
			"missing bucket", "debtor,current,1-30,31-60,90+\nA,1,1,1,1\n",
			`line 1: no "61-90" column in the header (it may be called "61-90", "days_61_90", "61-90 days")`,
		},
		{
			"missing debtor", "current,1-30,31-60,61-90,90+\n1,1,1,1,1\n",
			`line 1: no "debtor" column in the header (it may be called "debtor", "customer", "name", "debtor name", "customer name")`,
		},
		{
			"two debtor columns", "debtor,current,1-30,31-60,61-90,90+,Customer\n",
			`line 1, column "Customer": a second "debtor" column (the first is "debtor")`,
		},
		{"not an amount", agingHeader + "A,1,2,3,4,5,no\nB,1,2,abc,4,5,no\n", `line 3, column "31-60": "abc" is not an amount`},
		{"negative", agingHeader + "A,1,2,3,4,-5,no\n", `line 2, column "90+": "-5" is negative: credits are not accepted, net them against the balances`},
		{"credit in parentheses", agingHeader + "A,(1.00),0,0,0,0,no\n", `line 2, column "current": "(1.00)" is negative: credits are not accepted, net them against the balances`},
		{"bad flag", agingHeader + "A,1,2,3,4,5,maybe\n", `line 2, column "disputed": "maybe" is not yes or no`},
		{"no debtor name", agingHeader + "A,1,0,0,0,0,\n ,1,0,0,0,0,\n", `line 3, column "debtor": no debtor name`},
		{
			"unquoted thousands separator", agingHeader + "A,1,234.50,0,0,0,0,no\n",
			`line 2: 8 fields where the header has 7 (quote amounts whose thousands separator is the delimiter)`,
		},
		{"not UTF-8", agingHeader + "Caf\xe9,1,0,0,0,0,no\n", `line 2, column "debtor": not UTF-8 text (export the file as CSV UTF-8)`},
		{
			"line of a field inside a quoted, multi-line row", agingHeader + "\"A\nB\",1,\"2\n\",x,0,0,no\n",
			`line 4, column "31-60": "x" is not an amount`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			report, err := ParseAgingReport(strings.NewReader(tc.csv))
			require.Nil(t, report)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.EqualError(t, err, tc.want)
		})
	}
}
