package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// With ASSETMINT_ADMIN_TOKEN the server serves the operator console at
// /console/, and an operator signs in with the token; without it there is
// no console.
func TestServerMountsTheConsole(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	const token = "dev-operator-token-please-change-me"
	base, done, _ := startServer(t, ctx, t.TempDir(), map[string]string{"ASSETMINT_ADMIN_TOKEN": token})

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar}
	res, err := c.Get(base + "/console/")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, base+"/console/login", res.Request.URL.String(), "sent to sign in")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(body))
	require.NotNil(t, csrf, string(body))
	res, err = c.PostForm(base+"/console/login", url.Values{"csrf": {csrf[1]}, "token": {token}})
	require.NoError(t, err)
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, base+"/console/", res.Request.URL.String())
	require.Contains(t, string(body), "<h1>Dashboard</h1>")

	// The API is where it was.
	res, err = http.Get(base + "/v1/openapi.json")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	cancel()
	require.NoError(t, <-done)

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	base, done, _ = startServer(t, ctx, t.TempDir(), nil)
	res, err = http.Get(base + "/console/")
	require.NoError(t, err)
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "application/json"), "the API's 404: %s", body)
	cancel()
	require.NoError(t, <-done)
}
