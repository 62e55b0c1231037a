package documents

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// endless yields prefix, then pattern forever, and counts what was read.
type endless struct {
	prefix  string
	pattern string
	read    int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		if e.read < len(e.prefix) {
			p[i] = e.prefix[e.read]
		} else {
			p[i] = e.pattern[(e.read-len(e.prefix))%len(e.pattern)]
		}
		e.read++
	}
	return len(p), nil
}

func TestLimits(t *testing.T) {
	header := "debtor,current,1-30,31-60,61-90,90+"
	row := "A,1,0,0,0,0\n"

	t.Run("columns", func(t *testing.T) {
		wide := func(n int) string {
			cols := strings.Split(header, ",")
			for i := len(cols); i < n; i++ {
				cols = append(cols, fmt.Sprintf("extra%d", i))
			}
			return strings.Join(cols, ",") + "\n" + row
		}
		_, err := ParseAgingReport(strings.NewReader(wide(maxColumns)))
		require.NoError(t, err)
		_, err = ParseAgingReport(strings.NewReader(wide(maxColumns + 1)))
		require.EqualError(t, err, "line 1: more than 64 columns")
	})

	t.Run("field size", func(t *testing.T) {
		_, err := ParseAgingReport(strings.NewReader(header + "\n" + strings.Repeat("a", maxFieldBytes) + ",1,0,0,0,0\n"))
		require.NoError(t, err)
		_, err = ParseAgingReport(strings.NewReader(header + "\n" + strings.Repeat("a", maxFieldBytes+1) + ",1,0,0,0,0\n"))
		require.EqualError(t, err, `line 2, column "debtor": longer than 1024 bytes`)
		_, err = ParseAgingReport(strings.NewReader(strings.Repeat("h", maxFieldBytes+1) + "," + header + "\n" + row))
		require.EqualError(t, err, "line 1: a column name longer than 1024 bytes")
	})

	t.Run("rows", func(t *testing.T) {
		_, err := ParseAgingReport(strings.NewReader(header + "\n" + strings.Repeat(row, maxRows)))
		require.NoError(t, err)
		_, err = ParseAgingReport(strings.NewReader(header + "\n" + strings.Repeat(row, maxRows+1)))
		require.EqualError(t, err, "line 100002: more than 100000 rows")
		_, err = ParseAgingReport(&endless{prefix: header + "\n", pattern: row})
		require.EqualError(t, err, "line 100002: more than 100000 rows")
	})

	// Endless input ends in an error after reading little more than a row's
	// worth.
	for _, tc := range []struct {
		name string
		in   endless
		want string
	}{
		{"endless header", endless{pattern: "a"}, "line 1: a row longer than 131264 bytes"},
		{"endless row", endless{prefix: header + "\n", pattern: "a"}, "line 2: a row longer than 131264 bytes"},
		{"endless quoted field", endless{prefix: header + "\n\"", pattern: "a,\n"}, "line 2: a row longer than 131264 bytes"},
		{"endless blank lines", endless{prefix: header + "\n" + row, pattern: "\n"}, "line 3: a row longer than 131264 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAgingReport(&tc.in)
			require.EqualError(t, err, tc.want)
			require.Less(t, tc.in.read, 2*maxRowBytes)
		})
	}
}

var errDisk = errors.New("disk on fire")

type failingReader struct{ data string }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, errDisk
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderErrorsAreReturned(t *testing.T) {
	_, err := ParseStockReport(&failingReader{data: "sku,qty,cost\nA,1,1\n"})
	require.ErrorIs(t, err, errDisk)
	var pe *ParseError
	require.False(t, errors.As(err, &pe), "not the file's fault")

	_, err = ParseStockReport(&failingReader{})
	require.ErrorIs(t, err, errDisk)

	_, err = ParseStockReport(io.MultiReader(strings.NewReader("sku,qty,cost\n"), &failingReader{}))
	require.ErrorIs(t, err, errDisk)
}
