package httpapi

import (
	"errors"
	"net/http"

	"github.com/assetmint/assetmint"
)

// statusOf is the one table from the engine's error codes to HTTP statuses
// and envelope error types.
var statusOf = map[string]struct {
	status int
	typ    string
}{
	assetmint.EINVALID:      {http.StatusBadRequest, "invalid_request_error"},
	assetmint.ENOTFOUND:     {http.StatusNotFound, "not_found_error"},
	assetmint.ECONFLICT:     {http.StatusConflict, "conflict_error"},
	assetmint.EUNAUTHORIZED: {http.StatusUnauthorized, "authentication_error"},
	assetmint.EFORBIDDEN:    {http.StatusForbidden, "permission_error"},
	assetmint.ERATELIMITED:  {http.StatusTooManyRequests, "rate_limit_error"},
	assetmint.EINTERNAL:     {http.StatusInternalServerError, "api_error"},
}

// apiError is an error the HTTP layer itself raises, for conditions the
// engine does not know (bodies too large, idempotency keys, rate limits).
// It carries its own status, type and fine-grained code.
type apiError struct {
	status  int
	typ     string
	code    string
	message string
	param   string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// errorBody is the envelope's "error" object.
type errorBody struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
}

// describe turns any error into its status and envelope error.
func describe(err error) (int, errorBody) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.status, errorBody{Type: ae.typ, Code: ae.code, Message: ae.message, Param: ae.param}
	}
	switch {
	case errors.Is(err, assetmint.ErrIdempotencyKeyReused):
		return http.StatusUnprocessableEntity, errorBody{Type: "idempotency_error", Code: "idempotency_key_reused", Message: assetmint.ErrorMessage(err)}
	case errors.Is(err, assetmint.ErrIdempotencyKeyInUse):
		return http.StatusConflict, errorBody{Type: "idempotency_error", Code: "idempotency_key_in_use", Message: assetmint.ErrorMessage(err)}
	}
	code := assetmint.ErrorCode(err)
	s, ok := statusOf[code]
	if !ok {
		code, s = assetmint.EINTERNAL, statusOf[assetmint.EINTERNAL]
	}
	return s.status, errorBody{Type: s.typ, Code: code, Message: assetmint.ErrorMessage(err), Param: assetmint.ErrorParam(err)}
}
