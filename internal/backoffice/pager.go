package backoffice

import (
	"net/http"
	"strconv"

	"gongshang/internal/store"
	"gongshang/internal/web"
)

const pageSize = 50

// pager links the pages of a list, keeping the other query parameters.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

// pageOf reads ?page= (1-based) into a store window.
func pageOf(r *http.Request) (store.Page, error) {
	p, err := web.QueryInt(r, "page", 1)
	if err != nil {
		return store.Page{}, err
	}
	p = max(p, 1)
	return store.Page{Offset: (p - 1) * pageSize, Limit: pageSize}, nil
}

func newPager(r *http.Request, pg store.Page, total int) pager {
	cur := pg.Offset/pageSize + 1
	pages := max(1, (total+pageSize-1)/pageSize)
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	p := pager{Page: cur, Pages: pages}
	if cur > 1 {
		p.Prev = link(cur - 1)
	}
	if cur < pages {
		p.Next = link(cur + 1)
	}
	return p
}
