package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/assetmint/assetmint"
)

// pageSize is how many rows a list page shows.
const pageSize = 25

// listParams reads a list's cursor from the query.
func listParams(r *http.Request) assetmint.ListParams {
	q := r.URL.Query()
	return assetmint.ListParams{Limit: pageSize, StartingAfter: q.Get("starting_after"), EndingBefore: q.Get("ending_before")}
}

// pager holds the links to the pages next to a list's page: query strings,
// "" where there is no page.
type pager struct {
	Newer, Older string
}

// pagerOf links the pages next to page, which p read; keep are the query
// parameters the links keep (the filter).
func pagerOf[T any](page assetmint.Page[T], p assetmint.ListParams, id func(T) string, keep url.Values) pager {
	var pg pager
	if len(page.Items) == 0 {
		return pg
	}
	link := func(param, cursor string) string {
		q := url.Values{}
		for k, v := range keep {
			if len(v) > 0 && v[0] != "" {
				q.Set(k, v[0])
			}
		}
		q.Set(param, cursor)
		return "?" + q.Encode()
	}
	first, last := id(page.Items[0]), id(page.Items[len(page.Items)-1])
	if p.EndingBefore != "" {
		// Paged back: the page we came from is older; newer ones exist if
		// the store said so.
		pg.Older = link("starting_after", last)
		if page.HasMore {
			pg.Newer = link("ending_before", first)
		}
		return pg
	}
	if page.HasMore {
		pg.Older = link("starting_after", last)
	}
	if p.StartingAfter != "" {
		pg.Newer = link("ending_before", first)
	}
	return pg
}

// names finds businesses' names for a page, reading each business once.
type names struct {
	op    *assetmint.Operator
	ctx   context.Context
	known map[string]string
}

func (h *handler) names(r *http.Request) *names {
	return &names{op: h.op, ctx: r.Context(), known: map[string]string{}}
}

// of is the name of the business, or its id if it cannot be read.
func (n *names) of(id string) string {
	if name, ok := n.known[id]; ok {
		return name
	}
	name := id
	if b, err := n.op.Business(n.ctx, id); err == nil {
		name = b.Name
	}
	n.known[id] = name
	return name
}

// tab is one entry of a list's status filter.
type tab struct {
	Label, Query string
	Count        int
	Current      bool
}
