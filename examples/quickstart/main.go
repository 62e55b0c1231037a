// Command quickstart runs AssetMint's whole flow in-process, through the Go
// API alone (no HTTP): it opens a SQLite store, submits the reference's CNC
// machine with its invoice, values and verifies it, mints its token on the
// in-process simulated chain, requests a loan against it, funds the loan
// (locking the token on chain) and prints the repayment schedule.
//
//	go run ./examples/quickstart
//
// Everything lives in a temporary folder that is removed at the end.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize/simchain"
	"github.com/assetmint/assetmint/valuation"
)

func main() {
	dir, err := os.MkdirTemp("", "assetmint-quickstart")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := run(context.Background(), os.Stdout, dir, time.Now); err != nil {
		log.Fatal(err)
	}
}

// platform is an Engine with its store and chain.
type platform struct {
	engine *assetmint.Engine
	db     *sqlite.DB
	sim    *simchain.Sim
}

func (p *platform) Close() {
	p.db.Close()
	p.sim.Close()
}

// open builds the platform in dir on the clock now: the embedded SQLite
// store, documents on disk, the simulated chain, and the lending policy
// (approve within policy; fund when asked).
func open(ctx context.Context, dir string, now func() time.Time) (*platform, error) {
	db, err := sqlite.Open(filepath.Join(dir, "assetmint.db"), sqlite.Config{})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	blobs, err := fsblob.New(filepath.Join(dir, "documents"))
	if err != nil {
		db.Close()
		return nil, err
	}
	sim, err := simchain.New(simchain.Config{})
	if err != nil {
		db.Close()
		return nil, err
	}
	// The database lives in a temporary folder, so a fresh master key will
	// do; a real host reads its key from its secret store.
	masterKey, err := assetmint.NewMasterKey(rand.Reader)
	if err != nil {
		db.Close()
		sim.Close()
		return nil, err
	}
	engine, err := assetmint.New(db, assetmint.Config{
		MasterKey: masterKey,
		Now:       now,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Blobs:     blobs,
		Chain:     assetmint.ChainConfig{Chain: sim.Chain()},
	})
	if err != nil {
		db.Close()
		sim.Close()
		return nil, err
	}
	return &platform{engine: engine, db: db, sim: sim}, nil
}

// invoiceText stands in for the scanned invoice's bytes.
const invoiceText = "%PDF-1.4\n% Haas Automation invoice 2021-07-01, CNC Milling Machine X200, serial X200-0042\n%%EOF\n"

// wallet is the business's own address: its tokens are minted to it.
const wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

// pledge takes a new business with the given wallet from submission to a
// funded loan and returns the business and loan ids.
func pledge(ctx context.Context, p *platform, out io.Writer, wallet string) (string, string, error) {
	e := p.engine
	biz, _, err := e.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme Manufacturing", WalletAddress: wallet})
	if err != nil {
		return "", "", err
	}
	a, err := e.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{
		Name:           "CNC Milling Machine — Model X200",
		Type:           assetmint.AssetEquipment,
		Description:    "Industrial CNC machine, 2021, excellent condition",
		EstimatedValue: decimal.NewFromInt(85000),
	})
	if err != nil {
		return "", "", err
	}
	_, err = e.UploadDocument(ctx, biz.ID, assetmint.NewDocument{
		AssetID: a.ID, Kind: valuation.KindInvoice, Filename: "invoice-x200.pdf", Content: strings.NewReader(invoiceText),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD",
		Date: new(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)), Serial: "X200-0042", Issuer: "Haas Automation",
	})
	if err != nil {
		return "", "", err
	}
	// Valuation, verification and minting are durable background jobs;
	// RunPending runs them now (a server runs Engine.Run instead).
	if err := e.RunPending(ctx); err != nil {
		return "", "", err
	}
	a, err = e.Asset(ctx, biz.ID, a.ID)
	if err != nil {
		return "", "", err
	}
	v, err := e.LatestValuation(ctx, biz.ID, a.ID)
	if err != nil {
		return "", "", err
	}
	r := v.Report
	fmt.Fprintf(out, "Asset %s is %s: valued %s %s (confidence %d, grade %s), lending value %s, max loan %s\n",
		a.ID, a.Status, r.Value.StringFixed(2), r.Currency, r.Confidence, r.RiskGrade, r.LendingValue.StringFixed(2), r.MaxLoan.StringFixed(2))
	if a.Status != assetmint.AssetTokenized {
		return "", "", fmt.Errorf("asset is %s, not tokenized", a.Status)
	}
	tokens, err := e.Tokens(ctx, biz.ID, assetmint.ListParams{})
	if err != nil {
		return "", "", err
	}
	tok := tokens.Items[0]
	fmt.Fprintf(out, "Token %s: number %s… on contract %s (chain %s), owner %s\n",
		tok.ID, tok.TokenNumber[:12], tok.Contract, tok.ChainID, tok.OwnerAddress)

	// Borrow half the maximum, over three years.
	amount := r.MaxLoan.Div(decimal.NewFromInt(2)).Truncate(-2)
	l, err := e.RequestLoan(ctx, biz.ID, assetmint.NewLoan{TokenID: tok.ID, Amount: amount, TermMonths: 36, Purpose: "working capital"})
	if err != nil {
		return "", "", err
	}
	if err := e.RunPending(ctx); err != nil { // underwriting
		return "", "", err
	}
	d, err := e.Loan(ctx, biz.ID, l.ID)
	if err != nil {
		return "", "", err
	}
	fmt.Fprintf(out, "Loan %s of %s: %s by %s at %s %% a year (LTV %s)\n",
		l.ID, amount.StringFixed(2), d.Status, d.DecidedBy, d.AnnualRate.Shift(2).String(), d.LTV.String())
	if d.Status != assetmint.LoanApproved {
		return "", "", fmt.Errorf("loan is %s (%v)", d.Status, d.Reasons)
	}
	// The operator funds once the money is out: the token is locked on
	// chain first, then the schedule is fixed from the funding date.
	if _, err := e.Operator().FundLoan(ctx, l.ID); err != nil {
		return "", "", err
	}
	if err := e.RunPending(ctx); err != nil {
		return "", "", err
	}
	return biz.ID, l.ID, nil
}

func run(ctx context.Context, out io.Writer, dir string, now func() time.Time) error {
	p, err := open(ctx, dir, now)
	if err != nil {
		return err
	}
	defer p.Close()
	biz, loanID, err := pledge(ctx, p, out, wallet)
	if err != nil {
		return err
	}
	d, err := p.engine.Loan(ctx, biz, loanID)
	if err != nil {
		return err
	}
	tok, err := p.engine.Token(ctx, biz, d.TokenID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Loan %s on %s; token %s is %s on chain\n\n", d.Status, d.FundedAt.Format("2006-01-02"), tok.ID, tok.Status)

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "#\tdue\tpayment\tinterest\tprincipal\tbalance\t")
	for _, in := range d.Schedule.Installments {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t\n", in.Number, in.DueDate.Format("2006-01-02"),
			in.Payment.StringFixed(2), in.Interest.StringFixed(2), in.Principal.StringFixed(2), in.Balance.StringFixed(2))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nTotal interest %s; paying off today takes %s.\n",
		d.Schedule.TotalInterest().StringFixed(2), d.Position.Payoff.StringFixed(2))
	return nil
}
