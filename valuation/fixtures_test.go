package valuation_test

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/valuation"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

var asOf = day(2025, 7, 1)

type fixture struct {
	name string
	in   valuation.Input
}

// fixtures are at least two assets per type; they feed the golden files,
// the benchmarks and the examples.
func fixtures() []fixture {
	photo := valuation.Document{ID: "doc_photo", Kind: valuation.KindPhoto, SHA256: "ph01"}
	return []fixture{
		{"equipment_cnc_invoice", cncInput()},
		{"equipment_excavator_appraisal", valuation.Input{
			AssetID: "ast_exc", Type: valuation.Equipment, Name: "Excavator CAT 320",
			Description:   "2019 excavator, 9,000 hours, good condition",
			DeclaredValue: d("110000"), Currency: "USD",
			Attributes: map[string]string{"subtype": "excavator", "serial": "cat-320-0042"},
			Documents: []valuation.Document{
				{ID: "doc_appr", Kind: valuation.KindAppraisal, SHA256: "ap01", Amount: d("118000"), Currency: "USD", Date: day(2024, 1, 15), Issuer: "Heavy Appraisals LLC", Serial: "CAT3200042"},
				{ID: "doc_insp", Kind: valuation.KindInspection, SHA256: "in01", Date: day(2025, 5, 2), Text: "Inspection report. Built 2019. Undercarriage worn; 9,200 hrs on the meter."},
				photo,
			},
			AsOf: asOf,
		}},
		{"equipment_forklift_declared", valuation.Input{
			AssetID: "ast_fork", Type: valuation.Equipment, Name: "Forklift",
			Description: "2018 forklift, needs repair, not in good condition", DeclaredValue: d("18000"), Currency: "USD",
			Attributes: map[string]string{"usage": "high"}, AsOf: asOf,
		}},
		{"vehicle_sedan_invoice", valuation.Input{
			AssetID: "ast_car", Type: valuation.Vehicle, Name: "Toyota Camry",
			Description: "2022 sedan, very good condition, clean title", DeclaredValue: d("26000"), Currency: "USD",
			Attributes: map[string]string{"mileage": "41000", "vin": "1M8GDM9AXKP042788"},
			Documents: []valuation.Document{
				{ID: "doc_inv", Kind: valuation.KindInvoice, SHA256: "iv02", Amount: d("32000"), Currency: "USD", Date: day(2022, 3, 15)},
				{ID: "doc_title", Kind: valuation.KindTitle, SHA256: "ti02", VIN: "1M8GDM9AXKP042788"},
				photo,
			},
			AsOf: asOf,
		}},
		{"vehicle_truck_invalid_vin", valuation.Input{
			AssetID: "ast_truck", Type: valuation.Vehicle, Name: "Freightliner Cascadia",
			Description: "Over-the-road tractor, 2020", DeclaredValue: d("90000"), Currency: "USD",
			Attributes: map[string]string{"subtype": "truck", "mileage": "310000", "condition": "good"},
			Documents: []valuation.Document{
				{ID: "doc_inv", Kind: valuation.KindInvoice, SHA256: "iv03", Amount: d("150000"), Date: day(2020, 6, 1)},
				{ID: "doc_title", Kind: valuation.KindTitle, SHA256: "ti03", VIN: "1M8GDM9A1KP042788"},
			},
			Conflicts: []valuation.Conflict{{Kind: "vin", Value: "1M8GDM9A1KP042788", OtherAssetID: "ast_other"}},
			AsOf:      asOf,
		}},
		{"real_estate_appraisal", valuation.Input{
			AssetID: "ast_bldg", Type: valuation.RealEstate, Name: "Warehouse, 12 Dock St",
			DeclaredValue: d("900000"), Currency: "USD",
			Attributes: map[string]string{"re_category": "improved", "senior_liens": "200000"},
			Documents: []valuation.Document{
				{ID: "doc_deed", Kind: valuation.KindDeed, SHA256: "de04"},
				{ID: "doc_appr", Kind: valuation.KindAppraisal, SHA256: "ap04", Amount: d("850000"), Date: day(2025, 2, 1)},
			},
			AsOf: asOf,
		}},
		{"real_estate_income", valuation.Input{
			AssetID: "ast_retail", Type: valuation.RealEstate, Name: "Retail strip",
			DeclaredValue: d("1500000"), Currency: "USD",
			Attributes: map[string]string{"noi": "120000", "cap_rate": "7.5%"},
			Documents:  []valuation.Document{{ID: "doc_deed", Kind: valuation.KindDeed, SHA256: "de05"}},
			AsOf:       asOf,
		}},
		{"receivables_aging", valuation.Input{
			AssetID: "ast_ar", Type: valuation.Receivables, Name: "Trade receivables Q2",
			DeclaredValue: d("400000"), Currency: "USD", Attributes: map[string]string{"dilution": "0.04"},
			Documents: []valuation.Document{{ID: "doc_aging", Kind: valuation.KindAgingReport, SHA256: "ag06", Date: day(2025, 6, 30),
				Aging: &valuation.AgingReport{Lines: []valuation.AgingLine{
					{Debtor: "Acme Corp", Current: d("120000"), Days30: d("40000"), Days60: d("10000")},
					{Debtor: "Beta LLC", Current: d("60000"), Days30: d("15000"), Days90: d("5000")},
					{Debtor: "Gamma GmbH", Current: d("30000"), Foreign: true},
					{Debtor: "Delta Inc", Current: d("5000"), Over90: d("20000")},
					{Debtor: "Epsilon", Current: d("45000"), Days30: d("5000")},
					{Debtor: "Zeta", Current: d("12000"), Disputed: true},
				}}}},
			AsOf: asOf,
		}},
		{"receivables_declared", valuation.Input{
			AssetID: "ast_ar2", Type: valuation.Receivables, Name: "Receivables", DeclaredValue: d("250000"), Currency: "USD", AsOf: asOf,
		}},
		{"inventory_stock", valuation.Input{
			AssetID: "ast_inv", Type: valuation.Inventory, Name: "Warehouse stock",
			DeclaredValue: d("300000"), Currency: "USD",
			Documents: []valuation.Document{{ID: "doc_stock", Kind: valuation.KindStockReport, SHA256: "st07", Date: day(2025, 6, 20),
				Stock: &valuation.StockReport{Lines: []valuation.StockLine{
					{SKU: "A1", Quantity: d("1000"), UnitCost: d("120"), Category: "finished", Turn: "fast"},
					{SKU: "B2", Quantity: d("500"), UnitCost: d("80"), Category: "raw", Turn: "average"},
					{SKU: "C3", Quantity: d("200"), UnitCost: d("150"), Category: "wip", Turn: "average"},
					{SKU: "D4", Quantity: d("300"), UnitCost: d("50"), Category: "finished", Turn: "slow"},
					{SKU: "E5", Quantity: d("100"), UnitCost: d("40"), Category: "obsolete", Turn: "fast"},
				}}}},
			AsOf: asOf,
		}},
		{"inventory_stale_report", valuation.Input{
			AssetID: "ast_inv2", Type: valuation.Inventory, Name: "Spare parts",
			DeclaredValue: d("90000"), Currency: "USD",
			Documents: []valuation.Document{{ID: "doc_stock", Kind: valuation.KindStockReport, SHA256: "st08", Date: day(2024, 12, 31),
				Stock: &valuation.StockReport{Lines: []valuation.StockLine{
					{SKU: "P1", Quantity: d("4000"), UnitCost: d("12.5"), Category: "finished", Turn: "average"},
					{SKU: "P2", Quantity: d("900"), UnitCost: d("30"), Category: "consigned", Turn: "fast"},
					{SKU: "P3", Quantity: d("250"), UnitCost: d("44"), Category: "finished", Turn: "dead"},
				}}}},
			AsOf: asOf,
		}},
		{"ip_documented_royalty", valuation.Input{
			AssetID: "ast_pat", Type: valuation.IntellectualProperty, Name: "Patent US 10,000,001",
			DeclaredValue: d("2000000"), Currency: "USD",
			Attributes: map[string]string{"annual_revenue": "3000000", "remaining_life_years": "9"},
			Documents: []valuation.Document{
				{ID: "doc_reg", Kind: valuation.KindRegistration, SHA256: "rg09", Date: day(2016, 5, 3)},
				{ID: "doc_lic", Kind: valuation.KindOther, SHA256: "lc09", Text: "Licence agreement: licensee pays a royalty rate of 4.5% of net sales."},
			},
			AsOf: asOf,
		}},
		{"ip_undocumented_royalty", valuation.Input{
			AssetID: "ast_tm", Type: valuation.IntellectualProperty, Name: "Trademark",
			DeclaredValue: d("500000"), Currency: "USD",
			Attributes: map[string]string{"annual_revenue": "1200000", "royalty_rate": "0.03"},
			AsOf:       asOf,
		}},
		{"commodity_gold_bars", valuation.Input{
			AssetID: "ast_gold", Type: valuation.Commodity, Name: "Gold bars",
			Description: "Ten 10 oz LBMA bars", DeclaredValue: d("330000"), Currency: "USD",
			Attributes: map[string]string{"metal": "gold", "weight_oz": "100", "purity": "0.9999"},
			Documents:  []valuation.Document{{ID: "doc_assay", Kind: valuation.KindAssay, SHA256: "as10", Date: day(2025, 6, 1)}},
			AsOf:       asOf,
		}},
		{"commodity_silver_stale", valuation.Input{
			AssetID: "ast_silver", Type: valuation.Commodity, Name: "Silver granules",
			DeclaredValue: d("12000"), Currency: "USD",
			Attributes:  map[string]string{"weight_g": "10000", "purity": "999"},
			Description: "Fine silver", AsOf: day(2025, 9, 1),
		}},
		{"art_appraisal", valuation.Input{
			AssetID: "ast_art", Type: valuation.Art, Name: "Oil on canvas, 1962",
			DeclaredValue: d("450000"), Currency: "USD",
			Documents: []valuation.Document{
				{ID: "doc_prov", Kind: valuation.KindProvenance, SHA256: "pv11"},
				{ID: "doc_appr", Kind: valuation.KindAppraisal, SHA256: "ap11", Amount: d("420000"), Date: day(2024, 3, 1)},
			},
			AsOf: asOf,
		}},
		{"art_auction_estimate", valuation.Input{
			AssetID: "ast_art2", Type: valuation.Art, Name: "Bronze sculpture",
			DeclaredValue: d("900000"), Currency: "USD",
			Attributes: map[string]string{"auction_low": "200000", "auction_high": "300000"},
			Documents:  []valuation.Document{{ID: "doc_prov", Kind: valuation.KindProvenance, SHA256: "pv12"}},
			AsOf:       asOf,
		}},
	}
}
