package assetmint

import (
	"errors"
	"fmt"
)

// ListParams pages through a list, newest first. Ids are time-ordered, so
// the cursor is an object id: StartingAfter returns the page older than it,
// EndingBefore the page newer than it.
//
// A cursor must name an object in the list's scope: the business's (for
// the business lists), the asset's or the endpoint's (for its valuations or
// deliveries), any at all (for the operator's lists across businesses). A
// list's filter (a status, the deleted endpoints a list leaves out) is not
// part of its scope: an object that left the filter since the page that
// named it, such as a loan repaid while a client pages through the funded
// ones, still works as a cursor. A cursor outside the scope is an error
// (ErrCursorNotFound from the store, EINVALID naming the parameter from the
// Engine), never a silent page from wherever the id would sort.
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

// cursor is the one cursor p uses and its wire name; "" when none.
func (p ListParams) cursor() (param, id string) {
	switch {
	case p.StartingAfter != "":
		return "starting_after", p.StartingAfter
	case p.EndingBefore != "":
		return "ending_before", p.EndingBefore
	}
	return "", ""
}

// Page is one page of a list.
type Page[T any] struct {
	Items   []T
	HasMore bool // more items exist beyond this page in the direction paged
}

// readPage validates p and reads one page through fetch, reporting a
// cursor outside the list (ErrCursorNotFound) as EINVALID naming its
// parameter and any other store failure as EINTERNAL: the one shape of
// every Engine list method. Errors fetch returns on its own account (the
// parent of a nested list is ENOTFOUND) pass through.
func readPage[T any](p ListParams, what string, fetch func(ListParams) (Page[T], error)) (Page[T], error) {
	if err := p.Validate(); err != nil {
		return Page[T]{}, err
	}
	page, err := fetch(p)
	if errors.Is(err, ErrCursorNotFound) {
		param, id := p.cursor()
		return Page[T]{}, &Error{Code: EINVALID, Param: param, Err: err,
			Message: fmt.Sprintf("%s %q is not the id of any of the %s in this list", param, id, what)}
	}
	if err != nil {
		return page, internal(err, "list "+what)
	}
	return page, nil
}
