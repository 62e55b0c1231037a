package ethchain

import (
	"context"

	"github.com/assetmint/assetmint/tokenize"
)

// Round runs one round of the loop, as Confirm does each PollInterval.
func (m *Manager) Round(ctx context.Context, settle tokenize.SettleFunc) (int, error) {
	return m.work(ctx, settle)
}

// Queued is how many Submit calls wait for the send lock.
func (m *Manager) Queued() int {
	m.queueMu.Lock()
	defer m.queueMu.Unlock()
	return len(m.queue)
}
