package auth

// Verified is how many tokens t remembers as verified, and MaxVerified
// the most it remembers.
func Verified(t *Tokens) int {
	t.verifiedMu.Lock()
	defer t.verifiedMu.Unlock()
	return len(t.verified)
}

const MaxVerified = maxVerified
