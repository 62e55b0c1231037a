package httpapi

import "github.com/shopspring/decimal"

// What the external tests reach inside the package for.
var (
	ScanObject = scanObject
	MaxDepth   = maxDepth
	MoneyJSON  = func(d decimal.Decimal) ([]byte, error) { return money(d).MarshalJSON() }
)
