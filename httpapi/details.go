package httpapi

import "sync"

// detailCache keeps the encoded data of asset details (GET
// /v1/assets/{id}) by asset id, with the business that owns the asset and
// the store's version of the detail they were read at
// (assetmint.AssetDetails.Version). A GET reads the version alone, one
// point read, and answers from here when it matches, so the statement that
// reads the detail and the encoding of it, most of a GET's cost, happen
// once per change of the asset, not on every read.
//
// It is current with several processes or instances on one database
// because the store moves the version in the statement of every change to
// the detail, whoever makes it (assetmint.AssetDetailsReader's contract,
// checked by storetest's VersionMovesWithEveryChangeToTheDetail): a
// version read after a change commits differs from every version a detail
// was read at before it. Bounded by maxCachedDetails entries and
// maxCachedDetailBytes of data (a detail with its valuation report is a few
// kilobytes; one with many documents more); emptied when full.
type detailCache struct {
	mu    sync.Mutex
	m     map[string]cachedDetail
	bytes int // the data held
}

type cachedDetail struct {
	businessID string
	version    int64
	data       []byte
}

const (
	maxCachedDetails     = 1024
	maxCachedDetailBytes = 8 << 20
)

func newDetailCache() *detailCache {
	return &detailCache{m: map[string]cachedDetail{}}
}

// get returns the data kept for the business's asset at version.
func (c *detailCache) get(businessID, id string, version int64) ([]byte, bool) {
	c.mu.Lock()
	d, ok := c.m[id]
	c.mu.Unlock()
	if !ok || d.businessID != businessID || d.version != version {
		return nil, false
	}
	return d.data, true
}

// put keeps data as the business's asset's detail at version, unless a
// later version is kept already (a slower reader of an older detail does
// not replace a newer one).
func (c *detailCache) put(businessID, id string, version int64, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.m[id]
	if ok && old.businessID == businessID && old.version > version {
		return
	}
	if len(data) > maxCachedDetailBytes/8 {
		return // one detail never takes much of the room
	}
	c.bytes -= len(old.data)
	if len(c.m) >= maxCachedDetails || c.bytes+len(data) > maxCachedDetailBytes {
		clear(c.m)
		c.bytes = 0
	}
	c.m[id] = cachedDetail{businessID: businessID, version: version, data: data}
	c.bytes += len(data)
}
