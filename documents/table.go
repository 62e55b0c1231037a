package documents

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits on a report, so that bad input cannot exhaust memory.
const (
	maxRows       = 100_000
	maxColumns    = 64
	maxFieldBytes = 1024
	// maxRowBytes bounds what is read for one row: every field at its
	// longest, quoted, with each character a doubled quote.
	maxRowBytes = maxColumns * (2*maxFieldBytes + 3)
)

// ParseError is an error in a report, at a line of the file (1 is the
// first) and, when the fault is in one field, the column as its header
// names it.
type ParseError struct {
	Line    int    // 0 when the fault is the whole file's
	Column  string // the header's name of the column; "" when not one field's
	Message string
}

func (e *ParseError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// column describes one column a report reads.
type column struct {
	name     string   // as error messages call it
	aliases  []string // the header names it goes by, name first
	required bool
}

// table reads a report's CSV: the header, then its rows, within the limits.
type table struct {
	csv    *csv.Reader
	budget *budgetReader
	header []string // as written, trimmed
	index  []int    // for each column read, its field in a row, or -1
	line   int      // of the current row
	rows   int      // read after the header
	row    []string // the current row
}

// newTable reads the header row of r and finds the columns in it.
func newTable(r io.Reader, columns []column) (*table, error) {
	t := &table{budget: &budgetReader{r: r}}
	t.budget.reset()
	br := bufio.NewReader(t.budget)
	head, err := br.Peek(br.Size())
	if err != nil && err != io.EOF {
		return nil, readError(err)
	}
	if bytes.HasPrefix(head, []byte(utf8BOM)) {
		_, _ = br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	t.csv = csv.NewReader(br)
	t.csv.Comma = delimiter(head)
	t.csv.FieldsPerRecord = -1
	t.csv.LazyQuotes = true
	t.csv.TrimLeadingSpace = true
	t.csv.ReuseRecord = true

	header, err := t.read()
	if err == io.EOF {
		return nil, &ParseError{Message: "the file is empty: it has no header row"}
	}
	if err != nil {
		return nil, err
	}
	if len(header) > maxColumns {
		return nil, &ParseError{Line: t.line, Message: fmt.Sprintf("more than %d columns", maxColumns)}
	}
	for _, h := range header {
		if len(h) > maxFieldBytes {
			return nil, &ParseError{Line: t.line, Message: fmt.Sprintf("a column name longer than %d bytes", maxFieldBytes)}
		}
		t.header = append(t.header, strings.TrimSpace(h))
	}
	if err := t.findColumns(columns); err != nil {
		return nil, err
	}
	return t, nil
}

// findColumns maps each column to its field in the header.
func (t *table) findColumns(columns []column) error {
	t.index = make([]int, len(columns))
	for i := range t.index {
		t.index[i] = -1
	}
	for field, h := range t.header {
		k := foldName(h)
		for i, c := range columns {
			if !matches(k, c.aliases) {
				continue
			}
			if t.index[i] >= 0 {
				return &ParseError{Line: t.line, Column: h, Message: fmt.Sprintf("a second %q column (the first is %q)", c.name, t.header[t.index[i]])}
			}
			t.index[i] = field
		}
	}
	for i, c := range columns {
		if c.required && t.index[i] < 0 {
			return &ParseError{Line: t.line, Message: fmt.Sprintf("no %q column in the header (it may be called %s)", c.name, quoteAll(c.aliases))}
		}
	}
	return nil
}

// eachRow calls fn for every data row with the text of its key column,
// skipping totals rows; a row without a key is an error at that column
// saying missing.
func (t *table) eachRow(key int, missing string, fn func(key string) error) error {
	for {
		err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		k := t.text(key)
		if isTotal(k) {
			continue
		}
		if k == "" {
			return t.fieldError(t.index[key], missing)
		}
		if err := fn(k); err != nil {
			return err
		}
	}
}

// next moves to the next row that is not blank; it returns io.EOF after
// the last.
func (t *table) next() error {
	for {
		row, err := t.read()
		if err != nil {
			return err
		}
		t.row = row
		if t.rows++; t.rows > maxRows {
			return &ParseError{Line: t.line, Message: fmt.Sprintf("more than %d rows", maxRows)}
		}
		if len(row) > len(t.header) {
			return &ParseError{Line: t.line, Message: fmt.Sprintf("%d fields where the header has %d (quote amounts whose thousands separator is the delimiter)", len(row), len(t.header))}
		}
		for i, f := range row {
			if len(f) > maxFieldBytes {
				return t.fieldError(i, fmt.Sprintf("longer than %d bytes", maxFieldBytes))
			}
			if !utf8.ValidString(f) {
				return t.fieldError(i, "not UTF-8 text (export the file as CSV UTF-8)")
			}
		}
		if !blank(row) {
			return nil
		}
	}
}

// read reads one record within the byte budget.
func (t *table) read() ([]string, error) {
	t.budget.reset()
	row, err := t.csv.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if errors.Is(err, errRowTooLong) {
		return nil, &ParseError{Line: t.line + 1, Message: fmt.Sprintf("a row longer than %d bytes", maxRowBytes)}
	}
	if err != nil {
		return nil, readError(err)
	}
	t.line, _ = t.csv.FieldPos(0)
	return row, nil
}

// text returns column c of the current row, its white space collapsed.
func (t *table) text(c int) string {
	return strings.Join(strings.Fields(t.raw(c)), " ")
}

// raw returns column c of the current row, "" when the file has no such
// column or the row stops short of it.
func (t *table) raw(c int) string {
	if i := t.index[c]; i >= 0 && i < len(t.row) {
		return t.row[i]
	}
	return ""
}

// amount reads column c of the current row as an amount.
func (t *table) amount(c int) (decimal.Decimal, error) {
	d, err := parseAmount(t.raw(c))
	if err != nil {
		return decimal.Decimal{}, t.fieldError(t.index[c], err.Error())
	}
	return d, nil
}

// flag reads column c of the current row as yes or no; blank is no.
func (t *table) flag(c int) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(t.raw(c))) {
	case "yes", "y", "true", "1":
		return true, nil
	case "", "no", "n", "false", "0":
		return false, nil
	}
	return false, t.fieldError(t.index[c], fmt.Sprintf("%s is not yes or no", quoteValue(t.raw(c))))
}

// fieldError is a ParseError about field i of the current row.
func (t *table) fieldError(i int, msg string) *ParseError {
	line := t.line
	if i >= 0 && i < len(t.row) {
		line, _ = t.csv.FieldPos(i)
	}
	var col string
	if i >= 0 && i < len(t.header) {
		col = t.header[i]
	}
	return &ParseError{Line: line, Column: col, Message: msg}
}

// readError turns an error of the CSV reader into a ParseError when it is
// one of the file's.
func readError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Line: pe.Line, Message: pe.Err.Error()}
	}
	return fmt.Errorf("reading the report: %w", err)
}

// delimiter picks the delimiter the first line of head uses most: ',', ';'
// or a tab; ',' when there is none.
func delimiter(head []byte) rune {
	var counts [256]int
	quoted := false
	for _, c := range head {
		if c == '\n' && !quoted {
			break
		}
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// foldName reduces a column name, or a named value, to what matching
// compares: lower case, without white space, underscores, hyphens or
// periods.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '.' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// matches reports whether the folded name k is one of aliases.
func matches(k string, aliases []string) bool {
	for _, a := range aliases {
		if k == foldName(a) {
			return true
		}
	}
	return false
}

// isTotal reports whether a row's first text marks a totals row.
func isTotal(s string) bool {
	s = strings.TrimSuffix(strings.ToLower(s), ":")
	return s == "total" || s == "totals" || s == "grand total"
}

func blank(row []string) bool {
	for _, f := range row {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// quoteValue quotes a field for a message, shortened.
func quoteValue(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return fmt.Sprintf("%q...", s[:cut])
	}
	return fmt.Sprintf("%q", s)
}

var errRowTooLong = errors.New("row too long")

// budgetReader fails once more than a row's worth of bytes is read from r
// since the last reset, so that one endless row cannot fill memory. The
// budget leaves room for the CSV reader's buffer.
type budgetReader struct {
	r    io.Reader
	left int
}

func (b *budgetReader) reset() { b.left = maxRowBytes + 2*4096 }

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errRowTooLong
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

// choice reads column c of the current row with parse, which names the
// fault in its error.
func (t *table) choice(c int, parse func(string) (string, error)) (string, error) {
	v, err := parse(t.raw(c))
	if err != nil {
		return "", t.fieldError(t.index[c], err.Error())
	}
	return v, nil
}
