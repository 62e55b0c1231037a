package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"

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

func (c bigCol) Scan(v any) error {
	var s string
	if err := (textCol{&s}).Scan(v); err != nil {
		return err
	}
	if s == "" {
		*c.n = nil
		return nil
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return fmt.Errorf("sqlite: bad stored amount %q", s)
	}
	*c.n = n
	return nil
}

// CreateIntents inserts ins and their attempts in one transaction, all
// or none (one durable commit for a batch of submissions).
// tokenize.ErrNonceTaken if a signer's nonce is held on the chain;
// tokenize.ErrIntentExists if another of the signer's intents with the
// key is pending, mined or confirmed.
func (db *DB) CreateIntents(ctx context.Context, ins ...*tokenize.Intent) error {
	ids := make([]int64, len(ins))
	err := db.inWriteTx(ctx, func(q dbtx) error {
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
func insertIntent(ctx context.Context, q dbtx, in *tokenize.Intent) (int64, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO chain_intents (chain_id, signer, nonce, key, kind, ref, to_address, data, gas,
		state, tx_hash, block_number, block_hash, contract_address, error, version, created_at, updated_at, settled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		in.ChainID, in.Signer, int64(in.Nonce), in.Key, in.Kind, in.Ref, in.To, blob(in.Data), int64(in.Gas),
		string(in.State), in.TxHash, uint64Arg(in.BlockNumber), in.BlockHash, in.ContractAddress, in.Error, 1,
		timeArg(in.CreatedAt), timeArg(in.UpdatedAt), timeArg(in.SettledAt))
	if err != nil {
		return 0, internal(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, internal(err)
	} else if n == 0 {
		var taken int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM chain_intents WHERE chain_id = ? AND signer = ? AND nonce = ?`,
			in.ChainID, in.Signer, int64(in.Nonce)).Scan(&taken); err != nil {
			return 0, internal(err)
		}
		if taken > 0 {
			return 0, fmt.Errorf("sqlite: nonce %d of %s: %w", in.Nonce, in.Signer, tokenize.ErrNonceTaken)
		}
		return 0, fmt.Errorf("sqlite: intent key %q of %s: %w", in.Key, in.Signer, tokenize.ErrIntentExists)
	}
	id, err := res.LastInsertId()
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

// blob keeps an empty byte slice non-NULL.
func blob(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func insertAttempt(ctx context.Context, q dbtx, intentID int64, n int, a tokenize.Attempt) error {
	res, err := q.ExecContext(ctx, `INSERT INTO chain_attempts (intent_id, n, hash, raw, gas_tip_cap, gas_fee_cap, gas_price, noop, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		intentID, n, a.Hash, blob(a.Raw), bigArg(a.GasTipCap), bigArg(a.GasFeeCap), bigArg(a.GasPrice), a.Noop, timeArg(a.SentAt))
	if err != nil {
		return internal(err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return internal(err)
	} else if k == 0 {
		return fmt.Errorf("sqlite: attempt %d of intent %d (%s): %w", n, intentID, a.Hash, tokenize.ErrIntentChanged)
	}
	return nil
}

// AddAttempt appends a to the intent's attempts as number prev.
// tokenize.ErrIntentNotFound; tokenize.ErrIntentChanged if that number or
// the hash is recorded already.
func (db *DB) AddAttempt(ctx context.Context, id int64, prev int, a tokenize.Attempt) error {
	return db.inWriteTx(ctx, func(q dbtx) error {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM chain_intents WHERE id = ?`, id).Scan(&n); err != nil {
			return internal(err)
		}
		if n == 0 {
			return fmt.Errorf("sqlite: intent %d: %w", id, tokenize.ErrIntentNotFound)
		}
		return insertAttempt(ctx, q, id, prev, a)
	})
}

// UpdateIntent writes in's outcome fields over the version it read.
// tokenize.ErrIntentChanged if the version moved on;
// tokenize.ErrIntentNotFound.
func (db *DB) UpdateIntent(ctx context.Context, in *tokenize.Intent) error {
	return db.UpdateIntents(ctx, []*tokenize.Intent{in})
}

// UpdateIntents writes each of ins over the version it read, in one
// transaction: one commit, so one sync of the log, for a whole round of
// the manager's loop. Those whose version moved on are skipped and
// reported (tokenize.ErrIntentChanged, tokenize.ErrIntentNotFound).
func (db *DB) UpdateIntents(ctx context.Context, ins []*tokenize.Intent) error {
	var written []*tokenize.Intent
	var lost []error
	err := db.inWriteTx(ctx, func(q dbtx) error {
		for _, in := range ins {
			res, err := q.ExecContext(ctx, `UPDATE chain_intents SET state = ?, tx_hash = ?, block_number = ?, block_hash = ?,
				contract_address = ?, error = ?, updated_at = ?, settled_at = ?, version = version + 1
				WHERE id = ? AND version = ?`,
				string(in.State), in.TxHash, uint64Arg(in.BlockNumber), in.BlockHash, in.ContractAddress, in.Error,
				timeArg(in.UpdatedAt), timeArg(in.SettledAt), in.ID, in.Version)
			n, err := affected(res, err, "intent")
			if err != nil {
				return err
			}
			if n == 1 {
				written = append(written, in)
				continue
			}
			var exists int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM chain_intents WHERE id = ?`, in.ID).Scan(&exists); err != nil {
				return internal(err)
			}
			if exists == 0 {
				lost = append(lost, fmt.Errorf("sqlite: intent %d: %w", in.ID, tokenize.ErrIntentNotFound))
			} else {
				lost = append(lost, fmt.Errorf("sqlite: intent %d: %w", in.ID, tokenize.ErrIntentChanged))
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
	return db.oneIntent(ctx, `SELECT `+intentCols+` FROM chain_intents WHERE id = ?`, id)
}

// IntentByKey reads the newest of the signer's intents with key.
// tokenize.ErrIntentNotFound.
func (db *DB) IntentByKey(ctx context.Context, chainID, signer, key string) (*tokenize.Intent, error) {
	if key == "" {
		return nil, fmt.Errorf("sqlite: an empty intent key: %w", tokenize.ErrIntentNotFound)
	}
	return db.oneIntent(ctx, `SELECT `+intentCols+` FROM chain_intents WHERE chain_id = ? AND signer = ? AND key = ?
		ORDER BY id DESC LIMIT 1`, chainID, signer, key)
}

func (db *DB) oneIntent(ctx context.Context, query string, args ...any) (*tokenize.Intent, error) {
	in, err := scanIntent(db.readers.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: %w", tokenize.ErrIntentNotFound)
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
	rows, err := db.readers.QueryContext(ctx, `SELECT `+intentCols+` FROM chain_intents
		WHERE chain_id = ? AND signer = ? AND settled_at IS NULL ORDER BY nonce`, chainID, signer)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := []*tokenize.Intent{}
	for rows.Next() {
		in, err := scanIntent(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, in)
	}
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
	args := make([]any, len(ins))
	for i, in := range ins {
		byID[in.ID], args[i] = in, in.ID
	}
	rows, err := db.readers.QueryContext(ctx, `SELECT intent_id, hash, raw, gas_tip_cap, gas_fee_cap, gas_price, noop, sent_at
		FROM chain_attempts WHERE intent_id IN (?`+strings.Repeat(", ?", len(ins)-1)+`) ORDER BY intent_id, n`, args...)
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
	var n sql.NullInt64
	if err := db.readers.QueryRowContext(ctx, `SELECT max(nonce) FROM chain_intents WHERE chain_id = ? AND signer = ?`,
		chainID, signer).Scan(&n); err != nil {
		return 0, internal(err)
	}
	if !n.Valid {
		return 0, nil
	}
	return uint64(n.Int64) + 1, nil
}
