package fsblob_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/fsblob"
)

// Store a document's bytes, read them back by hash, and see what an absent
// or malformed hash gives.
func ExampleStore() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "fsblob-example")
	defer os.RemoveAll(dir)

	blobs, err := fsblob.New(dir)
	if err != nil {
		panic(err)
	}
	sum, size, _ := blobs.PutBlob(ctx, strings.NewReader("hello, world\n"))
	fmt.Println(sum, size)

	rc, _ := blobs.OpenBlob(ctx, sum)
	b, _ := io.ReadAll(rc)
	rc.Close()
	fmt.Printf("%q\n", b)

	_, err = blobs.OpenBlob(ctx, strings.Repeat("0", 64))
	fmt.Println(assetmint.ErrorCode(err))
	_, err = blobs.OpenBlob(ctx, "../../etc/passwd")
	fmt.Println(assetmint.ErrorCode(err))
	// Output:
	// 853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020 13
	// "hello, world\n"
	// not_found
	// invalid
}
