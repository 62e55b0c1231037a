package httpapi

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// valuationJSON is a valuation report on the wire.
type valuationJSON struct {
	ID             string        `json:"id"`
	Object         string        `json:"object"`
	AssetID        string        `json:"asset_id"`
	Value          money         `json:"value"`
	Low            money         `json:"low"`
	High           money         `json:"high"`
	Currency       string        `json:"currency"`
	Confidence     int           `json:"confidence"`
	ConfidenceTier string        `json:"confidence_tier"`
	FSD            ratio         `json:"fsd"`
	Premises       premisesJSON  `json:"premises"`
	LendingValue   money         `json:"lending_value"`
	AdvanceRate    ratio         `json:"advance_rate"`
	MaxLoan        money         `json:"max_loan"`
	RiskGrade      string        `json:"risk_grade"`
	Method         string        `json:"method"`
	Anchor         anchorJSON    `json:"anchor"`
	Factors        []factorJSON  `json:"factors"`
	Flags          []flagJSON    `json:"flags"`
	Model          modelInfoJSON `json:"model"`
	AsOf           timestamp     `json:"as_of"`
	CreatedAt      timestamp     `json:"created_at"`
}

type premisesJSON struct {
	FMV  money `json:"fmv"`
	OLV  money `json:"olv"`
	FLV  money `json:"flv"`
	NOLV money `json:"nolv"`
}

type anchorJSON struct {
	Source     string  `json:"source"`
	Amount     money   `json:"amount"`
	Date       *string `json:"date"`
	DocumentID *string `json:"document_id"`
}

type factorJSON struct {
	ID              string            `json:"id"`
	Label           string            `json:"label"`
	Inputs          map[string]string `json:"inputs"`
	Evidence        string            `json:"evidence,omitempty"`
	Multiplier      ratio             `json:"multiplier"`
	LogContribution ratio             `json:"log_contribution"`
	Contribution    money             `json:"contribution"`
}

type flagJSON struct {
	Code     string            `json:"code"`
	Severity string            `json:"severity"`
	Blocking bool              `json:"blocking"`
	Message  string            `json:"message"`
	Evidence map[string]string `json:"evidence"`
}

type modelInfoJSON struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	ParamsSHA256 string `json:"params_sha256"`
	FallbackUsed bool   `json:"fallback_used"`
	External     string `json:"external,omitempty"`
	Note         string `json:"note,omitempty"`
}

// ratio is a fraction on the wire, as a JSON number with up to six
// decimals (0.2 for 20 %).
type ratio float64

func (r ratio) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(r), 'f', -1, 64)), nil
}

func toValuation(v *assetmint.Valuation) valuationJSON {
	r := v.Report
	out := valuationJSON{
		ID: v.ID, Object: "valuation", AssetID: v.AssetID,
		Value: money(r.Value), Low: money(r.Low), High: money(r.High), Currency: r.Currency,
		Confidence: r.Confidence, ConfidenceTier: r.ConfidenceTier, FSD: round6(r.FSD),
		Premises:     premisesJSON{FMV: money(r.Premises.FMV), OLV: money(r.Premises.OLV), FLV: money(r.Premises.FLV), NOLV: money(r.Premises.NOLV)},
		LendingValue: money(r.LendingValue), AdvanceRate: ratio(r.AdvanceRate.InexactFloat64()), MaxLoan: money(r.MaxLoan),
		RiskGrade: r.RiskGrade, Method: r.Method,
		Anchor: anchorJSON{Source: string(r.Anchor.Source), Amount: money(r.Anchor.Amount)},
		Model: modelInfoJSON{Name: r.Model.Name, Version: r.Model.Version, ParamsSHA256: r.Model.ParamsSHA256,
			FallbackUsed: r.Model.FallbackUsed, External: r.Model.External, Note: r.Model.Note},
		AsOf: timestamp(r.AsOf), CreatedAt: timestamp(v.CreatedAt),
		Factors: []factorJSON{}, Flags: []flagJSON{},
	}
	if !r.Anchor.Date.IsZero() {
		d := r.Anchor.Date.UTC().Format("2006-01-02")
		out.Anchor.Date = &d
	}
	out.Anchor.DocumentID = optString(r.Anchor.DocumentID)
	for _, f := range r.Factors {
		out.Factors = append(out.Factors, factorJSON{ID: f.ID, Label: f.Label, Inputs: nonNil(f.Inputs), Evidence: f.Evidence,
			Multiplier: round6(f.Multiplier), LogContribution: round6(f.LogContribution), Contribution: money(f.Contribution)})
	}
	flags := append([]valuation.Flag(nil), r.Flags...)
	sort.SliceStable(flags, func(i, j int) bool { return flags[i].Code < flags[j].Code })
	for _, f := range flags {
		out.Flags = append(out.Flags, flagJSON{Code: f.Code, Severity: string(f.Severity), Blocking: f.Blocking, Message: f.Message, Evidence: nonNil(f.Evidence)})
	}
	return out
}

func round6(f float64) ratio {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 6, 64), 64)
	return ratio(v)
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// getValuation is GET /v1/valuations/{asset_id}: the latest report, or
// with ?history=true every report, newest first, paginated.
func (h *handler) getValuation(w http.ResponseWriter, r *http.Request) {
	assetID := r.PathValue("asset_id")
	q := r.URL.Query()
	history, err := takeQuery(q, "history")
	if err != nil {
		writeError(w, r, err)
		return
	}
	switch history {
	case "", "false":
		if len(q) > 0 {
			writeError(w, r, assetmint.FieldError(firstKey(q), "Unknown query parameter %q; list parameters need history=true", firstKey(q)))
			return
		}
		v, err := h.engine.LatestValuation(r.Context(), principal(r).BusinessID, assetID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeData(w, r, http.StatusOK, toValuation(v))
	case "true":
		serveList(w, r, q, func(p assetmint.ListParams) (assetmint.Page[*assetmint.Valuation], error) {
			return h.engine.Valuations(r.Context(), principal(r).BusinessID, assetID, p)
		}, toValuation)
	default:
		writeError(w, r, assetmint.FieldError("history", "history must be true or false"))
	}
}

func firstKey(q map[string][]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}
