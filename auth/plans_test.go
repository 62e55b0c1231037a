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

func TestParsePlanLimits(t *testing.T) {
	got, err := auth.ParsePlanLimits("developer=60/min,5000/day;business=300/min,50000/day;enterprise=1000/min")
	require.NoError(t, err)
	require.Equal(t, auth.DefaultPlanLimits(), got, "the issue's example is the default table")

	got, err = auth.ParsePlanLimits(" business = 10000/min , 2000000/day ")
	require.NoError(t, err)
	require.Equal(t, auth.Limits{PerMinute: 10_000, PerDay: 2_000_000}, got.Of(auth.PlanBusiness))
	require.Equal(t, auth.PlanDeveloper.Limits(), got.Of(auth.PlanDeveloper), "a plan left out keeps its default")
	require.Equal(t, auth.PlanEnterprise.Limits(), got.Of(auth.PlanEnterprise))

	got, err = auth.ParsePlanLimits("developer=5/min")
	require.NoError(t, err)
	require.Equal(t, auth.Limits{PerMinute: 5}, got.Of(auth.PlanDeveloper), "no /day: no daily cap")
	require.Equal(t, auth.Limits{PerMinute: 5}, got.Of("unknown"), "an unknown plan gets the table's developer limits")

	got, err = auth.ParsePlanLimits("")
	require.NoError(t, err)
	require.Equal(t, auth.DefaultPlanLimits(), got)

	for _, bad := range []string{
		"gold=10/min", "developer", "developer=", "developer=ten/min", "developer=0/min", "developer=-1/min",
		"developer=10/hour", "developer=10/day", "developer=10/min,5/min", "developer=10/min,5/day,1/day",
		"developer=10/min;developer=20/min", "Developer=10/min", "developer=99999999999999999999/min",
	} {
		_, err := auth.ParsePlanLimits(bad)
		require.Error(t, err, bad)
	}
}

func FuzzParsePlanLimits(f *testing.F) {
	f.Add("developer=60/min,5000/day;business=300/min,50000/day;enterprise=1000/min")
	f.Add("business=1/min")
	f.Add(";;")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := auth.ParsePlanLimits(s)
		if err != nil {
			return
		}
		for _, p := range []auth.Plan{auth.PlanDeveloper, auth.PlanBusiness, auth.PlanEnterprise} {
			require.NoError(t, got.Of(p).Validate(), "%q gave %s an unusable limit", s, p)
		}
	})
}
