package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/sqlite"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "assetmint-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	err = db.CreateBusiness(ctx, &assetmint.Business{ID: "biz_0001", Name: "Acme Heavy Equipment", Plan: "business", CreatedAt: now, UpdatedAt: now})
	if err != nil {
		log.Fatal(err)
	}
	b, err := db.Business(ctx, "biz_0001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Name, b.Plan, b.CreatedAt.Format(time.RFC3339))

	_, err = db.Business(ctx, "biz_0404")
	fmt.Println(assetmint.ErrorCode(err), assetmint.ErrorMessage(err))
	// Output:
	// Acme Heavy Equipment business 2025-03-14T09:00:00Z
	// not_found business not found
}
