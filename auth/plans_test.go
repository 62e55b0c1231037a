package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/auth"
)

func TestPlanLimits(t *testing.T) {
	tests := []struct {
		plan   auth.Plan
		valid  bool
		limits auth.Limits
	}{
		{auth.PlanDeveloper, true, auth.Limits{PerMinute: 60, PerDay: 5_000}},
		{auth.PlanBusiness, true, auth.Limits{PerMinute: 300, PerDay: 50_000}},
		{auth.PlanEnterprise, true, auth.Limits{PerMinute: 1_000, PerDay: 0}},
		// Unknown plans fail towards the smallest allowance.
		{"", false, auth.Limits{PerMinute: 60, PerDay: 5_000}},
		{"Enterprise", false, auth.Limits{PerMinute: 60, PerDay: 5_000}},
		{"unlimited", false, auth.Limits{PerMinute: 60, PerDay: 5_000}},
	}
	for _, tt := range tests {
		t.Run(string(tt.plan), func(t *testing.T) {
			require.Equal(t, tt.valid, tt.plan.Valid())
			require.Equal(t, tt.limits, tt.plan.Limits())
			require.NoError(t, tt.plan.Limits().Validate())
		})
	}
}
