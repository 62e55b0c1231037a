package postgres

import (
	"testing"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/storetest"
)

func TestConformance(t *testing.T) {
	testURL(t)
	storetest.Exercise(t, func(t *testing.T) assetmint.Store { return open(t, Config{}) })
}

// TestConcurrency races two DBs on one schema, each with its own pool, as
// two instances of the engine would.
func TestConcurrency(t *testing.T) {
	testURL(t)
	storetest.ExerciseConcurrency(t, func(t *testing.T) (assetmint.Store, assetmint.Store) {
		db := open(t, Config{})
		return db, another(t, db)
	})
}

// TestPrincipals runs two Engines over two DBs on one schema, as two
// instances would: each hears of the other's changes through NOTIFY.
func TestPrincipals(t *testing.T) {
	testURL(t)
	storetest.ExercisePrincipals(t, false, func(t *testing.T) (assetmint.Store, assetmint.Store) {
		db := open(t, Config{})
		return db, another(t, db)
	})
}
