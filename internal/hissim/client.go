package hissim

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gongshang/internal/his"
)

// Client is one institution's HIS talking to the server. It is safe for
// concurrent use. The zero value of HTTP and Now mean http.DefaultClient
// and time.Now.
type Client struct {
	BaseURL string
	Inst    FixtureInstitution
	HTTP    *http.Client
	Now     func() time.Time
	// Opter and OpterName go into every envelope (default "HISSIM", "模拟经办人").
	Opter, OpterName string

	serialOnce sync.Once
	serial     atomic.Uint32

	signMu  sync.Mutex // one 9001 at a time
	mu      sync.Mutex
	signNo  string // from 9001
	insuplc string // from the last 1101
}

// StatusError is an HTTP answer other than 200: 401 for a failed
// signature, 413 for a body over 4 MiB.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return "hissim: HTTP " + strconv.Itoa(e.Code) + ": " + e.Body
}

// ErrUnauthorized and ErrTooLarge match a *StatusError of 401 and 413 with errors.Is.
var (
	ErrUnauthorized = errors.New("hissim: signature refused (401)")
	ErrTooLarge     = errors.New("hissim: body too large (413)")
)

// Is lets errors.Is(err, ErrUnauthorized) and ErrTooLarge match.
func (e *StatusError) Is(target error) bool {
	return (target == ErrUnauthorized && e.Code == http.StatusUnauthorized) ||
		(target == ErrTooLarge && e.Code == http.StatusRequestEntityTooLarge)
}

// Refusal is an envelope answered with infcode other than 0.
type Refusal struct {
	Infno   string
	Infcode int
	ErrMsg  string
}

func (e *Refusal) Error() string { return "hissim: " + e.Infno + " refused: " + e.ErrMsg }

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// NextMsgid returns a new msgid by the convention fixmedins_code +
// yyyyMMddHHmmss + 4-digit serial. The serial starts at a random value, so
// a restarted client does not repeat the msgids of its previous run.
func (c *Client) NextMsgid() string {
	c.serialOnce.Do(func() {
		var b [4]byte
		_, _ = rand.Read(b[:])
		c.serial.Store(binary.BigEndian.Uint32(b[:]) % 10000)
	})
	n := c.serial.Add(1) % 10000
	b := make([]byte, 0, len(c.Inst.FixmedinsCode)+18)
	b = append(b, c.Inst.FixmedinsCode...)
	b = c.now().In(his.CST).AppendFormat(b, his.MsgidTimeLayout)
	b = append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
	return string(b)
}

// SignNo is the sign_no of the last 9001, or "".
func (c *Client) SignNo() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.signNo
}

// Call sends input as transaction infno with a new msgid and decodes the
// answer's output into out (if not nil) when infcode is 0. A refusal is a
// *Refusal, an HTTP status other than 200 a *StatusError; the envelope is
// returned whenever one was read. A successful 9001 sets the sign_no and a
// successful 1101 the insuplc_admdvs of later envelopes.
func (c *Client) Call(ctx context.Context, infno string, input, out any) (his.Response, error) {
	return c.CallMsgid(ctx, infno, c.NextMsgid(), input, out)
}

// CallMsgid is Call with a chosen msgid, to resend a request.
func (c *Client) CallMsgid(ctx context.Context, infno, msgid string, input, out any) (his.Response, error) {
	c.mu.Lock()
	insuplc := c.insuplc
	c.mu.Unlock()
	resp, err := c.call(ctx, infno, msgid, insuplc, input, out)
	if err == nil && infno == his.InfnoPerson {
		var p his.PersonOutput
		if json.Unmarshal(resp.Output, &p) == nil && len(p.Insuinfo) > 0 {
			c.mu.Lock()
			c.insuplc = p.Insuinfo[0].InsuplcAdmdvs
			c.mu.Unlock()
		}
	}
	return resp, err
}

// call sends one envelope with the given insuplc_admdvs.
func (c *Client) call(ctx context.Context, infno, msgid, insuplc string, input, out any) (his.Response, error) {
	body, err := c.envelope(infno, msgid, insuplc, input)
	if err != nil {
		return his.Response{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+his.Path, bytes.NewReader(body))
	if err != nil {
		return his.Response{}, fmt.Errorf("hissim: %s: %w", infno, err)
	}
	c.sign(req.Header)
	res, err := c.httpClient().Do(req)
	if err != nil {
		return his.Response{}, fmt.Errorf("hissim: %s: %w", infno, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return his.Response{}, fmt.Errorf("hissim: %s: reading the answer: %w", infno, err)
	}
	if res.StatusCode != http.StatusOK {
		return his.Response{}, &StatusError{Code: res.StatusCode, Body: string(raw)}
	}
	return c.answer(infno, raw, out)
}

func (c *Client) answer(infno string, raw []byte, out any) (his.Response, error) {
	var resp his.Response
	if err := json.Unmarshal(raw, &resp); err != nil {
		return his.Response{}, fmt.Errorf("hissim: %s: the answer is not an envelope: %w", infno, err)
	}
	if resp.Infcode != his.InfcodeOK {
		return resp, &Refusal{Infno: infno, Infcode: resp.Infcode, ErrMsg: resp.ErrMsg}
	}
	if out != nil {
		if err := json.Unmarshal(resp.Output, out); err != nil {
			return resp, fmt.Errorf("hissim: %s: output: %w", infno, err)
		}
	}
	if infno == his.InfnoSignIn {
		var s his.SignInOutput
		if json.Unmarshal(resp.Output, &s) == nil && s.Signinoutb.SignNo != "" {
			c.mu.Lock()
			c.signNo = s.Signinoutb.SignNo
			c.mu.Unlock()
		}
	}
	return resp, nil
}

func (c *Client) envelope(infno, msgid, insuplc string, input any) ([]byte, error) {
	in := json.RawMessage(`{}`)
	if input != nil {
		b, err := json.Marshal(input)
		if err != nil {
			return nil, fmt.Errorf("hissim: %s: input: %w", infno, err)
		}
		in = b
	}
	opter, name := c.Opter, c.OpterName
	if opter == "" {
		opter, name = "HISSIM", "模拟经办人"
	}
	env := his.Request{
		Infno: infno, Msgid: msgid, MdtrtareaAdmvs: c.Inst.Admvs, InsuplcAdmdvs: insuplc,
		RecerSysCode: "GSHIS", Infver: "V1.0", OpterType: "1", Opter: opter, OpterName: name,
		InfTime: his.FormatDateTime(c.now()), FixmedinsCode: c.Inst.FixmedinsCode,
		FixmedinsName: c.Inst.FixmedinsName, SignNo: c.SignNo(), Input: in,
	}
	return json.Marshal(env)
}

// sign sets the gateway headers: paasid, timestamp, nonce and signature.
func (c *Client) sign(h http.Header) {
	ts := strconv.FormatInt(c.now().Unix(), 10)
	var b [16]byte
	_, _ = rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set(his.HeaderPaasID, c.Inst.Paasid)
	h.Set(his.HeaderTimestamp, ts)
	h.Set(his.HeaderNonce, nonce)
	h.Set(his.HeaderSignature, his.Sign(ts, c.Inst.Token, nonce))
}

// SignIn sends 9001 unless the client has a sign_no already, and returns it.
func (c *Client) SignIn(ctx context.Context) (string, error) {
	s, _, err := c.signIn(ctx)
	return s, err
}

// signIn also reports whether it sent a 9001.
func (c *Client) signIn(ctx context.Context) (string, bool, error) {
	c.signMu.Lock()
	defer c.signMu.Unlock()
	if s := c.SignNo(); s != "" {
		return s, false, nil
	}
	in := his.SignInInput{SignIn: his.SignInData{OpterNo: "HISSIM", Mac: "02-00-00-00-00-01", IP: "127.0.0.1"}}
	var out his.SignInOutput
	if _, err := c.Call(ctx, his.InfnoSignIn, in, &out); err != nil {
		return "", true, err
	}
	if out.Signinoutb.SignNo == "" {
		return "", true, errors.New("hissim: 9001 answered without sign_no")
	}
	return out.Signinoutb.SignNo, true, nil
}
