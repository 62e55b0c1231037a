package ethchain

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/ethereum/go-ethereum"
)

// RevertError is a transaction or call that the AssetToken contract
// refused. It matches tokenize.ErrReverted with errors.Is, and also
// tokenize.ErrTokenExists when a mint found its token number taken:
// ERC721InvalidSender, or TokenLocked (only an existing token can be
// locked, and the lock check comes first).
type RevertError struct {
	Method string // the contract method: "mint", "lock", "deploy", ...
	TxHash string // the mined transaction, "" when gas estimation refused it
	// Name is the contract's custom error ("TokenLocked",
	// "AccessControlUnauthorizedAccount", ...), "" when the node gave no
	// reason the ABI knows.
	Name string
	// Reason is the decoded custom error, one of the contracts.AssetToken*
	// error types such as *contracts.AssetTokenNotLocked, or nil.
	Reason any
}

func (e *RevertError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ethchain: %s reverted", e.Method)
	if e.Name != "" {
		fmt.Fprintf(&b, ": %s%s", e.Name, fields(e.Reason))
	} else {
		b.WriteString(" (no reason given)")
	}
	if e.TxHash != "" {
		fmt.Fprintf(&b, " in transaction %s", e.TxHash)
	}
	return b.String()
}

// Is reports whether target is tokenize.ErrReverted, or
// tokenize.ErrTokenExists for a mint of a taken token number.
func (e *RevertError) Is(target error) bool {
	switch target {
	case tokenize.ErrReverted:
		return true
	case tokenize.ErrTokenExists:
		switch e.Reason.(type) {
		case *contracts.AssetTokenERC721InvalidSender, *contracts.AssetTokenTokenLocked:
			return e.Method == "mint"
		}
	}
	return false
}

// revertError decodes err, from gas estimation or eth_call, into a
// *RevertError; ok is false when err carries no revert data.
func revertError(token *contracts.AssetToken, method, txHash string, err error) (*RevertError, bool) {
	reason, ok := token.DecodeRevert(err)
	if !ok {
		return nil, false
	}
	return &RevertError{Method: method, TxHash: txHash, Name: errorName(reason), Reason: reason}, true
}

// errorName turns *contracts.AssetTokenTokenLocked into "TokenLocked".
func errorName(reason any) string {
	t := reflect.TypeOf(reason)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.TrimPrefix(t.Name(), "AssetToken")
}

// fields formats a decoded custom error's arguments: "(tokenId=7)".
func fields(reason any) string {
	v := reflect.ValueOf(reason)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	parts := make([]string, 0, v.NumField())
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		val := v.Field(i).Interface()
		if b, ok := val.([32]byte); ok {
			val = fmt.Sprintf("0x%x", b)
		}
		parts = append(parts, fmt.Sprintf("%s=%v", lowerFirst(f.Name), val))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// notYet reports whether a receipt lookup error means "not mined or not
// indexed yet" rather than a failure.
func notYet(err error) bool {
	if errors.Is(err, ethereum.NotFound) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "indexing in progress") || strings.Contains(msg, "transaction indexing")
}
