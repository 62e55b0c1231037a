// Package ids makes AssetMint's ids: a prefix naming the kind of object
// ("asset_", "req_", ...) and a UUIDv7 written in fixed-width base62, so ids
// sort in creation order and lists page by id. The engine and the HTTP
// layer (for request ids) each have a Generator over their injected clock
// and randomness.
package ids

import (
	"encoding/binary"
	"io"
	"sync"
	"time"
)

// Generator makes prefixed ids from UUIDv7 values (RFC 9562): 48 bits of Unix
// milliseconds, then 74 bits that are random at each new millisecond and
// counted up within one, so ids from one process sort in creation order.
// The 16 bytes are written in fixed-width base62, whose alphabet is in ASCII
// order, so the string order is the UUID order: lists page by id.
type Generator struct {
	Now  func() time.Time // the clock
	Rand io.Reader        // the randomness

	mu     sync.Mutex
	lastMs int64
	hi     uint16 // 12-bit rand_a
	lo     uint64 // 62-bit rand_b
}

// New returns a new id with the prefix. It fails only when the randomness
// does.
func (g *Generator) New(prefix string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.Now().UnixMilli()
	if ms > g.lastMs {
		var b [10]byte
		if _, err := io.ReadFull(g.Rand, b[:]); err != nil {
			return "", err
		}
		g.lastMs = ms
		g.hi = binary.BigEndian.Uint16(b[0:2]) & 0x0fff
		// Leave headroom so the count within one millisecond rarely wraps.
		g.lo = binary.BigEndian.Uint64(b[2:10]) & (1<<61 - 1)
	} else {
		g.lo++
		if g.lo >= 1<<62 {
			g.lo = 0
			g.hi++
			if g.hi > 0x0fff {
				g.hi = 0
				g.lastMs++
			}
		}
	}
	var u [16]byte
	binary.BigEndian.PutUint64(u[0:8], uint64(g.lastMs)<<16|0x7000|uint64(g.hi))
	binary.BigEndian.PutUint64(u[8:16], 0x8000000000000000|g.lo)
	return prefix + base62(u), nil
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62 encodes 16 bytes as exactly 22 base62 digits, most significant
// first.
func base62(u [16]byte) string {
	hi := binary.BigEndian.Uint64(u[0:8])
	lo := binary.BigEndian.Uint64(u[8:16])
	var out [22]byte
	for i := 21; i >= 0; i-- {
		// 128-bit division by 62, one 64-bit half at a time.
		qhi := hi / 62
		r := hi % 62
		// (r<<64 | lo) / 62 without overflow: split lo in two 32-bit halves.
		t := r<<32 | lo>>32
		q1 := t / 62
		r = t % 62
		t = r<<32 | lo&0xffffffff
		q0 := t / 62
		r = t % 62
		hi, lo = qhi, q1<<32|q0
		out[i] = base62Alphabet[r]
	}
	return string(out[:])
}
