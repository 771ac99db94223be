package hissim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// JSON sends a signed plain-JSON request (the audit endpoints beside the
// envelope interface: GET /fsi/api/audit/findings, POST
// /fsi/api/audit/findings/{id}/reply) with in as the body (none when nil)
// and decodes a 200 answer into out (if not nil). Any other status is a
// *StatusError with the answer's body.
func (c *Client) JSON(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("hissim: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return fmt.Errorf("hissim: %s %s: %w", method, path, err)
	}
	c.sign(req.Header)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("hissim: %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("hissim: %s %s: reading the answer: %w", method, path, err)
	}
	if res.StatusCode != http.StatusOK {
		return &StatusError{Code: res.StatusCode, Body: string(raw)}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("hissim: %s %s: the answer: %w", method, path, err)
		}
	}
	return nil
}
