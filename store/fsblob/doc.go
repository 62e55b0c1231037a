// Package fsblob is the filesystem [assetmint.BlobStore]: document bytes in
// a directory, content-addressed by their SHA-256.
//
// A blob lives at <dir>/<aa>/<hash>, where hash is the lower-case hex
// SHA-256 of its bytes and aa its first two characters. [Store.PutBlob]
// streams into a temporary file in dir, hashing as it writes, syncs it and
// renames it into place, so a blob appears whole or not at all; the same
// bytes put twice are stored once. [Store.OpenBlob] accepts only a
// well-formed hash, so a caller can never name another path.
//
//	blobs, err := fsblob.New("/var/lib/assetmint/blobs")
//	if err != nil { ... }
//	sum, size, err := blobs.PutBlob(ctx, upload)
//	rc, err := blobs.OpenBlob(ctx, sum)
//
// A process that dies during a put may leave a temporary file named
// ".tmp-*" in dir; such files are never read and may be deleted while no
// put is running. The package sets no size limit: the HTTP layer does.
package fsblob
