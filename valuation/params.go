package valuation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// ParametersVersion is the version of DefaultParameters.
const ParametersVersion = "2025.07.1"

// Parameters is the versioned table of every number the deterministic model
// uses. Tags in the comments say where a number comes from, as in the
// research report (docs/valuation-research.md): [S] straight from
// a source, [D] derived from sourced numbers, [P] a policy placeholder to
// calibrate before use.
//
// A host replaces the table by starting from DefaultParameters, changing
// fields, bumping Version and passing it to NewDeterministic, which
// validates it. Every report carries Hash() of the table it was made with.
type Parameters struct {
	// Version names this table; bump it whenever a number changes.
	Version string `json:"version"`

	// Depreciation holds the equipment age curves, by subtype.
	Depreciation DepreciationParams `json:"depreciation"`
	// Vehicle holds the passenger-vehicle retention curve and mileage rule.
	Vehicle VehicleParams `json:"vehicle"`
	// Condition holds the condition multipliers (Price Digests scale).
	Condition ConditionParams `json:"condition"`
	// Usage holds the duty-class rate multipliers and the meter rule.
	Usage UsageParams `json:"usage"`
	// Premises are the OLV/FLV ratios to FMV and the disposal cost, per type.
	Premises map[AssetType]PremiseRatios `json:"premises"`
	// Lending says which premise is lent against and the advance rate, per type.
	Lending map[AssetType]LendingParams `json:"lending"`
	// Uncertainty holds the FSD bases, penalties and gates.
	Uncertainty UncertaintyParams `json:"uncertainty"`
	// ConfidenceTiers map a confidence score to a MISMO CCS tier, best first.
	ConfidenceTiers []ConfidenceTier `json:"confidence_tiers"`
	// Divergence governs the declared-value divergence flag.
	Divergence DivergenceParams `json:"divergence"`
	// RequiredDocuments lists, per type, the document kinds required for
	// automatic verification; each inner slice is "one of".
	RequiredDocs map[AssetType][][]DocumentKind `json:"required_documents"`
	// RealEstate holds supervisory LTV caps and the market trend.
	RealEstate RealEstateParams `json:"real_estate"`
	// Receivables holds loss rates and eligibility thresholds.
	Receivables ReceivablesParams `json:"receivables"`
	// Inventory holds recovery rates and eligibility.
	Inventory InventoryParams `json:"inventory"`
	// IP holds the relief-from-royalty settings.
	IP IPParams `json:"intellectual_property"`
	// Commodity holds the metal price snapshot.
	Commodity CommodityParams `json:"commodity"`
	// Art holds the art and collectibles settings.
	Art ArtParams `json:"art"`
	// RiskGrades are the confidence cut-offs of grades A..D (below D is E).
	RiskGrades RiskGradeParams `json:"risk_grades"`
	// External bounds an external model (see Bounded).
	External ExternalParams `json:"external"`
}

// Curve is a declining-balance age curve: R(a) = 1 − D1·a for a < 1 and
// (1−D1)(1−R)^(a−1) after, floored at Floor.
type Curve struct {
	D1             float64 `json:"d1"`               // first-year decline
	R              float64 `json:"r"`                // yearly decline after year one
	ClassLifeYears float64 `json:"class_life_years"` // IRS Pub 946 class life; only flags extrapolation
	HoursPerYear   float64 `json:"hours_per_year"`   // expected meter hours a year; 0 when not metered
}

// DepreciationParams holds the equipment curves.
type DepreciationParams struct {
	// Curves by subtype (the `subtype` attribute).
	Curves map[string]Curve `json:"curves"`
	// Aliases map words found in the name/description to a subtype, when
	// the `subtype` attribute is absent.
	Aliases map[string]string `json:"aliases"`
	// DefaultSubtype is used when nothing names a subtype.
	DefaultSubtype string `json:"default_subtype"`
	// Floor is the least fraction of the anchor left after depreciation,
	// condition and usage. [S] cunits.io caps depreciation at 90%.
	Floor float64 `json:"floor"`
	// AssumedAgeYears is the age assumed when neither a dated anchor nor a
	// year is known. [P]
	AssumedAgeYears float64 `json:"assumed_age_years"`
}

// VehicleParams is the passenger-vehicle retention curve.
type VehicleParams struct {
	// Retention[i] is the value retained at age i years, linearly
	// interpolated. [S] Edmunds TCO, nine midsize sedans.
	Retention []float64 `json:"retention"`
	// AfterRate is the yearly decline after the table. [S] ~10%/yr.
	AfterRate float64 `json:"after_rate"`
	// Floor is the least fraction retained. [P]
	Floor float64 `json:"floor"`
	// MilesPerYear is the mileage baseline. [S weak] ~12,000 mi/yr.
	MilesPerYear float64 `json:"miles_per_year"`
	// CurveSubtypes are vehicle subtypes valued on an equipment curve
	// (trucks: first-year drop 25–35% [S]) instead of the retention table.
	CurveSubtypes []string `json:"curve_subtypes"`
}

// ConditionParams are multipliers on a good-condition value. [S] Price
// Digests condition dictionary, midpoints of the quoted ranges; New [P];
// Scrap 0 sends the value to the floor.
type ConditionParams struct {
	New       float64 `json:"new"`
	Excellent float64 `json:"excellent"`
	VeryGood  float64 `json:"very_good"`
	Good      float64 `json:"good"`
	Fair      float64 `json:"fair"`
	Poor      float64 `json:"poor"`
	Scrap     float64 `json:"scrap"`
}

// UsageParams scale depreciation rates and turn meter readings into
// effective age.
type UsageParams struct {
	// Rate multipliers for the `usage` attribute. [S] cunits.io.
	Low     float64 `json:"low"`
	Average float64 `json:"average"`
	High    float64 `json:"high"`
	// MeterWeight is the weight of meter-years (hours or miles over the
	// yearly baseline) in effective age: (1−w)·age + w·meterYears. [P]
	MeterWeight float64 `json:"meter_weight"`
	// MeterMin and MeterMax bound the meter multiplier. [P] after the
	// research's mileage clamp 0.8..1.1.
	MeterMin float64 `json:"meter_min"`
	MeterMax float64 `json:"meter_max"`
}

// PremiseRatios derive the liquidation premises from FMV:
// OLV = OLV·FMV, FLV = FLV·FMV, NOLV = OLV·(1−Disposal).
type PremiseRatios struct {
	OLV      float64 `json:"olv"`
	FLV      float64 `json:"flv"`
	Disposal float64 `json:"disposal"`
}

// Premise names a premise of value a lender lends against.
type Premise string

const (
	PremiseFMV  Premise = "FMV"
	PremiseOLV  Premise = "OLV"
	PremiseFLV  Premise = "FLV"
	PremiseNOLV Premise = "NOLV"
	// PremiseEligible is the eligible collateral of a borrowing base
	// (receivables, inventory); NOLV when no structured report exists.
	PremiseEligible Premise = "ELIGIBLE"
)

// LendingParams is how much may be lent against a type.
type LendingParams struct {
	Premise     Premise `json:"premise"`
	AdvanceRate float64 `json:"advance_rate"`
	PolicyRef   string  `json:"policy_ref"`
}

// UncertaintyParams are the FSD rules: FSD = base(type, anchor) + penalties
// − credits, clamped to [Min, Max], rounded to 4 places. All [P] unless said.
type UncertaintyParams struct {
	Base map[AssetType]map[AnchorSource]float64 `json:"base"`

	MissingDocument     float64 `json:"missing_document"`       // per missing requirement
	ConditionFromText   float64 `json:"condition_from_text"`    // condition declared, not documented
	ConditionUnknown    float64 `json:"condition_unknown"`      // good assumed
	AgeUnknown          float64 `json:"age_unknown"`            // age assumed
	BeyondClassLife     float64 `json:"beyond_class_life"`      // extrapolating the curve
	StaleAppraisal      float64 `json:"stale_appraisal"`        // per StaleAppraisalDays of age beyond the first
	StaleAppraisalDays  int     `json:"stale_appraisal_days"`   // 365: Fannie Mae 12-month comps, art annual reappraisal [S]
	StaleReport         float64 `json:"stale_report"`           // aging/stock report older than StaleReportDays, or a stale metal price
	StaleReportDays     int     `json:"stale_report_days"`      //
	FewComparables      float64 `json:"few_comparables"`        // fewer than MinComparables
	MinComparables      int     `json:"min_comparables"`        // 3 [S-ish] research §3
	RoyaltyUndocumented float64 `json:"royalty_undocumented"`   // IP royalty from metadata only
	PhotoCredit         float64 `json:"photo_credit"`           // at least one photo
	InspectionCredit    float64 `json:"inspection_credit"`      // at least one inspection report
	Min                 float64 `json:"min"`                    //
	Max                 float64 `json:"max"`                    //
	AutoFSD             float64 `json:"auto_fsd"`               // ≤ auto: z = ZAuto [S] Homebridge FSD ≤ 20
	ReferFSD            float64 `json:"refer_fsd"`              // > refer: REFER flag, loan capped [S] Homestar 0.25
	ZAuto               float64 `json:"z_auto"`                 // 1 (68%) [S] concept Sklarz & Miller
	ZBand               float64 `json:"z_band"`                 // 1.28 one-sided 90% [P]
	ReferLoanCap        float64 `json:"refer_loan_cap"`         // max loan ≤ cap·advance·lending value when referred [P]
	DeclaredOnlyLoanCap float64 `json:"declared_only_loan_cap"` // max loan ≤ cap·advance·lending value on a declared anchor [P] research §4 0.5
}

// ConfidenceTier is a MISMO CCS tier: scores >= Min.
type ConfidenceTier struct {
	Name string `json:"name"`
	Min  int    `json:"min"`
}

// DivergenceParams: the flag fires when |ln(declared/value)| > SigmaMultiple·FSD
// [S] research §5; above the model it blocks when declared/value > SevereRatio [P].
type DivergenceParams struct {
	SigmaMultiple float64 `json:"sigma_multiple"`
	SevereRatio   float64 `json:"severe_ratio"`
}

// RealEstateParams holds real-estate settings.
type RealEstateParams struct {
	// LTV caps by the `re_category` attribute. [S] 12 CFR 365 App. A;
	// owner_occupied [P] (no supervisory cap; >= 90% needs insurance).
	LTV             map[string]float64 `json:"ltv"`
	DefaultCategory string             `json:"default_category"`
	// MarketTrend is the yearly appreciation applied to an appraisal from
	// its date to AsOf. [P] 0: no trend without local data.
	MarketTrend float64 `json:"market_trend"`
}

// ReceivablesParams holds the accounts-receivable rules.
type ReceivablesParams struct {
	// Loss rates by bucket. [S] textbook 1/5/10/25/50%.
	LossCurrent float64 `json:"loss_current"`
	LossDays30  float64 `json:"loss_days30"`
	LossDays60  float64 `json:"loss_days60"`
	LossDays90  float64 `json:"loss_days90"`
	LossOver90  float64 `json:"loss_over90"`
	// EligibleDays90: whether 61–90 days past due is eligible. [S] FDIC:
	// more than 60 days past due is ineligible.
	EligibleDays90 bool `json:"eligible_days90"`
	// CrossAge: a debtor with more than this share over 90 days is wholly
	// ineligible. [S] FDIC 50%; 10% is common.
	CrossAge float64 `json:"cross_age"`
	// Concentration caps one debtor's share of eligible. [S] 10–25%.
	Concentration float64 `json:"concentration"`
	// Exclude foreign, disputed, related-party debtors. [S]
	ExcludeForeign      bool `json:"exclude_foreign"`
	ExcludeDisputed     bool `json:"exclude_disputed"`
	ExcludeRelatedParty bool `json:"exclude_related_party"`
}

// InventoryParams holds the inventory rules.
type InventoryParams struct {
	// FMV fraction of cost by turn class. [P]
	FMVByTurn map[string]float64 `json:"fmv_by_turn"`
	// Recovery is the orderly-liquidation fraction of cost by turn class
	// (dobbinscompany.com method). [P]
	Recovery map[string]float64 `json:"recovery"`
	// CategoryFactor multiplies FMV and recovery by category. [P]
	// Consigned goods are not the borrower's: 0.
	CategoryFactor map[string]float64 `json:"category_factor"`
	// EligibleCategories and EligibleTurns select eligible stock. [S]
	// WIP, slow/obsolete, packaging and consigned goods are removed.
	EligibleCategories []string `json:"eligible_categories"`
	EligibleTurns      []string `json:"eligible_turns"`
	// FLVOfOLV is FLV as a fraction of OLV. [P]
	FLVOfOLV float64 `json:"flv_of_olv"`
	// CostAdvance caps the loan at this fraction of eligible cost. [S] FDIC
	// ABL criteria 65% (secondary copies).
	CostAdvance float64 `json:"cost_advance"`
}

// IPParams holds the relief-from-royalty settings.
type IPParams struct {
	TaxRate          float64 `json:"tax_rate"`           // [P]
	DiscountRate     float64 `json:"discount_rate"`      // [P] when `discount_rate` is absent
	DefaultLifeYears float64 `json:"default_life_years"` // [P] when `remaining_life_years` is absent
	MaxLifeYears     float64 `json:"max_life_years"`     // [S] patent term 20 years
}

// MetalPrice is one metal's snapshot, per troy ounce of pure metal.
type MetalPrice struct {
	Currency    string          `json:"currency"`
	AsOf        string          `json:"as_of"` // YYYY-MM-DD
	Avg30       decimal.Decimal `json:"avg30"`
	PrevClose   decimal.Decimal `json:"prev_close"`
	AdvanceRate float64         `json:"advance_rate"` // [S] 12 CFR 1240.39: gold haircut 15%, other 25%
}

// CommodityParams holds the offline metal price snapshot. [S] value =
// weight × purity × min(30-day average, previous close) (RBI 2025).
type CommodityParams struct {
	Prices map[string]MetalPrice `json:"prices"`
	// StaleDays: a snapshot older than this is flagged. [P]
	StaleDays int `json:"stale_days"`
}

// ArtParams holds art settings.
type ArtParams struct {
	// AuctionSpread is high/low of an auction estimate, used when only one
	// side is given; FSD from an estimate is (s−1)/(s+1). [S] 1.5 → 0.20.
	AuctionSpread float64 `json:"auction_spread"`
}

// RiskGradeParams are the confidence cut-offs: A >= A, B >= B, C >= C,
// D >= D, else E. A blocking flag caps the grade at D, a blocking flag of
// high severity at E, and any warning lowers the grade one step. [P]
type RiskGradeParams struct {
	A int `json:"a"`
	B int `json:"b"`
	C int `json:"c"`
	D int `json:"d"`
}

// ExternalParams bound an external model.
type ExternalParams struct {
	// ClampQ is the conformal half-width in log space: an external value
	// outside [low·e^−q, high·e^q] is rejected. [P] calibrate by split
	// conformal on a golden set.
	ClampQ float64 `json:"clamp_q"`
}

// DefaultParameters returns the research's defaults. Each call returns a
// fresh table the caller may modify.
func DefaultParameters() Parameters {
	return Parameters{
		Version: ParametersVersion,
		Depreciation: DepreciationParams{
			Curves: map[string]Curve{
				// [S] lukesappraisals.com: CNC 15–20% then 8–12%/yr; class 35.0 life 10.
				"cnc":          {D1: 0.175, R: 0.10, ClassLifeYears: 10, HoursPerYear: 4000},
				"machine_tool": {D1: 0.175, R: 0.10, ClassLifeYears: 10, HoursPerYear: 4000},
				// [S] excavators/forklifts d1 20–25%; r [P]; class 15.0 life 6.
				"excavator": {D1: 0.225, R: 0.10, ClassLifeYears: 6, HoursPerYear: 1500},
				"forklift":  {D1: 0.225, R: 0.10, ClassLifeYears: 6, HoursPerYear: 2000},
				// [S] over-the-road trucks d1 25–35%; r [P]; class 00.242 life 6.
				"truck":   {D1: 0.30, R: 0.12, ClassLifeYears: 6, HoursPerYear: 0},
				"trailer": {D1: 0.20, R: 0.10, ClassLifeYears: 6, HoursPerYear: 0},
				// [P] curves; class lives [S] Pub 946 (01.1, 00.11, 00.12, 34.0).
				"agriculture": {D1: 0.20, R: 0.10, ClassLifeYears: 10, HoursPerYear: 500},
				"furniture":   {D1: 0.30, R: 0.12, ClassLifeYears: 10, HoursPerYear: 0},
				"computer":    {D1: 0.35, R: 0.25, ClassLifeYears: 6, HoursPerYear: 0},
				"fabrication": {D1: 0.175, R: 0.10, ClassLifeYears: 12, HoursPerYear: 4000},
				"general":     {D1: 0.175, R: 0.10, ClassLifeYears: 10, HoursPerYear: 0},
			},
			Aliases: map[string]string{
				"cnc": "cnc", "lathe": "machine_tool", "mill": "machine_tool", "milling": "machine_tool",
				"excavator": "excavator", "digger": "excavator", "forklift": "forklift",
				"truck": "truck", "tractor": "agriculture", "trailer": "trailer", "combine": "agriculture",
				"desk": "furniture", "furniture": "furniture", "server": "computer", "computer": "computer",
				"laptop": "computer", "press": "fabrication", "welder": "fabrication",
			},
			DefaultSubtype:  "general",
			Floor:           0.10,
			AssumedAgeYears: 3,
		},
		Vehicle: VehicleParams{
			Retention:     []float64{1, 0.79, 0.69, 0.61, 0.53, 0.46},
			AfterRate:     0.10,
			Floor:         0.10,
			MilesPerYear:  12000,
			CurveSubtypes: []string{"trailer", "truck"},
		},
		Condition: ConditionParams{New: 1.20, Excellent: 1.125, VeryGood: 1.075, Good: 1, Fair: 0.875, Poor: 0.675, Scrap: 0},
		Usage:     UsageParams{Low: 0.85, Average: 1, High: 1.3, MeterWeight: 0.5, MeterMin: 0.8, MeterMax: 1.1},
		Premises: map[AssetType]PremiseRatios{
			Equipment:            {OLV: 0.70, FLV: 0.45, Disposal: 0.10}, // [D] EquipmentWatch midpoint; disposal [P]
			Vehicle:              {OLV: 0.75, FLV: 0.55, Disposal: 0.08}, // [P]
			RealEstate:           {OLV: 0.85, FLV: 0.70, Disposal: 0.06}, // [P]
			Inventory:            {OLV: 0.60, FLV: 0.40, Disposal: 0.10}, // [P] declared-anchor fallback only
			Receivables:          {OLV: 0.90, FLV: 0.75, Disposal: 0.05}, // [P]
			IntellectualProperty: {OLV: 0.50, FLV: 0.25, Disposal: 0.10}, // [P]
			Commodity:            {OLV: 0.98, FLV: 0.95, Disposal: 0.02}, // [P] liquid market
			Art:                  {OLV: 0.70, FLV: 0.50, Disposal: 0.15}, // [P] auction premium on top of hammer
		},
		Lending: map[AssetType]LendingParams{
			Equipment:            {Premise: PremiseNOLV, AdvanceRate: 0.80, PolicyRef: "SBA SOP 50 10 6: used M&E 80% of OLV appraisal"},
			Vehicle:              {Premise: PremiseNOLV, AdvanceRate: 0.80, PolicyRef: "SBA SOP 50 10 6: used M&E 80% of OLV appraisal"},
			RealEstate:           {Premise: PremiseFMV, AdvanceRate: 0.85, PolicyRef: "12 CFR 365 App. A supervisory LTV (by re_category)"},
			Inventory:            {Premise: PremiseEligible, AdvanceRate: 0.85, PolicyRef: "FDIC ABL: min(65% eligible cost, 85% NOLV)"},
			Receivables:          {Premise: PremiseEligible, AdvanceRate: 0.85, PolicyRef: "ABL: 85% of eligible less dilution"},
			IntellectualProperty: {Premise: PremiseFMV, AdvanceRate: 0.25, PolicyRef: "[P] IP advance <= 25%; 0 without documented royalty"},
			Commodity:            {Premise: PremiseFMV, AdvanceRate: 0.75, PolicyRef: "12 CFR 1240.39 haircut (metal's rate)"},
			Art:                  {Premise: PremiseFMV, AdvanceRate: 0.50, PolicyRef: "Art lending LTV 40-60%"},
		},
		Uncertainty: UncertaintyParams{
			Base: map[AssetType]map[AnchorSource]float64{
				Equipment:            {AnchorAppraisal: 0.12, AnchorInvoice: 0.17, AnchorComparables: 0.15, AnchorDeclared: 0.35},
				Vehicle:              {AnchorAppraisal: 0.10, AnchorInvoice: 0.15, AnchorComparables: 0.12, AnchorDeclared: 0.35},
				RealEstate:           {AnchorAppraisal: 0.10, AnchorIncome: 0.15, AnchorComparables: 0.12, AnchorDeclared: 0.35},
				Inventory:            {AnchorAppraisal: 0.12, AnchorStockReport: 0.15, AnchorDeclared: 0.40},
				Receivables:          {AnchorAgingReport: 0.10, AnchorDeclared: 0.40},
				IntellectualProperty: {AnchorAppraisal: 0.25, AnchorIncome: 0.30, AnchorDeclared: 0.45},
				Commodity:            {AnchorMarketPrice: 0.05, AnchorAppraisal: 0.10, AnchorInvoice: 0.15, AnchorDeclared: 0.35},
				Art:                  {AnchorAppraisal: 0.20, AnchorComparables: 0.20, AnchorInvoice: 0.30, AnchorDeclared: 0.45}, // [D] 0.20 from 1.5 spread
			},
			MissingDocument:     0.10,
			ConditionFromText:   0.03,
			ConditionUnknown:    0.05,
			AgeUnknown:          0.10,
			BeyondClassLife:     0.05,
			StaleAppraisal:      0.05,
			StaleAppraisalDays:  365,
			StaleReport:         0.05,
			StaleReportDays:     90,
			FewComparables:      0.05,
			MinComparables:      3,
			RoyaltyUndocumented: 0.10,
			PhotoCredit:         0.02,
			InspectionCredit:    0.02,
			Min:                 0.05,
			Max:                 0.95,
			AutoFSD:             0.20,
			ReferFSD:            0.25,
			ZAuto:               1,
			ZBand:               1.28,
			ReferLoanCap:        0.5,
			DeclaredOnlyLoanCap: 0.5,
		},
		// [S] MISMO CCS tiers via avms.ai.
		ConfidenceTiers: []ConfidenceTier{
			{Name: "HIGH", Min: 85}, {Name: "MEDIUM_HIGH", Min: 75}, {Name: "MEDIUM", Min: 65},
			{Name: "MEDIUM_LOW", Min: 50}, {Name: "LOW", Min: 0},
		},
		Divergence: DivergenceParams{SigmaMultiple: 2, SevereRatio: 2},
		// The valuation issue's defaults (they win over the research table).
		RequiredDocs: map[AssetType][][]DocumentKind{
			Equipment:            {{KindInvoice, KindAppraisal}},
			Vehicle:              {{KindTitle}},
			RealEstate:           {{KindDeed}, {KindAppraisal}},
			Receivables:          {{KindAgingReport}},
			Inventory:            {{KindStockReport}},
			IntellectualProperty: {{KindRegistration}},
			Commodity:            {{KindAssay}},
			Art:                  {{KindProvenance}, {KindAppraisal}},
		},
		RealEstate: RealEstateParams{
			LTV: map[string]float64{
				"raw_land": 0.65, "land_development": 0.75, "construction_commercial": 0.80,
				"construction_residential": 0.85, "improved": 0.85, "owner_occupied": 0.80,
			},
			DefaultCategory: "improved",
			MarketTrend:     0,
		},
		Receivables: ReceivablesParams{
			LossCurrent: 0.01, LossDays30: 0.05, LossDays60: 0.10, LossDays90: 0.25, LossOver90: 0.50,
			EligibleDays90: false, CrossAge: 0.50, Concentration: 0.25,
			ExcludeForeign: true, ExcludeDisputed: true, ExcludeRelatedParty: true,
		},
		Inventory: InventoryParams{
			FMVByTurn:          map[string]float64{"fast": 1, "average": 1, "slow": 0.80, "dead": 0.25},
			Recovery:           map[string]float64{"fast": 0.65, "average": 0.50, "slow": 0.30, "dead": 0.05},
			CategoryFactor:     map[string]float64{"finished": 1, "raw": 1, "wip": 0.30, "packaging": 0.20, "consigned": 0, "obsolete": 0.25},
			EligibleCategories: []string{"finished", "raw"},
			EligibleTurns:      []string{"average", "fast"},
			FLVOfOLV:           0.65,
			CostAdvance:        0.65,
		},
		IP:         IPParams{TaxRate: 0.25, DiscountRate: 0.15, DefaultLifeYears: 5, MaxLifeYears: 20},
		Commodity:  CommodityParams{Prices: defaultMetalPrices(), StaleDays: 7},
		Art:        ArtParams{AuctionSpread: 1.5},
		RiskGrades: RiskGradeParams{A: 85, B: 75, C: 65, D: 50},
		External:   ExternalParams{ClampQ: 0.5},
	}
}

// defaultMetalPrices is an illustrative USD snapshot per troy ounce. [P]
// Replace it with the lender's feed; it is flagged stale after StaleDays.
func defaultMetalPrices() map[string]MetalPrice {
	p := func(avg, prev string, adv float64) MetalPrice {
		return MetalPrice{Currency: "USD", AsOf: "2025-06-30", Avg30: decimal.RequireFromString(avg), PrevClose: decimal.RequireFromString(prev), AdvanceRate: adv}
	}
	return map[string]MetalPrice{
		"gold":      p("3342.50", "3303.10", 0.85),
		"silver":    p("36.20", "36.05", 0.75),
		"platinum":  p("1275.00", "1345.80", 0.75),
		"palladium": p("1070.00", "1101.50", 0.75),
	}
}

// Hash is the hex SHA-256 of the table's canonical JSON (struct fields in
// declaration order, map keys sorted).
func (p Parameters) Hash() string {
	b, err := json.Marshal(p)
	if err != nil { // only NaN/Inf, which Validate rejects
		b = []byte(fmt.Sprintf("%#v", p))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RequiredDocuments says which document kinds an asset type needs for
// automatic verification: each inner slice is "one of". Photos are never
// required.
func (p Parameters) RequiredDocuments(t AssetType) [][]DocumentKind {
	src := p.RequiredDocs[t]
	out := make([][]DocumentKind, len(src))
	for i, g := range src {
		out[i] = append([]DocumentKind(nil), g...)
	}
	return out
}

// clone deep-copies the table so a model's copy is immune to the caller.
func (p Parameters) clone() Parameters {
	b, err := json.Marshal(p)
	if err != nil {
		return p
	}
	var q Parameters
	if json.Unmarshal(b, &q) != nil {
		return p
	}
	return q
}

// ParamError reports an invalid parameter table.
type ParamError struct {
	Field   string
	Message string
}

func (e *ParamError) Error() string {
	return "valuation: invalid parameters: " + e.Field + ": " + e.Message
}

// Validate checks the table: every number finite and in range, ratios
// ordered (FLV <= OLV <= 1), condition multipliers non-decreasing, every
// asset type covered.
func (p Parameters) Validate() error {
	bad := func(field, msg string, args ...any) error {
		return &ParamError{Field: field, Message: fmt.Sprintf(msg, args...)}
	}
	frac := func(field string, x float64, lo, hi float64) error {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi {
			return bad(field, "%v not in [%v, %v]", x, lo, hi)
		}
		return nil
	}
	if p.Version == "" {
		return bad("version", "empty")
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	d := p.Depreciation
	if len(d.Curves) == 0 {
		add(bad("depreciation.curves", "empty"))
	}
	for _, k := range sortedKeys(d.Curves) {
		c := d.Curves[k]
		add(frac("depreciation.curves."+k+".d1", c.D1, 0, 0.6))
		add(frac("depreciation.curves."+k+".r", c.R, 0, 0.6))
		add(frac("depreciation.curves."+k+".class_life_years", c.ClassLifeYears, 0, 100))
		add(frac("depreciation.curves."+k+".hours_per_year", c.HoursPerYear, 0, 8784))
	}
	if _, ok := d.Curves[d.DefaultSubtype]; !ok {
		add(bad("depreciation.default_subtype", "%q has no curve", d.DefaultSubtype))
	}
	for _, k := range sortedKeys(d.Aliases) {
		if _, ok := d.Curves[d.Aliases[k]]; !ok {
			add(bad("depreciation.aliases."+k, "%q has no curve", d.Aliases[k]))
		}
	}
	add(frac("depreciation.floor", d.Floor, 0, 1))
	add(frac("depreciation.assumed_age_years", d.AssumedAgeYears, 0, 100))
	v := p.Vehicle
	if len(v.Retention) < 2 || v.Retention[0] != 1 {
		add(bad("vehicle.retention", "needs at least two points starting at 1"))
	}
	for i := 1; i < len(v.Retention); i++ {
		add(frac(fmt.Sprintf("vehicle.retention[%d]", i), v.Retention[i], 0, v.Retention[i-1]))
	}
	add(frac("vehicle.after_rate", v.AfterRate, 0, 0.9))
	add(frac("vehicle.floor", v.Floor, 0, 1))
	add(frac("vehicle.miles_per_year", v.MilesPerYear, 1, 1e6))
	for _, s := range v.CurveSubtypes {
		if _, ok := d.Curves[s]; !ok {
			add(bad("vehicle.curve_subtypes", "%q has no curve", s))
		}
	}
	c := p.Condition
	ladder := []float64{c.Scrap, c.Poor, c.Fair, c.Good, c.VeryGood, c.Excellent, c.New}
	for i, x := range ladder {
		add(frac("condition", x, 0, 3))
		if i > 0 && x < ladder[i-1] {
			add(bad("condition", "multipliers must not decrease from scrap to new"))
		}
	}
	u := p.Usage
	add(frac("usage.low", u.Low, 0.1, u.Average))
	add(frac("usage.average", u.Average, 0.1, u.High))
	add(frac("usage.high", u.High, u.Average, 1.0/0.6))
	add(frac("usage.meter_weight", u.MeterWeight, 0, 1))
	add(frac("usage.meter_min", u.MeterMin, 0, 1))
	add(frac("usage.meter_max", u.MeterMax, 1, 10))
	for _, t := range AssetTypes() {
		pr, ok := p.Premises[t]
		if !ok {
			add(bad("premises."+string(t), "missing"))
		}
		add(frac("premises."+string(t)+".olv", pr.OLV, 0, 1))
		add(frac("premises."+string(t)+".flv", pr.FLV, 0, pr.OLV))
		add(frac("premises."+string(t)+".disposal", pr.Disposal, 0, 1))
		l, ok := p.Lending[t]
		if !ok {
			add(bad("lending."+string(t), "missing"))
		}
		switch l.Premise {
		case PremiseFMV, PremiseOLV, PremiseFLV, PremiseNOLV, PremiseEligible:
		default:
			add(bad("lending."+string(t)+".premise", "unknown %q", l.Premise))
		}
		add(frac("lending."+string(t)+".advance_rate", l.AdvanceRate, 0, 1))
		base, ok := p.Uncertainty.Base[t]
		if !ok || len(base) == 0 {
			add(bad("uncertainty.base."+string(t), "missing"))
		}
		if _, ok := base[AnchorDeclared]; !ok {
			add(bad("uncertainty.base."+string(t), "needs a declared base"))
		}
		for _, s := range sortedKeys(base) {
			add(frac("uncertainty.base."+string(t)+"."+string(s), base[s], 0, 1))
		}
		for i, g := range p.RequiredDocs[t] {
			if len(g) == 0 {
				add(bad(fmt.Sprintf("required_documents.%s[%d]", t, i), "empty group"))
			}
		}
	}
	un := p.Uncertainty
	for name, x := range map[string]float64{
		"missing_document": un.MissingDocument, "condition_from_text": un.ConditionFromText,
		"condition_unknown": un.ConditionUnknown, "age_unknown": un.AgeUnknown,
		"beyond_class_life": un.BeyondClassLife, "stale_appraisal": un.StaleAppraisal,
		"stale_report": un.StaleReport, "few_comparables": un.FewComparables,
		"royalty_undocumented": un.RoyaltyUndocumented, "photo_credit": un.PhotoCredit,
		"inspection_credit": un.InspectionCredit, "refer_loan_cap": un.ReferLoanCap,
		"declared_only_loan_cap": un.DeclaredOnlyLoanCap,
	} {
		add(frac("uncertainty."+name, x, 0, 1))
	}
	add(frac("uncertainty.min", un.Min, 0, un.Max))
	add(frac("uncertainty.max", un.Max, un.Min, 0.99))
	add(frac("uncertainty.auto_fsd", un.AutoFSD, 0, un.ReferFSD))
	add(frac("uncertainty.refer_fsd", un.ReferFSD, un.AutoFSD, 1))
	add(frac("uncertainty.z_auto", un.ZAuto, 0, un.ZBand))
	add(frac("uncertainty.z_band", un.ZBand, un.ZAuto, 5))
	if un.StaleAppraisalDays <= 0 || un.StaleReportDays <= 0 || un.MinComparables < 0 {
		add(bad("uncertainty", "stale days must be positive, min comparables non-negative"))
	}
	if len(p.ConfidenceTiers) == 0 || p.ConfidenceTiers[len(p.ConfidenceTiers)-1].Min != 0 {
		add(bad("confidence_tiers", "must end with a tier at 0"))
	}
	for i := 1; i < len(p.ConfidenceTiers); i++ {
		if p.ConfidenceTiers[i].Min >= p.ConfidenceTiers[i-1].Min {
			add(bad("confidence_tiers", "must be strictly decreasing"))
		}
	}
	add(frac("divergence.sigma_multiple", p.Divergence.SigmaMultiple, 0, 10))
	add(frac("divergence.severe_ratio", p.Divergence.SevereRatio, 1, 100))
	re := p.RealEstate
	if _, ok := re.LTV[re.DefaultCategory]; !ok {
		add(bad("real_estate.default_category", "%q has no LTV", re.DefaultCategory))
	}
	for _, k := range sortedKeys(re.LTV) {
		add(frac("real_estate.ltv."+k, re.LTV[k], 0, 1))
	}
	add(frac("real_estate.market_trend", re.MarketTrend, -0.5, 0.5))
	r := p.Receivables
	losses := []float64{r.LossCurrent, r.LossDays30, r.LossDays60, r.LossDays90, r.LossOver90}
	for i, x := range losses {
		add(frac("receivables.loss", x, 0, 1))
		if i > 0 && x < losses[i-1] {
			add(bad("receivables.loss", "loss rates must not fall with age"))
		}
	}
	add(frac("receivables.cross_age", r.CrossAge, 0, 1))
	add(frac("receivables.concentration", r.Concentration, 0.01, 1))
	in := p.Inventory
	for _, turn := range turnClasses() {
		f, ok1 := in.FMVByTurn[turn]
		rec, ok2 := in.Recovery[turn]
		if !ok1 || !ok2 {
			add(bad("inventory", "turn %q needs fmv_by_turn and recovery", turn))
		}
		add(frac("inventory.fmv_by_turn."+turn, f, 0, 1))
		add(frac("inventory.recovery."+turn, rec, 0, f))
	}
	for i := 1; i < len(turnClasses()); i++ {
		if t, prev := turnClasses()[i], turnClasses()[i-1]; in.FMVByTurn[t] > in.FMVByTurn[prev] || in.Recovery[t] > in.Recovery[prev] {
			add(bad("inventory", "slower turns must not be worth more"))
		}
	}
	for _, k := range sortedKeys(in.CategoryFactor) {
		add(frac("inventory.category_factor."+k, in.CategoryFactor[k], 0, 1))
	}
	add(frac("inventory.flv_of_olv", in.FLVOfOLV, 0, 1))
	add(frac("inventory.cost_advance", in.CostAdvance, 0, 1))
	ip := p.IP
	add(frac("intellectual_property.tax_rate", ip.TaxRate, 0, 1))
	add(frac("intellectual_property.discount_rate", ip.DiscountRate, 0.001, 1))
	add(frac("intellectual_property.max_life_years", ip.MaxLifeYears, 0, 100))
	add(frac("intellectual_property.default_life_years", ip.DefaultLifeYears, 0, ip.MaxLifeYears))
	for _, k := range sortedKeys(p.Commodity.Prices) {
		m := p.Commodity.Prices[k]
		if m.Currency == "" || m.Avg30.Sign() <= 0 || m.PrevClose.Sign() <= 0 {
			add(bad("commodity.prices."+k, "needs a currency and positive prices"))
		}
		if _, err := parseDate(m.AsOf); err != nil {
			add(bad("commodity.prices."+k+".as_of", "not YYYY-MM-DD"))
		}
		add(frac("commodity.prices."+k+".advance_rate", m.AdvanceRate, 0, 1))
	}
	if p.Commodity.StaleDays <= 0 {
		add(bad("commodity.stale_days", "must be positive"))
	}
	add(frac("art.auction_spread", p.Art.AuctionSpread, 1, 100))
	g := p.RiskGrades
	if !(g.A >= g.B && g.B >= g.C && g.C >= g.D && g.D >= 0 && g.A <= 100) {
		add(bad("risk_grades", "cut-offs must satisfy 100 >= A >= B >= C >= D >= 0"))
	}
	add(frac("external.clamp_q", p.External.ClampQ, 0, 5))
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
		return errs[0]
	}
	return nil
}

// AssetTypes lists the asset types the model values, in a fixed order.
func AssetTypes() []AssetType {
	return []AssetType{Equipment, Vehicle, RealEstate, Inventory, Receivables, IntellectualProperty, Commodity, Art}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
