package ethchain_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoSimulatedNode keeps the simulated node out of programs that use a
// real one: only simchain may import it.
func TestNoSimulatedNode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found; skipping the dependency check")
	}
	out, err := exec.CommandContext(t.Context(), gobin, "list", "-deps", ".").Output()
	require.NoError(t, err)
	for _, pkg := range strings.Fields(string(out)) {
		require.NotEqual(t, "github.com/ethereum/go-ethereum/ethclient/simulated", pkg)
		require.NotContains(t, pkg, "go-ethereum/eth/", "a full node package in ethchain's dependencies")
	}
}
