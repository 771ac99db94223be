package web

import (
	"net"
	"net/http"
)

// ClientAddr is the address a request came from, for the login throttle:
// the TCP peer, never a header a client can set (X-Forwarded-For is
// trusted only behind a proxy that is configured to set it, which
// gongshang has no setting for yet).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
