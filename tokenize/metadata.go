package tokenize

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sort"
)

// Metadata is what a token commits to: the asset, its latest valuation and
// the hashes of its documents. Its canonical JSON is the token's metadata
// document, and that JSON's SHA-256 goes on chain, so anyone holding the
// document can check it against the token.
type Metadata struct {
	AssetID     string   `json:"asset_id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Description string   `json:"description"`
	Currency    string   `json:"currency"`
	ValuationID string   `json:"valuation_id"`
	Value       string   `json:"value"`      // decimal string, 2 places
	MaxLoan     string   `json:"max_loan"`   // decimal string, 2 places
	RiskGrade   string   `json:"risk_grade"` // A..E
	ValuedAt    string   `json:"valued_at"`  // RFC 3339 UTC
	Documents   []string `json:"documents"`  // hex SHA-256 of each attached document
}

// Canonical returns the canonical JSON of m: fields in the declared order,
// documents sorted, no insignificant white space, no HTML escaping.
func (m Metadata) Canonical() []byte {
	docs := append([]string{}, m.Documents...)
	sort.Strings(docs)
	m.Documents = docs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(m) // only strings: encoding cannot fail
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Hash is the SHA-256 of the canonical JSON.
func (m Metadata) Hash() [32]byte { return sha256.Sum256(m.Canonical()) }
