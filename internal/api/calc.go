package api

import (
	"io"
	"net/http"

	"gongshang/internal/calc"
	"gongshang/internal/errs"
	"gongshang/internal/web"
)

// apiCalc evaluates the calc JSON contract (one request or an array).
func (s *Server) apiCalc(w http.ResponseWriter, r *http.Request, rq *request) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, calc.MaxRequestBytes+1))
	if err != nil {
		return web.DecodeError(err)
	}
	if len(raw) > calc.MaxRequestBytes {
		return errs.E(errs.TooLarge, "请求内容超过%d字节的上限", calc.MaxRequestBytes)
	}
	if err := web.CheckJSON(raw); err != nil {
		return err
	}
	ans, err := calc.Evaluate(s.params.Set(r.Context()), raw)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, ans)
	return nil
}
