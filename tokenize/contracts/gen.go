package contracts

// Regenerate with `go generate ./tokenize/contracts` (needs node and npm). check-generated.sh
// verifies that the committed AssetToken.abi, AssetToken.bin and assettoken.go are up to date.

//go:generate npm ci --silent --no-audit --no-fund
//go:generate node build.mjs
//go:generate go tool abigen --v2 --abi AssetToken.abi --bin AssetToken.bin --pkg contracts --type AssetToken --out assettoken.go
