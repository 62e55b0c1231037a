#!/usr/bin/env bash
# Regenerates AssetToken.abi, AssetToken.bin and assettoken.go from AssetToken.sol in a temporary
# copy of this package, running the //go:generate lines of gen.go, and fails if the result differs
# from the committed files. Needs node, npm (registry access for `npm ci`) and go.
#
# The copy lives inside the module (so `go tool abigen` resolves from go.mod) in a directory whose
# name starts with "_", which `./...` patterns skip; it is removed on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d "$here/_gencheck.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

cp "$here/AssetToken.sol" "$here/build.mjs" "$here/package.json" "$here/package-lock.json" "$here/gen.go" "$tmp/"
(cd "$tmp" && go generate .)

status=0
for f in AssetToken.abi AssetToken.bin assettoken.go package-lock.json; do
	if ! diff -u "$here/$f" "$tmp/$f" >"$tmp/$f.diff"; then
		echo "check-generated: $f is out of date; run 'go generate ./tokenize/contracts' and commit the result" >&2
		head -n 40 "$tmp/$f.diff" >&2
		status=1
	fi
done
if [ "$status" -eq 0 ]; then
	echo "check-generated: AssetToken.abi, AssetToken.bin and assettoken.go are up to date"
fi
exit "$status"
