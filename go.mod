module github.com/assetmint/assetmint

go 1.26.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/shopspring/decimal v1.6.0
	golang.org/x/crypto v0.59.0
)

require (
	github.com/getkin/kin-openapi v0.153.0 // indirect
	github.com/mattn/go-sqlite3 v1.14.53 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
