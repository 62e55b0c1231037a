package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/assetmint/assetmint/tokenize"
)

// The DB keeps the transaction manager's intents (tokenize/ethchain's
// Manager); they are not part of the Engine's transactions.
var _ tokenize.IntentStore = (*DB)(nil)

const intentCols = `id, chain_id, signer, nonce, key, kind, ref, to_address, data, gas, state, tx_hash, block_number,
	block_hash, contract_address, error, version, created_at, updated_at, settled_at`

func scanIntent(s rowScanner) (*tokenize.Intent, error) {
	var in tokenize.Intent
	var nonce, gas int64
	err := s.Scan(&in.ID, &in.ChainID, &in.Signer, &nonce, &in.Key, &in.Kind, &in.Ref, &in.To, &in.Data, &gas,
		&in.State, &in.TxHash, uint64Col{&in.BlockNumber}, &in.BlockHash, &in.ContractAddress, &in.Error, &in.Version,
		timeCol{&in.CreatedAt}, timeCol{&in.UpdatedAt}, timeCol{&in.SettledAt})
	if err != nil {
		return nil, err
	}
	in.Nonce, in.Gas = uint64(nonce), uint64(gas)
	return &in, nil
}

// bigArg is the stored form of a fee: decimal text, "" for nil.
func bigArg(n *big.Int) string {
	if n == nil {
		return ""
	}
	return n.String()
}

// bigCol scans decimal text into *n; "" is nil.
type bigCol struct{ n **big.Int }

func (c bigCol) ScanText(v pgtype.Text) error {
	if !v.Valid || v.String == "" {
		*c.n = nil
		return nil
	}
	n, ok := new(big.Int).SetString(v.String, 10)
	if !ok {
		return fmt.Errorf("postgres: bad stored amount %q", v.String)
	}
	*c.n = n
	return nil
}

// blob keeps an empty byte slice non-NULL.
func blob(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// CreateIntents inserts ins and their attempts in one transaction, all
// or none (one durable commit for a batch of submissions); a racing insert
// of the same nonce or live key does nothing (ON CONFLICT DO NOTHING) and
// reports which it was: tokenize.ErrNonceTaken, or
// tokenize.ErrIntentExists.
func (db *DB) CreateIntents(ctx context.Context, ins ...*tokenize.Intent) error {
	ids := make([]int64, len(ins))
	err := db.inTx(ctx, func(q queries) error {
		for i, in := range ins {
			id, err := insertIntent(ctx, q, in)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, in := range ins {
		in.ID, in.Version = ids[i], 1
	}
	return nil
}

// insertIntent inserts in (at version 1) and its attempts, and returns its
// id.
func insertIntent(ctx context.Context, q queries, in *tokenize.Intent) (int64, error) {
	var id int64
	err := q.q.QueryRow(ctx, `INSERT INTO chain_intents (chain_id, signer, nonce, key, kind, ref, to_address, data, gas,
		state, tx_hash, block_number, block_hash, contract_address, error, version, created_at, updated_at, settled_at)
		VALUES (`+placeholders(19)+`)
		ON CONFLICT DO NOTHING RETURNING id`,
		in.ChainID, in.Signer, int64(in.Nonce), in.Key, in.Kind, in.Ref, in.To, blob(in.Data), int64(in.Gas),
		string(in.State), in.TxHash, uint64Arg(in.BlockNumber), in.BlockHash, in.ContractAddress, in.Error, 1,
		timeArg(in.CreatedAt), timeArg(in.UpdatedAt), timeArg(in.SettledAt)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		var taken bool
		if err := q.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM chain_intents WHERE chain_id = $1 AND signer = $2 AND nonce = $3)`,
			in.ChainID, in.Signer, int64(in.Nonce)).Scan(&taken); err != nil {
			return 0, internal(err)
		}
		if taken {
			return 0, fmt.Errorf("postgres: nonce %d of %s: %w", in.Nonce, in.Signer, tokenize.ErrNonceTaken)
		}
		return 0, fmt.Errorf("postgres: intent key %q of %s: %w", in.Key, in.Signer, tokenize.ErrIntentExists)
	}
	if err != nil {
		return 0, internal(err)
	}
	for i, a := range in.Attempts {
		if err := insertAttempt(ctx, q, id, i, a); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func insertAttempt(ctx context.Context, q queries, intentID int64, n int, a tokenize.Attempt) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO chain_attempts (intent_id, n, hash, raw, gas_tip_cap, gas_fee_cap, gas_price, noop, sent_at)
		VALUES (`+placeholders(9)+`) ON CONFLICT DO NOTHING`,
		intentID, n, a.Hash, blob(a.Raw), bigArg(a.GasTipCap), bigArg(a.GasFeeCap), bigArg(a.GasPrice), a.Noop, timeArg(a.SentAt))
	if err != nil {
		return internal(err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: attempt %d of intent %d (%s): %w", n, intentID, a.Hash, tokenize.ErrIntentChanged)
	}
	return nil
}

// AddAttempt appends a to the intent's attempts as number prev.
// tokenize.ErrIntentNotFound; tokenize.ErrIntentChanged if that number or
// the hash is recorded already.
func (db *DB) AddAttempt(ctx context.Context, id int64, prev int, a tokenize.Attempt) error {
	return db.inTx(ctx, func(q queries) error {
		var exists bool
		if err := q.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM chain_intents WHERE id = $1)`, id).Scan(&exists); err != nil {
			return internal(err)
		}
		if !exists {
			return fmt.Errorf("postgres: intent %d: %w", id, tokenize.ErrIntentNotFound)
		}
		return insertAttempt(ctx, q, id, prev, a)
	})
}

// UpdateIntent writes in's outcome fields if its stored version is still
// in.Version. tokenize.ErrIntentChanged; tokenize.ErrIntentNotFound.
func (db *DB) UpdateIntent(ctx context.Context, in *tokenize.Intent) error {
	return db.UpdateIntents(ctx, []*tokenize.Intent{in})
}

// UpdateIntents writes each of ins over the version it read, in one
// transaction: one commit for a whole round of the manager's loop. Those
// whose version moved on are skipped and reported
// (tokenize.ErrIntentChanged, tokenize.ErrIntentNotFound).
func (db *DB) UpdateIntents(ctx context.Context, ins []*tokenize.Intent) error {
	var written []*tokenize.Intent
	var lost []error
	err := db.inTx(ctx, func(q queries) error {
		written, lost = written[:0], lost[:0] // a retried transaction starts over
		for _, in := range ins {
			tag, err := q.q.Exec(ctx, `UPDATE chain_intents SET state = $1, tx_hash = $2, block_number = $3, block_hash = $4,
				contract_address = $5, error = $6, updated_at = $7, settled_at = $8, version = version + 1
				WHERE id = $9 AND version = $10`,
				string(in.State), in.TxHash, uint64Arg(in.BlockNumber), in.BlockHash, in.ContractAddress, in.Error,
				timeArg(in.UpdatedAt), timeArg(in.SettledAt), in.ID, in.Version)
			if err != nil {
				return internal(err)
			}
			if tag.RowsAffected() == 1 {
				written = append(written, in)
				continue
			}
			var exists bool
			if err := q.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM chain_intents WHERE id = $1)`, in.ID).Scan(&exists); err != nil {
				return internal(err)
			}
			if !exists {
				lost = append(lost, fmt.Errorf("postgres: intent %d: %w", in.ID, tokenize.ErrIntentNotFound))
			} else {
				lost = append(lost, fmt.Errorf("postgres: intent %d: %w", in.ID, tokenize.ErrIntentChanged))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, in := range written {
		in.Version++
	}
	return errors.Join(lost...)
}

// Intent reads one intent with its attempts. tokenize.ErrIntentNotFound.
func (db *DB) Intent(ctx context.Context, id int64) (*tokenize.Intent, error) {
	return db.oneIntent(ctx, `SELECT `+intentCols+` FROM chain_intents WHERE id = $1`, id)
}

// IntentByKey reads the newest of the signer's intents with key.
// tokenize.ErrIntentNotFound.
func (db *DB) IntentByKey(ctx context.Context, chainID, signer, key string) (*tokenize.Intent, error) {
	if key == "" {
		return nil, fmt.Errorf("postgres: an empty intent key: %w", tokenize.ErrIntentNotFound)
	}
	return db.oneIntent(ctx, `SELECT `+intentCols+` FROM chain_intents WHERE chain_id = $1 AND signer = $2 AND key = $3
		ORDER BY id DESC LIMIT 1`, chainID, signer, key)
}

func (db *DB) oneIntent(ctx context.Context, query string, args ...any) (*tokenize.Intent, error) {
	in, err := scanIntent(db.pool.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: %w", tokenize.ErrIntentNotFound)
	}
	if err != nil {
		return nil, internal(err)
	}
	if err := db.attempts(ctx, []*tokenize.Intent{in}); err != nil {
		return nil, err
	}
	return in, nil
}

// OpenIntents lists the signer's unsettled intents in nonce order, with
// their attempts.
func (db *DB) OpenIntents(ctx context.Context, chainID, signer string) ([]*tokenize.Intent, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+intentCols+` FROM chain_intents
		WHERE chain_id = $1 AND signer = $2 AND settled_at IS NULL ORDER BY nonce`, chainID, signer)
	if err != nil {
		return nil, internal(err)
	}
	out := []*tokenize.Intent{}
	for rows.Next() {
		in, err := scanIntent(rows)
		if err != nil {
			rows.Close()
			return nil, internal(err)
		}
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	if err := db.attempts(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// attempts reads the attempts of ins, oldest first.
func (db *DB) attempts(ctx context.Context, ins []*tokenize.Intent) error {
	if len(ins) == 0 {
		return nil
	}
	byID := make(map[int64]*tokenize.Intent, len(ins))
	ids := make([]int64, len(ins))
	for i, in := range ins {
		byID[in.ID], ids[i] = in, in.ID
	}
	rows, err := db.pool.Query(ctx, `SELECT intent_id, hash, raw, gas_tip_cap, gas_fee_cap, gas_price, noop, sent_at
		FROM chain_attempts WHERE intent_id = ANY($1) ORDER BY intent_id, n`, ids)
	if err != nil {
		return internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a tokenize.Attempt
		if err := rows.Scan(&id, &a.Hash, &a.Raw, bigCol{&a.GasTipCap}, bigCol{&a.GasFeeCap}, bigCol{&a.GasPrice}, &a.Noop,
			timeCol{&a.SentAt}); err != nil {
			return internal(err)
		}
		byID[id].Attempts = append(byID[id].Attempts, a)
	}
	if err := rows.Err(); err != nil {
		return internal(err)
	}
	return nil
}

// NextNonce is one past the signer's highest nonce, 0 without intents.
func (db *DB) NextNonce(ctx context.Context, chainID, signer string) (uint64, error) {
	var n pgtype.Int8
	if err := db.pool.QueryRow(ctx, `SELECT max(nonce) FROM chain_intents WHERE chain_id = $1 AND signer = $2`,
		chainID, signer).Scan(&n); err != nil {
		return 0, internal(err)
	}
	if !n.Valid {
		return 0, nil
	}
	return uint64(n.Int64) + 1, nil
}
