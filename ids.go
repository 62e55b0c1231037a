package assetmint

// Id prefixes name the kind of object an id belongs to.
const (
	PrefixBusiness  = "biz_"
	PrefixClient    = "cli_"
	PrefixAsset     = "asset_"
	PrefixEvent     = "evt_"
	PrefixDocument  = "doc_"
	PrefixValuation = "val_"
	PrefixWebhook   = "wh_"
	PrefixDelivery  = "dlv_"
	PrefixToken     = "tok_"
	PrefixLoan      = "loan_"
	PrefixRepayment = "pay_"
	PrefixRequest   = "req_"
)

// PrefixSigningKey prefixes the ids (the JWT kid) of token signing keys.
const PrefixSigningKey = "key_"
