package assetmint_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/store/sqlite"
)

// The engine without HTTP: a business, an asset, and the field a bad input
// names.
func ExampleEngine() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "assetmint-example")
	defer os.RemoveAll(dir)
	db, _ := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	defer db.Close()
	_ = db.Migrate(ctx)
	// The master key seals secrets at rest; keep it outside the database
	// (the example server reads ASSETMINT_MASTER_KEY).
	masterKey, _ := assetmint.NewMasterKey(rand.Reader)
	engine, _ := assetmint.New(db, assetmint.Config{MasterKey: masterKey})

	biz, _, _ := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme Manufacturing", Plan: auth.PlanBusiness})
	asset, _ := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{
		Name:           "CNC Milling Machine — Model X200",
		Type:           assetmint.AssetEquipment,
		Description:    "Industrial CNC machine, 2021, excellent condition",
		EstimatedValue: decimal.RequireFromString("85000"),
	})
	fmt.Println(asset.Status, asset.EstimatedValue, asset.Currency)

	_, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Truck", Type: assetmint.AssetVehicle, EstimatedValue: decimal.RequireFromString("-5")})
	fmt.Println(assetmint.ErrorCode(err), assetmint.ErrorParam(err))

	events, _ := engine.Events(ctx, biz.ID, assetmint.ListParams{})
	fmt.Println(events.Items[0].Type)
	// Output:
	// pending_valuation 85000 USD
	// invalid estimated_value
	// asset.submitted
}
