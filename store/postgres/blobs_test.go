package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// The tests mirror store/fsblob's, with the table in place of the
// directory.

// setupBlobs returns a Blobs on a fresh schema, and its DB.
func setupBlobs(t *testing.T) (*Blobs, *DB) {
	t.Helper()
	db := open(t, Config{})
	return NewBlobs(db), db
}

// storedBlobs lists the stored blobs' sums.
func storedBlobs(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.pool.Query(t.Context(), `SELECT sha256 FROM blobs ORDER BY sha256`)
	require.NoError(t, err)
	out := []string{}
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func readBlob(t *testing.T, b *Blobs, sum string) []byte {
	t.Helper()
	rc, err := b.OpenBlob(t.Context(), sum)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	return got
}

func TestBlobRoundTrip(t *testing.T) {
	b, db := setupBlobs(t)
	data := []byte("invoice #42: CNC milling machine, 85,000.00")

	sum, size, err := b.PutBlob(t.Context(), bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, hexSum(data), sum)
	require.Equal(t, int64(len(data)), size)
	require.Equal(t, []string{sum}, storedBlobs(t, db))
	require.Equal(t, data, readBlob(t, b, sum))

	// The reader seeks, for http.ServeContent.
	rc, err := b.OpenBlob(t.Context(), sum)
	require.NoError(t, err)
	seeker, ok := rc.(io.ReadSeeker)
	require.True(t, ok)
	_, err = seeker.Seek(9, io.SeekStart)
	require.NoError(t, err)
	rest, err := io.ReadAll(seeker)
	require.NoError(t, err)
	require.Equal(t, data[9:], rest)
}

func TestBlobEmpty(t *testing.T) {
	b, _ := setupBlobs(t)
	sum, size, err := b.PutBlob(t.Context(), strings.NewReader(""))
	require.NoError(t, err)
	require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sum)
	require.Zero(t, size)
	require.Empty(t, readBlob(t, b, sum))
}

func TestBlobSameBytesStoredOnce(t *testing.T) {
	b, db := setupBlobs(t)
	data := bytes.Repeat([]byte("stock report\n"), 10_000)
	version := func(sum string) string { // the row version: unchanged if the row was never rewritten
		var xmin string
		require.NoError(t, db.pool.QueryRow(t.Context(), `SELECT xmin::text FROM blobs WHERE sha256 = $1`, sum).Scan(&xmin))
		return xmin
	}

	sum1, _, err := b.PutBlob(t.Context(), bytes.NewReader(data))
	require.NoError(t, err)
	before := version(sum1)

	sum2, size, err := b.PutBlob(t.Context(), bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, sum1, sum2)
	require.Equal(t, int64(len(data)), size)
	require.Len(t, storedBlobs(t, db), 1)
	require.Equal(t, before, version(sum1), "the stored row is kept")

	other, _, err := b.PutBlob(t.Context(), strings.NewReader("something else"))
	require.NoError(t, err)
	require.NotEqual(t, sum1, other)
	require.Len(t, storedBlobs(t, db), 2)
}

var errBroken = errors.New("connection reset")

// failingReader yields n bytes, then fails.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errBroken
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

func TestBlobFailedReadLeavesNothing(t *testing.T) {
	b, db := setupBlobs(t)

	_, _, err := b.PutBlob(t.Context(), &failingReader{n: 100_000})
	require.ErrorIs(t, err, errBroken)
	require.Empty(t, storedBlobs(t, db))

	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = b.PutBlob(canceled, strings.NewReader("never stored"))
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, storedBlobs(t, db))
}

// A blob may be MaxDocumentSize bytes, not one more; a larger one is
// refused, naming the field, and nothing is stored.
func TestBlobSizeLimit(t *testing.T) {
	b, db := setupBlobs(t)
	big := bytes.Repeat([]byte{0xA5}, assetmint.MaxDocumentSize+1)

	_, _, err := b.PutBlob(t.Context(), bytes.NewReader(big))
	require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))
	require.Equal(t, "file", assetmint.ErrorParam(err))
	require.Equal(t, "file must be at most 26214400 bytes", assetmint.ErrorMessage(err))
	require.Empty(t, storedBlobs(t, db))

	sum, size, err := b.PutBlob(t.Context(), bytes.NewReader(big[:assetmint.MaxDocumentSize]))
	require.NoError(t, err)
	require.Equal(t, int64(assetmint.MaxDocumentSize), size)
	require.Equal(t, hexSum(big[:assetmint.MaxDocumentSize]), sum)
	require.True(t, bytes.Equal(big[:assetmint.MaxDocumentSize], readBlob(t, b, sum)))
}

func TestBlobOpenRejectsBadHashes(t *testing.T) {
	b, _ := setupBlobs(t)
	sum, _, err := b.PutBlob(t.Context(), strings.NewReader("hello"))
	require.NoError(t, err)

	for _, bad := range []string{
		"",
		"../../etc/passwd",
		strings.ToUpper(sum),
		sum[:63],
		sum + "0",
		sum[:2] + "/" + sum[3:],
		"g" + sum[1:],
		strings.Repeat(".", 64),
		"' OR '1'='1",
	} {
		rc, err := b.OpenBlob(t.Context(), bad)
		require.Nil(t, rc, "%q", bad)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "%q", bad)
		require.Equal(t, "sha256", assetmint.ErrorParam(err))
	}
}

func TestBlobOpenNotFound(t *testing.T) {
	b, _ := setupBlobs(t)
	_, err := b.OpenBlob(t.Context(), hexSum([]byte("absent")))
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))
	require.Equal(t, "blob not found", assetmint.ErrorMessage(err))
}

func TestBlobConcurrentPutsOfTheSameBytes(t *testing.T) {
	b, db := setupBlobs(t)
	other := NewBlobs(another(t, db))
	data := bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7}, 64<<10)

	const n = 16
	sums := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		s := []*Blobs{b, other}[i%2] // two instances
		wg.Go(func() { sums[i], _, errs[i] = s.PutBlob(t.Context(), bytes.NewReader(data)) })
	}
	wg.Wait()

	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, hexSum(data), sums[i])
	}
	require.Equal(t, []string{sums[0]}, storedBlobs(t, db))
	require.Equal(t, data, readBlob(t, b, sums[0]))
}

// What one instance stores, another serves.
func TestBlobsAcrossDBs(t *testing.T) {
	b, db := setupBlobs(t)
	other := NewBlobs(another(t, db))
	data := []byte("%PDF-1.7 appraisal of a CAT 320 excavator")
	sum, _, err := b.PutBlob(t.Context(), bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, data, readBlob(t, other, sum))
}
