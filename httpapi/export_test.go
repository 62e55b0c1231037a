package httpapi

// What the external tests reach inside the package for.
var (
	ScanObject = scanObject
	MaxDepth   = maxDepth
)
