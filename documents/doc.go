// Package documents reads what businesses upload: it decides a file's
// media type from its first bytes ([Sniff]), and parses the structured
// documents, accounts-receivable aging reports ([ParseAgingReport]) and
// inventory stock reports ([ParseStockReport]), into the valuation
// package's [valuation.AgingReport] and [valuation.StockReport].
//
// The package is pure: it reads only the bytes or the io.Reader it is
// given, and keeps no state. Its errors are its own, [ErrUnsupportedType]
// and [*ParseError]; the engine wraps them in an EINVALID error. A
// ParseError names the line and column at fault, for the person who
// exported the file:
//
//	line 3, column "31-60": "abc" is not an amount
//
// # Reports in CSV
//
// Both parsers read a header row, then one row per debtor or item, by the
// same rules:
//
//   - Column names match without regard to case, white space,
//     underscores, hyphens and periods ("Days 1-30" is "days_1_30").
//     Each parser lists the names it accepts; other columns are ignored.
//   - The delimiter is ',', ';' or a tab, whichever the header row uses
//     most. The text must be UTF-8; a byte order mark is skipped.
//   - Amounts are decimals, with an optional currency symbol before or
//     after them ("$1,234.50", "1.234,50 €"); blank is zero. When both '.'
//     and ',' appear, the last one is the decimal point and the other
//     separates thousands. A lone ',' followed by exactly three digits
//     separates thousands ("1,234"), unless the number starts with 0
//     ("0,125"); otherwise it is a decimal comma ("12,5"). A lone '.' is
//     always the decimal point. Amounts that hold the delimiter must be
//     quoted.
//   - Negative amounts ("-120", "(120)", "120-") are rejected, credits
//     included: net them against the debtor's balances before upload, so
//     that no row can offset another's.
//   - Blank rows, and totals rows (first column "Total", "Totals" or
//     "Grand total"), are skipped. Runs of white space in text fields
//     become one space.
//   - Limits, so that bad input cannot exhaust memory: at most 100,000
//     rows after the header, 64 columns, and 1 KiB per field.
package documents
