// Package assetmint is the domain engine of an asset-tokenization and
// asset-backed-lending platform: businesses submit real-world assets for
// valuation, verified assets are minted as tokens on an EVM chain, and
// businesses borrow against them. Every state change is an [Event] in an
// outbox, written in the same transaction as the change.
//
// This package holds the vocabulary ([Business], [Client], [Asset],
// [Token], [Loan], [Repayment], [Event]), the use cases on [Engine] (submit
// and value assets, mint them, lend against them: [Engine.RequestLoan],
// [Engine.FundLoan], [Engine.RecordRepayment], [Engine.ServiceLoans]), the store interfaces the engine
// consumes ([Store] and its per-concern parts), and the one error type
// ([Error], with stable codes read by [ErrorCode]).
//
// The adapters live in sub-packages and point inward: store/sqlite is the
// embedded store, httpapi the REST API, jobs the durable job queue, auth the
// credentials, tokens and rate limits.
//
//	db, _ := sqlite.Open("assetmint.db", sqlite.Config{})
//	_ = db.Migrate(ctx)
//	engine, _ := assetmint.New(db, assetmint.Config{})
//	go engine.Run(ctx) // background jobs
//	biz, creds, _ := engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanBusiness})
//	asset, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{
//		Name: "CNC Milling Machine", Type: assetmint.AssetEquipment,
//		EstimatedValue: decimal.RequireFromString("85000"),
//	})
//	if assetmint.ErrorCode(err) == assetmint.EINVALID { ... } // assetmint.ErrorParam(err) names the field
//
// Time and randomness are injected through [Config], so tests are exact;
// money is decimal.Decimal throughout; every read and write of business data
// is scoped by the business that owns it.
package assetmint
