package web

import "net/http"

// probes is the shared surface of liveness, readiness and metrics: public,
// plain text, no body.
func (s *Server) probes() *Surface {
	return &Surface{Name: "probes", MaxBodyBytes: 1 << 10, Fail: s.failText, Routes: []Route{
		{Pattern: "GET /healthz", H: s.healthz},
		{Pattern: "GET /readyz", H: s.readyz},
		{Pattern: "GET /metrics", H: s.metricsMain},
	}}
}

func (s *Server) failText(w http.ResponseWriter, r *http.Request, rq *Request, err error) {
	status, e := Public(s.log, r, rq, err)
	http.Error(w, e.Error(), status)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ *Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *Request) error {
	if err := s.ready(r.Context()); err != nil {
		s.log.Warn("not ready", "error", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ready\n"))
	return err
}
