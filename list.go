package assetmint

// ListParams pages through a list, newest first. Ids are time-ordered, so
// the cursor is an object id: StartingAfter returns the page older than it,
// EndingBefore the page newer than it.
type ListParams struct {
	Limit         int    // 1..100; 0 means 10
	StartingAfter string // an id from the previous page's last item
	EndingBefore  string // an id from the previous page's first item
}

// Default and maximum page sizes.
const (
	DefaultListLimit = 10
	MaxListLimit     = 100
)

// Validate checks the params and fills the default limit.
func (p *ListParams) Validate() error {
	switch {
	case p.Limit == 0:
		p.Limit = DefaultListLimit
	case p.Limit < 1 || p.Limit > MaxListLimit:
		return FieldError("limit", "limit must be between 1 and %d", MaxListLimit)
	}
	if p.StartingAfter != "" && p.EndingBefore != "" {
		return FieldError("ending_before", "starting_after and ending_before cannot be used together")
	}
	return nil
}

// Page is one page of a list.
type Page[T any] struct {
	Items   []T
	HasMore bool // more items exist beyond this page in the direction paged
}

// readPage validates p and reads one page through fetch, reporting a store
// failure as EINTERNAL: the one shape of every Engine list method.
func readPage[T any](p ListParams, what string, fetch func(ListParams) (Page[T], error)) (Page[T], error) {
	if err := p.Validate(); err != nil {
		return Page[T]{}, err
	}
	page, err := fetch(p)
	if err != nil {
		return page, internal(err, "list "+what)
	}
	return page, nil
}
