package fsblob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// setup returns a Store in a fresh directory, and the directory.
func setup(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := New(dir)
	require.NoError(t, err)
	return s, dir
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestNew(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	_, err := New(dir)
	require.NoError(t, err)
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	require.True(t, fi.IsDir())
	require.Zero(t, fi.Mode().Perm()&^0o750, "no more than 0750")

	_, err = New("")
	require.Error(t, err)

	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, err = New(file)
	require.Error(t, err)
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, dir := setup(t)
	data := []byte("invoice #42: CNC milling machine, 85,000.00")

	sum, size, err := s.PutBlob(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, hexSum(data), sum)
	require.Equal(t, int64(len(data)), size)
	require.Equal(t, []string{filepath.Join(sum[:2], sum)}, files(t, dir))

	rc, err := s.OpenBlob(ctx, sum)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	require.Equal(t, data, got)
}

func TestEmptyBlob(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	sum, size, err := s.PutBlob(ctx, strings.NewReader(""))
	require.NoError(t, err)
	require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sum)
	require.Zero(t, size)
}

func TestSameBytesStoredOnce(t *testing.T) {
	ctx := context.Background()
	s, dir := setup(t)
	data := bytes.Repeat([]byte("stock report\n"), 10_000)

	sum1, _, err := s.PutBlob(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	before, err := os.Stat(filepath.Join(dir, sum1[:2], sum1))
	require.NoError(t, err)

	sum2, size, err := s.PutBlob(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, sum1, sum2)
	require.Equal(t, int64(len(data)), size)
	require.Len(t, files(t, dir), 1)
	after, err := os.Stat(filepath.Join(dir, sum1[:2], sum1))
	require.NoError(t, err)
	require.True(t, os.SameFile(before, after), "the existing file is kept")

	other, _, err := s.PutBlob(ctx, strings.NewReader("something else"))
	require.NoError(t, err)
	require.NotEqual(t, sum1, other)
	require.Len(t, files(t, dir), 2)
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

func TestFailedReadLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s, dir := setup(t)

	_, _, err := s.PutBlob(ctx, &failingReader{n: 100_000})
	require.ErrorIs(t, err, errBroken)
	require.Empty(t, files(t, dir))

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err = s.PutBlob(canceled, strings.NewReader("never stored"))
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, files(t, dir))
}

func TestOpenBlobRejectsBadHashes(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	sum, _, err := s.PutBlob(ctx, strings.NewReader("hello"))
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
	} {
		rc, err := s.OpenBlob(ctx, bad)
		require.Nil(t, rc, "%q", bad)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "%q", bad)
		require.Equal(t, "sha256", assetmint.ErrorParam(err))
	}
}

func TestOpenBlobNotFound(t *testing.T) {
	s, _ := setup(t)
	_, err := s.OpenBlob(context.Background(), hexSum([]byte("absent")))
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))
	require.Equal(t, "blob not found", assetmint.ErrorMessage(err))
}

func TestConcurrentPutsOfTheSameBytes(t *testing.T) {
	ctx := context.Background()
	s, dir := setup(t)
	data := bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7}, 64<<10)

	const n = 16
	sums := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { sums[i], _, errs[i] = s.PutBlob(ctx, bytes.NewReader(data)) })
	}
	wg.Wait()

	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, hexSum(data), sums[i])
	}
	require.Equal(t, []string{filepath.Join(sums[0][:2], sums[0])}, files(t, dir))

	rc, err := s.OpenBlob(ctx, sums[0])
	require.NoError(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.Equal(t, data, got)
}
