// Package valuation values collateral: deterministically, explainably and
// offline. It is pure: no I/O, no wall clock, no package-level mutable
// state. A valuation is a function of its Input (which carries the
// valuation date AsOf) and of a versioned Parameters table, whose SHA-256
// every Report records.
//
//	m, err := valuation.NewDeterministic(valuation.DefaultParameters())
//	r, err := m.Value(ctx, in) // *Report, or an *InputError
//	if r.Blocking() || r.Confidence < 75 { /* refer to a person */ }
//
// # Pipeline
//
// Every asset type runs the same pipeline (research report §1):
//
//  1. Normalize: documents are put in a canonical order (shuffling them
//     changes nothing); documents dated after AsOf are set aside.
//  2. Extract features from the name, description and document text:
//     year, condition (lexicon with a 3-token negation window;
//     "refurbished" is at least good), hours, mileage, royalty rate.
//     Documents win over attributes, attributes over free text; where a
//     feature repeats the conservative reading wins.
//  3. Anchor on the best evidence: appraisal > invoice > comparables >
//     declared value (see each type for its variant), recorded in
//     Report.Anchor.
//  4. Apply the type's method as Factors, each with its multiplier, log
//     contribution and money contribution: Anchor.Amount + Σ Contribution
//     = Value exactly, and Σ LogContribution ≈ ln(Value/Anchor).
//  5. Premises: FMV (the Value), OLV, FLV, NOLV.
//  6. Uncertainty: FSD = base(type, anchor) + penalties − credits
//     (Report.FSDTerms), Low/High = Value × (1 ∓ FSD), Confidence =
//     round(100(1 − FSD)), MISMO tier.
//  7. Lending: LendingValue = premise × (1 − z·FSD); MaxLoan = AdvanceRate ×
//     LendingValue, capped for declared-only anchors and referrals, less
//     senior liens.
//  8. Flags and the risk grade.
//
// Methods by type: equipment and vehicles, cost depreciation on the class
// curve (or the Edmunds retention table) with usage, meter and condition
// factors, floored; real estate, appraisal else income capitalization
// (NOI / cap rate) else comparables; receivables, the aging report's
// collectible value and eligible base; inventory, the stock report at
// cost with recovery by turn class; intellectual property, relief from
// royalty; commodities, fine metal content at the price snapshot; art, an
// appraisal or auction estimate.
//
// # Attributes
//
// Input.Attributes keys the model reads (others are ignored; unreadable
// values raise INVALID_ATTRIBUTE and are ignored):
//
//	year                  year of manufacture (else from text)
//	condition             new, excellent, very_good, good, fair, poor, scrap (or N/E/VG/G/F/P/X)
//	usage                 low, average, high: scales the depreciation rate (ignored when a meter reading is known)
//	hours                 equipment meter hours
//	mileage               vehicle odometer, miles
//	subtype               equipment curve: cnc, machine_tool, excavator, forklift, truck, trailer,
//	                      agriculture, furniture, computer, fabrication, general;
//	                      vehicles: truck and trailer use the equipment curve
//	serial, vin           compared with the documents' (SERIAL_MISMATCH, VIN_MISMATCH, INVALID_VIN)
//	comparables           prices of comparable sales, comma-separated (money)
//	noi, cap_rate         real estate income approach (cap rate as 0.075 or 7.5%)
//	re_category           raw_land, land_development, construction_commercial,
//	                      construction_residential, improved, owner_occupied (LTV cap)
//	senior_liens          money subtracted from the max loan
//	dilution              receivables dilution, lowers the advance rate
//	annual_revenue        IP revenue (money)
//	royalty_rate          IP royalty from metadata: values the IP but lends nothing
//	remaining_life_years  IP remaining life
//	discount_rate         IP discount rate
//	metal                 gold, silver, platinum, palladium (else from the name)
//	weight_oz, weight_g   metal weight, troy ounces or grams
//	purity                0.9999, 999.9 (per mille) or 22k
//	auction_low, auction_high  art auction estimate (money)
//
// Money attributes must not be negative.
//
// # Flags
//
// Codes are stable (see the Flag* constants). Blocking ones keep an asset
// from automatic verification:
//
//	DECLARED_VALUE_DIVERGENCE  |ln(declared/value)| > 2·FSD: info below the model, warning above,
//	                           high and blocking when declared > 2 × value
//	DECLARED_ONLY              the value rests on the business's estimate (warning)
//	MISSING_DOCUMENTS          blocking; also an FSD penalty per missing requirement
//	DUPLICATE_SERIAL, DUPLICATE_VIN, DOCUMENT_REUSED   from Input.Conflicts; blocking
//	INVALID_VIN                check digit fails (vehicles); blocking
//	VIN_MISMATCH               blocking; SERIAL_MISMATCH, YEAR_MISMATCH, CONDITION_CONFLICT warn
//	STALE_APPRAISAL, STALE_REPORT, STALE_PRICE, PRICE_UNAVAILABLE, BEYOND_CLASS_LIFE,
//	FUTURE_DATED_DOCUMENT, CURRENCY_MISMATCH, ROYALTY_UNDOCUMENTED, INELIGIBLE_COLLATERAL,
//	CONCENTRATION_EXCESS, INVALID_ATTRIBUTE, REFER_FOR_APPRAISAL
//
// The risk grade starts from confidence (A >= 85, B >= 75, C >= 65,
// D >= 50, else E); a blocking flag caps it at D, a blocking flag of high
// severity at E, and any warning costs one step.
//
// # Parameters
//
// Every number lives in Parameters, each documented with its source tag
// ([S] sourced, [D] derived, [P] placeholder). To replace them, start from
// DefaultParameters, change fields (or unmarshal a JSON table), set a new
// Version and pass the table to NewDeterministic, which validates and
// copies it. RequiredDocuments gives the verification policy per type.
//
// # External models
//
// Bounded wraps the deterministic model with an outside (for example AI)
// Model: the external estimate can widen the range and add flags but never
// move the value or raise the lending value or max loan; on error, timeout
// or invalid output the deterministic report stands, with
// Model.FallbackUsed and a Note.
package valuation
