package fsblob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/assetmint/assetmint"
)

// Store is a [assetmint.BlobStore] in a directory. It is safe for
// concurrent use, also by several processes sharing the directory.
type Store struct {
	dir string
}

var _ assetmint.BlobStore = (*Store)(nil)

// New returns a Store keeping its blobs in dir, which it creates (mode
// 0750) if needed.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("fsblob: no directory given")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	return &Store{dir: dir}, nil
}

// PutBlob stores what r yields and returns its hex SHA-256 and size. The
// blob appears whole or not at all: if reading r fails, or ctx is done
// before r is drained, nothing is left behind and the error wraps the
// cause. Bytes already stored are kept as they are. Errors other than r's
// are internal (filesystem failures).
func (s *Store) PutBlob(ctx context.Context, r io.Reader) (sum string, size int64, err error) {
	f, err := os.CreateTemp(s.dir, ".tmp-*")
	if err != nil {
		return "", 0, fmt.Errorf("fsblob: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close() // may already be closed; the error is of no interest
			os.Remove(f.Name())
		}
	}()

	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), ctxReader{ctx, r})
	if err != nil {
		return "", 0, fmt.Errorf("fsblob: storing blob: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", 0, fmt.Errorf("fsblob: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("fsblob: %w", err)
	}
	sum = hex.EncodeToString(h.Sum(nil))

	path := s.path(sum)
	switch _, err = os.Stat(path); {
	case err == nil: // the same bytes are already stored
		if err = os.Remove(f.Name()); err != nil {
			return "", 0, fmt.Errorf("fsblob: %w", err)
		}
		return sum, size, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", 0, fmt.Errorf("fsblob: %w", err)
	}
	if err = s.mkdir(filepath.Dir(path)); err != nil {
		return "", 0, err
	}
	// A concurrent put of the same bytes may rename first; replacing its
	// file with identical bytes is harmless.
	if err = os.Rename(f.Name(), path); err != nil {
		return "", 0, fmt.Errorf("fsblob: %w", err)
	}
	if err = syncDir(filepath.Dir(path)); err != nil {
		return "", 0, err
	}
	return sum, size, nil
}

// OpenBlob opens the blob with the given hex SHA-256 for reading; the
// caller closes it. The reader is an *os.File, so it also seeks (for
// http.ServeContent). EINVALID if sum is not 64 lower-case hex characters;
// ENOTFOUND if no such blob is stored.
func (s *Store) OpenBlob(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, assetmint.FieldError("sha256", "not a SHA-256 digest in lower-case hex")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &assetmint.Error{Code: assetmint.ENOTFOUND, Message: "blob not found"}
	}
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	return f, nil
}

// path is where the blob with a valid sum lives.
func (s *Store) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum)
}

// mkdir creates a blob subdirectory, making its entry in dir durable when
// it is new.
func (s *Store) mkdir(sub string) error {
	err := os.Mkdir(sub, 0o750)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	return syncDir(s.dir)
}

// syncDir makes the entries of dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	return nil
}

// validSum reports whether s is a SHA-256 digest in lower-case hex.
func validSum(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
