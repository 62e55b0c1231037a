package console

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/lending"
)

// funcs are the templates' helpers: how figures read on a page.
var funcs = template.FuncMap{
	"money":    money,
	"plain":    func(d decimal.Decimal) string { return d.StringFixed(2) },
	"percent":  percent,
	"date":     func(t time.Time) string { return orDash(t, time.DateOnly) },
	"datetime": func(t time.Time) string { return orDash(t, "2006-01-02 15:04 UTC") },
	"words":    func(s any) string { return strings.ReplaceAll(fmt.Sprint(s), "_", " ") },
	"bucket":   func(dpd int) string { return string(lending.BucketFor(dpd)) },
	"size":     size,
	"short":    short,
}

// parsePages parses every page with the layout and the charts: one
// template set per page, each defining "content".
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" || base == "charts.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/charts.html", name)
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// money writes an amount with thousands separators and two decimals:
// 1,234,567.89.
func money(d decimal.Decimal) string {
	s := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + "." + frac
}

// percent writes a fraction as a percentage: 0.125 is "12.5 %".
func percent(d decimal.Decimal) string {
	return d.Shift(2).String() + " %"
}

func orDash(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(layout)
}

// size writes a file size for people.
func size(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// short cuts s to n runes with an ellipsis.
func short(n int, s string) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
