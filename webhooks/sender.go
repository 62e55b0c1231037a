package webhooks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"
)

// Message is one attempt to deliver one event to one endpoint.
type Message struct {
	URL       string
	EventID   string
	EventType string
	Body      []byte    // the event's JSON, signed as is
	Secrets   []string  // the endpoint's signing secrets, current first
	Now       time.Time // the signing time (webhook-timestamp)
}

// Answer is what the receiver answered.
type Answer struct {
	Status int
	// RetryAfter is the receiver's Retry-After, zero when it sent none.
	RetryAfter time.Duration
}

// Sender signs and POSTs deliveries with an HTTP client (by default the
// SSRF-guarded one of NewClient). It is safe for concurrent use.
type Sender struct {
	Client *http.Client
}

// NewSender returns a Sender over NewClient(cfg).
func NewSender(cfg ClientConfig) *Sender { return &Sender{Client: NewClient(cfg)} }

// Send makes one attempt: it signs m.Body (Sign's headers), POSTs it to
// m.URL and reports the status and Retry-After. The response body is
// drained (up to 64 KiB) and ignored. An error means no answer came: the
// connection failed, was refused (a *BlockedAddressError), or timed out;
// its text is fit to show the endpoint's owner.
func (s *Sender) Send(ctx context.Context, m Message) (Answer, error) {
	headers, err := Sign(m.EventID, m.EventType, m.Body, m.Secrets, m.Now)
	if err != nil {
		return Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Body))
	if err != nil {
		return Answer{}, err
	}
	req.Header = headers
	req.Header.Set("User-Agent", "AssetMint-Webhooks/1")
	res, err := s.Client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	ra, _ := RetryAfter(res.Header, m.Now)
	return Answer{Status: res.StatusCode, RetryAfter: ra}, nil
}
