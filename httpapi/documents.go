package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// maxUploadBody bounds a document upload's whole multipart body: the file
// limit plus room for the form fields and part headers.
const maxUploadBody = assetmint.MaxDocumentSize + 64<<10

// documentJSON is a document record on the wire.
type documentJSON struct {
	ID          string     `json:"id"`
	Object      string     `json:"object"`
	AssetID     string     `json:"asset_id"`
	Kind        string     `json:"kind"`
	Filename    string     `json:"filename"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	Amount      *money     `json:"amount"`
	Currency    *string    `json:"currency"`
	Date        *string    `json:"date"`
	Serial      *string    `json:"serial"`
	VIN         *string    `json:"vin"`
	Issuer      *string    `json:"issuer"`
	CreatedAt   timestamp  `json:"created_at"`
	DetachedAt  *timestamp `json:"detached_at,omitempty"`
}

func toDocument(d *assetmint.Document) documentJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := documentJSON{
		ID: d.ID, Object: "document", AssetID: d.AssetID, Kind: string(d.Kind), Filename: d.Filename,
		ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, Currency: opt(d.Currency),
		Serial: opt(d.Serial), VIN: opt(d.VIN), Issuer: opt(d.Issuer), CreatedAt: timestamp(d.CreatedAt),
		DetachedAt: optTimestamp(d.DetachedAt),
	}
	if d.Amount.Valid {
		m := money(d.Amount.Decimal)
		out.Amount = &m
	}
	if !d.Date.IsZero() {
		out.Date = opt(d.Date.UTC().Format("2006-01-02"))
	}
	return out
}

// uploadBody reads a multipart upload body whole, within maxUploadBody, so
// that the idempotency layer can fingerprint it like a JSON body.
func uploadBody(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxUploadBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, &apiError{http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large",
				fmt.Sprintf("A document must be at most %d bytes", assetmint.MaxDocumentSize), "file"})
			return
		}
		if err != nil {
			writeError(w, r, assetmint.Errorf(assetmint.EINVALID, "The request body could not be read"))
			return
		}
		st := stateOf(r.Context())
		st.body, st.bodyRead = body, true
		next(w, r)
	}
}

// uploadDocument is POST /v1/documents/upload: multipart/form-data with
// asset_id, kind and file, and optional declared facts amount, currency,
// date (YYYY-MM-DD), serial, vin, issuer.
func (h *handler) uploadDocument(w http.ResponseWriter, r *http.Request) {
	in, err := readUpload(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.Document, error) {
		return h.engine.UploadDocument(ctx, principal(r).BusinessID, in)
	}, func(d *assetmint.Document) any { return toDocument(d) })
}

// readUpload decodes the multipart form. Every field may appear once;
// unknown fields are refused by name.
func readUpload(r *http.Request) (assetmint.NewDocument, error) {
	var in assetmint.NewDocument
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return in, &apiError{http.StatusUnsupportedMediaType, "invalid_request_error", "unsupported_media_type",
			"Upload documents as multipart/form-data (curl -F)", ""}
	}
	body, err := bodyOf(r)
	if err != nil {
		return in, err
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	seen := map[string]bool{}
	text := map[string]string{}
	var file []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, assetmint.Errorf(assetmint.EINVALID, "The multipart body is malformed")
		}
		name := part.FormName()
		if seen[name] {
			return in, assetmint.FieldError(name, "%s appears more than once", name)
		}
		seen[name] = true
		switch name {
		case "file":
			in.Filename = part.FileName()
			if file, err = io.ReadAll(part); err != nil {
				return in, assetmint.Errorf(assetmint.EINVALID, "The multipart body is malformed")
			}
			if len(file) > assetmint.MaxDocumentSize {
				return in, &apiError{http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large",
					fmt.Sprintf("A document must be at most %d bytes", assetmint.MaxDocumentSize), "file"}
			}
			in.Content = bytes.NewReader(file)
		case "asset_id", "kind", "amount", "currency", "date", "serial", "vin", "issuer":
			v, err := io.ReadAll(io.LimitReader(part, 1<<10+1))
			if err != nil {
				return in, assetmint.Errorf(assetmint.EINVALID, "The multipart body is malformed")
			}
			if len(v) > 1<<10 {
				return in, assetmint.FieldError(name, "%s must be at most 1024 bytes", name)
			}
			text[name] = string(v)
		case "":
			return in, assetmint.Errorf(assetmint.EINVALID, "Every multipart part needs a form field name")
		default:
			if serverSet[name] {
				return in, assetmint.FieldError(name, "%s is set by the server and cannot be written", name)
			}
			return in, assetmint.FieldError(name, "Unknown field %q", name)
		}
	}
	in.AssetID, in.Kind = text["asset_id"], assetmint.DocumentKind(text["kind"])
	in.Currency, in.Serial, in.VIN, in.Issuer = text["currency"], text["serial"], text["vin"], text["issuer"]
	if s, ok := text["amount"]; ok && s != "" {
		d, err := decimal.NewFromString(s)
		if err != nil {
			return in, assetmint.FieldError("amount", "amount must be a number")
		}
		in.Amount = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	if s, ok := text["date"]; ok && s != "" {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return in, assetmint.FieldError("date", "date must be a calendar date, YYYY-MM-DD")
		}
		in.Date = &d
	}
	return in, nil
}

// getDocument is GET /v1/documents/{id}: a document's record, as its upload
// answered it; a detached one too, with its detached_at.
func (h *handler) getDocument(w http.ResponseWriter, r *http.Request) {
	d, err := h.engine.Document(r.Context(), principal(r).BusinessID, r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, toDocument(d))
}

// getDocumentContent is GET /v1/documents/{id}/content: a document's bytes,
// attached or detached, as a download. The type is the one sniffed at
// upload, never sniffed again by the browser (nosniff), and the bytes come
// as an attachment under the uploaded file's name, so a document is never
// rendered in the API's origin. Errors answer in the JSON envelope: nothing
// is written before the document is open.
func (h *handler) getDocumentContent(w http.ResponseWriter, r *http.Request) {
	d, content, err := h.engine.OpenDocument(r.Context(), principal(r).BusinessID, r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer content.Close()
	hd := w.Header()
	hd.Set("Content-Type", d.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	hd.Set("Content-Disposition", attachment(d))
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.CopyN(w, content, d.Size); err != nil {
		// The status is sent: all that is left is to cut the answer short
		// (the client sees fewer bytes than Content-Length) and say why.
		h.cfg.Logger.ErrorContext(r.Context(), "document content cut short", "request_id", requestID(r.Context()),
			"document_id", d.ID, "err", err)
	}
}

// attachment is the Content-Disposition of a document's download: its
// uploaded file name, quoted or encoded (RFC 2231) as its characters need,
// or, when the upload named no file, the document's id with the extension
// of its type.
func attachment(d *assetmint.Document) string {
	name := d.Filename
	if name == "" {
		name = d.ID + extension(d.ContentType)
	}
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// extension is the file extension of a type a document may have.
func extension(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "text/csv":
		return ".csv"
	case "text/plain":
		return ".txt"
	}
	return ""
}
