package valuation

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestExtractCondition(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Condition
	}{
		{"Industrial CNC machine, 2021, excellent condition", ConditionExcellent},
		{"not in excellent condition", ""},
		{"never used", ConditionNew},
		{"like new", ConditionExcellent},
		{"Very good overall", ConditionVeryGood},
		{"needs repair", ConditionPoor},
		{"refurbished in 2023", ConditionGood},
		{"refurbished, poor paint", ConditionGood},
		{"excellent engine, worn seats", ConditionFair}, // conservative: the worst reading wins
		{"worn seats, excellent engine", ConditionFair}, // word order does not matter
		{"clean title, excellent", ConditionExcellent},
		{"not working", ConditionScrap},
		{"Not good. Excellent after service", ConditionExcellent}, // negation stops at the clause
		{"needs new tires, good body", ConditionGood},
		{"", ""},
	} {
		got := extract(tc.text, 2025, false)
		require.Equal(t, tc.want, got.Condition, tc.text)
		if got.Condition != "" {
			m := got.ConditionMatch
			require.Equal(t, tc.text[m.Start:m.End], m.Token)
		}
	}
}

func TestExtractYearMeterRoyalty(t *testing.T) {
	f := extract("Model X2000, built 2019; resold 2023. 12,500 hours, 80,000 km", 2025, false)
	require.Equal(t, 2019, f.Year)
	require.Equal(t, 12500.0, f.Hours)
	require.InDelta(t, 49709.68, f.Miles, 0.01)
	require.Equal(t, 0, extract("Invoice dated 2021-07-01", 2025, true).Year, "documents need a keyword")
	require.Equal(t, 2018, extract("Year of manufacture: 2018", 2025, true).Year)
	require.Equal(t, 0, extract("model year 2030", 2025, true).Year, "future years are ignored")
	require.InDelta(t, 0.045, extract("Royalty rate of 4.5% of net sales; royalties 6%", 2025, true).Royalty, 1e-12)
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Industrial CNC machine, 2021, excellent condition", "not in excellent condition", "built 1899 or 2101",
		"12,345.6 hrs 99 km royalty 5%", "\xff\xfe garbage 2020", "needs repair, never used, like new",
	} {
		f.Add(s, 2025)
	}
	f.Fuzz(func(t *testing.T, text string, maxYear int) {
		if maxYear < 1900 || maxYear > 9999 {
			maxYear = 1900 + (maxYear%8000+8000)%8000
		}
		for _, strict := range []bool{false, true} {
			got := extract(text, maxYear, strict)
			if got.Year != 0 && (got.Year < 1900 || got.Year > maxYear) {
				t.Fatalf("year %d outside [1900, %d]", got.Year, maxYear)
			}
			if got.Condition != "" && got.Condition.Rank() < 0 {
				t.Fatalf("unknown condition %q", got.Condition)
			}
			if got.Hours < 0 || got.Miles < 0 || got.Royalty < 0 || got.Royalty > 0.5 {
				t.Fatalf("bad meter/royalty %+v", got)
			}
			if utf8.ValidString(text) && got.Condition != "" {
				m := got.ConditionMatch
				if m.Start < 0 || m.End > len(text) || m.Start > m.End {
					t.Fatalf("bad span %+v", m)
				}
			}
		}
	})
}
