package assetmint

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// AssetType is the kind of real-world asset.
type AssetType string

const (
	AssetEquipment            AssetType = "equipment"
	AssetVehicle              AssetType = "vehicle"
	AssetRealEstate           AssetType = "real_estate"
	AssetInventory            AssetType = "inventory"
	AssetReceivables          AssetType = "receivables"
	AssetIntellectualProperty AssetType = "intellectual_property"
	AssetCommodity            AssetType = "commodity"
	AssetArt                  AssetType = "art"
)

// AssetTypes lists every valid AssetType.
var AssetTypes = []AssetType{AssetEquipment, AssetVehicle, AssetRealEstate, AssetInventory,
	AssetReceivables, AssetIntellectualProperty, AssetCommodity, AssetArt}

// Valid reports whether t is one of AssetTypes.
func (t AssetType) Valid() bool {
	for _, v := range AssetTypes {
		if t == v {
			return true
		}
	}
	return false
}

// AssetStatus is where an asset is in its lifecycle:
// pending_valuation -> valued -> verified -> tokenized -> pledged ->
// (tokenized | liquidated); also rejected.
type AssetStatus string

const (
	AssetPendingValuation AssetStatus = "pending_valuation"
	AssetValued           AssetStatus = "valued"
	AssetVerified         AssetStatus = "verified"
	AssetTokenized        AssetStatus = "tokenized"
	AssetPledged          AssetStatus = "pledged"
	AssetLiquidated       AssetStatus = "liquidated"
	AssetRejected         AssetStatus = "rejected"
)

// onChain reports whether the asset has a token.
func (s AssetStatus) onChain() bool {
	return s == AssetTokenized || s == AssetPledged || s == AssetLiquidated
}

// frozen reports whether the facts the asset's valuation rests on can no
// longer change: once it is on chain, or once an operator rejected it (an
// operator's rejection sticks; the business submits a new asset instead).
func (s AssetStatus) frozen() bool { return s.onChain() || s == AssetRejected }

// Asset is a real-world asset a business submitted.
type Asset struct {
	ID             string
	BusinessID     string
	Name           string
	Type           AssetType
	Description    string
	EstimatedValue decimal.Decimal // the business's declared value
	Currency       string          // ISO 4217, upper case
	// Metadata is the business's own key-value data, opaque to AssetMint.
	// Numbers are json.Number so they round-trip exactly.
	Metadata map[string]any
	Status   AssetStatus
	// Revision counts the changes to what the asset's valuation reads; a
	// valuation job values one revision and leaves the status alone when a
	// later one overtook it.
	Revision  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewAsset is the input of SubmitAsset.
type NewAsset struct {
	Name           string
	Type           AssetType
	Description    string
	EstimatedValue decimal.Decimal
	Currency       string // empty means USD
	Metadata       map[string]any
}

// AssetUpdate changes an asset; nil fields stay as they are. Metadata is
// merged: a key set to nil is removed.
type AssetUpdate struct {
	Name           *string
	Description    *string
	EstimatedValue *decimal.Decimal
	Metadata       map[string]any
	// DetachDocuments are ids of the asset's documents that no longer
	// count as its evidence.
	DetachDocuments []string
}

// Limits on asset input, so one record cannot grow without bound.
const (
	maxDescriptionLen = 5000
	maxMetadataKeys   = 50
	maxMetadataKeyLen = 40
	maxMetadataBytes  = 16 << 10
)

// maxMoney is the largest amount AssetMint accepts: 1,000,000,000,000.00.
// Every amount up to it, to the cent, survives a trip through a JSON
// number read as a binary double (15 significant digits), and every store
// and the chain hold it exactly.
var maxMoney = decimal.New(1, 12)

// ValidateMoney checks an amount is positive, has at most two decimal places
// (AssetMint is exact to the cent and never rounds input silently) and is
// at most 1,000,000,000,000.00.
func ValidateMoney(param string, d decimal.Decimal) error {
	if d.Sign() <= 0 {
		return FieldError(param, "%s must be greater than 0", param)
	}
	if !d.Equal(d.Truncate(2)) {
		return FieldError(param, "%s must have at most 2 decimal places", param)
	}
	if d.Cmp(maxMoney) > 0 {
		return FieldError(param, "%s must be at most 1000000000000.00", param)
	}
	return nil
}

// The range of dates AssetMint accepts as input: a year before or after it
// is a typing mistake (or Go's zero time), never a real document or payment.
var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive: the end of 2200-12-31
)

// ValidateDate checks a date or time given as input lies between
// 1900-01-01 and 2200-12-31 inclusive, in UTC.
func ValidateDate(param string, t time.Time) error {
	if t.Before(minDate) || !t.Before(maxDate) {
		return FieldError(param, "%s must be between 1900-01-01 and 2200-12-31", param)
	}
	return nil
}

// validateText refuses what no text input may hold: invalid UTF-8 and the
// control characters U+0000 to U+001F and U+007F. Long free text
// (freeText: descriptions, purposes, reasons) may hold tab and newline.
// what names the field in the message.
func validateText(param, what, s string, freeText bool) error {
	if !utf8.ValidString(s) {
		return FieldError(param, "%s must be valid UTF-8", what)
	}
	for _, r := range s {
		if r == 0x7f || r < 0x20 && !(freeText && (r == '\t' || r == '\n')) {
			if freeText {
				return FieldError(param, "%s must not contain control characters other than tab and newline", what)
			}
			return FieldError(param, "%s must not contain control characters", what)
		}
	}
	return nil
}

func validateCurrency(c string) (string, error) {
	if c == "" {
		return "USD", nil
	}
	if len(c) != 3 || strings.ToUpper(c) != c || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", FieldError("currency", "currency must be a three-letter upper-case ISO 4217 code")
	}
	return c, nil
}

func validateDescription(d string) (string, error) {
	if err := validateText("description", "description", d, true); err != nil {
		return "", err
	}
	if len(d) > maxDescriptionLen {
		return "", FieldError("description", "description must be at most %d bytes", maxDescriptionLen)
	}
	return d, nil
}

func validateMetadata(m map[string]any) error {
	if len(m) > maxMetadataKeys {
		return FieldError("metadata", "metadata can have at most %d keys", maxMetadataKeys)
	}
	for k := range m {
		if k == "" || len(k) > maxMetadataKeyLen {
			return FieldError("metadata", "metadata keys must be 1 to %d bytes", maxMetadataKeyLen)
		}
		if err := validateText("metadata", "metadata keys", k, false); err != nil {
			return err
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return FieldError("metadata", "metadata must be a JSON object")
	}
	if len(b) > maxMetadataBytes {
		return FieldError("metadata", "metadata must be at most %d bytes as JSON", maxMetadataBytes)
	}
	return nil
}

func (in NewAsset) validate() (NewAsset, error) {
	var err error
	if in.Name, err = validateName("name", in.Name); err != nil {
		return in, err
	}
	if in.Type == "" {
		return in, FieldError("type", "type is required")
	}
	if !in.Type.Valid() {
		return in, FieldError("type", "type must be one of equipment, vehicle, real_estate, inventory, receivables, intellectual_property, commodity, art")
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return in, err
	}
	if err := ValidateMoney("estimated_value", in.EstimatedValue); err != nil {
		return in, err
	}
	if in.Currency, err = validateCurrency(in.Currency); err != nil {
		return in, err
	}
	if in.Metadata == nil {
		in.Metadata = map[string]any{}
	}
	return in, validateMetadata(in.Metadata)
}
