package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assetmint/assetmint/auth"
)

func ExampleNewSecret() {
	// In production pass crypto/rand.Reader; a fixed reader makes the output reproducible.
	secret, err := auth.NewSecret(bytes.NewReader(bytes.Repeat([]byte{0x5a}, 32)))
	if err != nil {
		panic(err)
	}
	stored := auth.HashSecret(secret) // keep only this
	fmt.Println(secret)
	fmt.Println(stored)
	fmt.Println(auth.SecretMatches(stored, secret), auth.SecretMatches(stored, "sk_guess"))
	// Output:
	// sk_WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo
	// fde1019fcc4a6e547778d29ed212d9dd1d6c7c2630cc0e47a0d9f6fb26e1ec77
	// true false
}

func ExampleTokens() {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	tokens, err := auth.NewTokens(
		[]auth.Key{{ID: "2026-03", Secret: []byte("an example key of at least 32 bytes!")}},
		auth.TokenConfig{
			Now:  func() time.Time { return now },
			Rand: bytes.NewReader(make([]byte, 16)), // the jti's randomness; omit for crypto/rand
		},
	)
	if err != nil {
		panic(err)
	}

	token, _, err := tokens.Issue("cli_42")
	if err != nil {
		panic(err)
	}
	claims, err := tokens.Verify(token)
	fmt.Println(claims.Subject, claims.ExpiresAt, err)
	fmt.Println("expires_in:", tokens.TTL().Seconds())

	now = now.Add(2 * time.Hour)
	_, err = tokens.Verify(token)
	fmt.Println(errors.Is(err, auth.ErrTokenExpired))
	// Output:
	// cli_42 2026-03-14 13:00:00 +0000 UTC <nil>
	// expires_in: 3600
	// true
}

func ExampleMemoryLimiter() {
	limiter := auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})
	limits := auth.Limits{PerMinute: 3} // auth.PlanDeveloper.Limits() in real use
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

	for range 4 {
		d, err := limiter.Allow(context.Background(), "cli_42", limits, now)
		if err != nil {
			panic(err)
		}
		if d.Allowed {
			fmt.Println("allowed, remaining", d.Remaining)
		} else {
			fmt.Println(d.Code, "Retry-After:", auth.RetryAfterSeconds(d.RetryAfter))
		}
	}

	// A token comes back every 20 s: the client never gets a fresh 3 at the top of the minute.
	d, _ := limiter.Allow(context.Background(), "cli_42", limits, now.Add(20*time.Second))
	fmt.Println(d.Allowed, d.Remaining)
	// Output:
	// allowed, remaining 2
	// allowed, remaining 1
	// allowed, remaining 0
	// rate_limit_exceeded Retry-After: 20
	// true 0
}

func ExamplePlan_Limits() {
	for _, p := range []auth.Plan{auth.PlanDeveloper, auth.PlanBusiness, auth.PlanEnterprise} {
		l := p.Limits()
		note := ""
		if l.PerDay == 0 {
			note = " (0: no daily cap)"
		}
		fmt.Printf("%s: %d/min, %d/day%s\n", p, l.PerMinute, l.PerDay, note)
	}
	// Output:
	// developer: 60/min, 5000/day
	// business: 300/min, 50000/day
	// enterprise: 1000/min, 0/day (0: no daily cap)
}
