package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gongshang/internal/demo"
	"gongshang/internal/his"
	"gongshang/internal/hissim"
	"gongshang/internal/settlement"
	"gongshang/internal/storetest"
)

// TestSettleKillAfterCommit kills the real server with SIGKILL after a
// 2304 has committed and before its answer is written (the crashhook
// build's GONGSHANG_CRASH_AFTER_COMMIT), restarts it without the hook on
// the same data, and resends the same message as a HIS does after a
// timeout: the answer carries a setl_id, the same on every resend, and the
// database holds exactly one valid settlement of the bill — on SQLite, and
// on PostgreSQL when GONGSHANG_TEST_DATABASE_URL is set.
func TestSettleKillAfterCommit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	bin := buildCrashBinary(t)
	for _, eng := range []struct {
		name string
		url  func(t *testing.T, dir string) string
	}{
		{"sqlite", func(t *testing.T, dir string) string { return filepath.Join(dir, "gongshang.db") }},
		{"postgres", func(t *testing.T, _ string) string { return storetest.PostgresSchemaURL(t) }},
	} {
		t.Run(eng.name, func(t *testing.T) {
			dir := t.TempDir()
			testKillAfterCommit(t, bin, dir, eng.url(t, dir))
		})
	}
}

// buildCrashBinary builds gongshang with the crash hook compiled in.
func buildCrashBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gongshang-crashhook")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goTool, "build", "-tags", "crashhook", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the crashhook binary: %v\n%s", err, out)
	}
	return bin
}

// server is one running gongshang process.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error // the process's exit
	out  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var startedRe = regexp.MustCompile(`gongshang 已启动：(http://\S+)`)

// startServer runs `gongshang demo` on dir and url with the extra
// environment and waits for its address.
func startServer(t *testing.T, bin, dir, url string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, "demo", "--data", dir, "--database", url, "--listen", "127.0.0.1:0", "--scale", "0.05")
	cmd.Env = append(os.Environ(), append([]string{"GONGSHANG_WORKERS=off", "GONGSHANG_LOG_LEVEL=warn"}, env...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1), out: &syncBuffer{}}
	cmd.Stderr = s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.out.Write(append(sc.Bytes(), '\n'))
			if m := startedRe.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case s.url = <-addr:
	case err := <-s.done:
		s.done <- err
		t.Fatalf("gongshang exited before listening: %v\n%s", err, s.out)
	case <-time.After(2 * time.Minute):
		t.Fatalf("gongshang did not start in 2 minutes\n%s", s.out)
	}
	return s
}

// recorder keeps the body of the last request a HIS client sent.
type recorder struct {
	mu   sync.Mutex
	last []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last = b
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(b))
	return http.DefaultTransport.RoundTrip(req)
}

func testKillAfterCommit(t *testing.T, bin, dir, url string) {
	ctx := context.Background()
	// The demo and its test environment, loaded by the binary itself.
	fixtures := exec.Command(bin, "demo", "fixtures", "--data", dir, "--database", url, "--scale", "0.05")
	fixtures.Env = append(os.Environ(), "GONGSHANG_WORKERS=off")
	var stderr bytes.Buffer
	fixtures.Stderr = &stderr
	raw, err := fixtures.Output()
	if err != nil {
		t.Fatalf("demo fixtures: %v\n%s", err, stderr.String())
	}
	fx, err := hissim.ParseFixtures(raw)
	if err != nil {
		t.Fatal(err)
	}
	var df demo.Fixtures
	if err := json.Unmarshal(raw, &df); err != nil {
		t.Fatal(err)
	}
	p := fx.PersonsOf(hissim.KindRecognized)[0]
	var inst hissim.FixtureInstitution
	for _, d := range df.Institutions {
		if d.Admvs == p.TreatAdmvs && d.Type == "medical" && d.Status == "active" && inst.Paasid == "" {
			for _, in := range fx.Institutions {
				if in.FixmedinsCode == d.Code {
					inst = in
				}
			}
		}
	}
	if inst.Paasid == "" {
		t.Fatalf("no active medical institution in %s", p.TreatAdmvs)
	}

	// The flow up to 2304, which kills the server after its commit.
	srv := startServer(t, bin, dir, url, "GONGSHANG_CRASH_AFTER_COMMIT="+his.InfnoSettle)
	rec := &recorder{}
	c := &hissim.Client{BaseURL: srv.url, Inst: inst, HTTP: &http.Client{Transport: rec, Timeout: 30 * time.Second}}
	res, err := c.Flow(ctx, p, 12, fx.CoveredItems("drug", "item", "material"))
	var ref *hissim.Refusal
	var se *hissim.StatusError
	if err == nil || errors.As(err, &ref) || errors.As(err, &se) || !strings.Contains(err.Error(), "at "+his.InfnoSettle) {
		t.Fatalf("the flow: %v; want the connection to drop at 2304", err)
	}
	select {
	case werr := <-srv.done:
		var ee *exec.ExitError
		if !errors.As(werr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("the server ended with %v, want SIGKILL\n%s", werr, srv.out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server still runs after the 2304")
	}
	rec.mu.Lock()
	body := rec.last
	rec.mu.Unlock()
	var sent his.Request
	if err := json.Unmarshal(body, &sent); err != nil || sent.Infno != his.InfnoSettle || sent.Msgid == "" {
		t.Fatalf("the last request sent: %v %.200s", err, body)
	}

	// Restarted without the hook, the same message twice: one setl_id.
	srv = startServer(t, bin, dir, url)
	var ids []string
	for i := range 2 {
		out := resend(t, srv.url, inst, body)
		if out.Setlinfo.SetlID == "" || out.Setlinfo.MdtrtID != res.MdtrtID || out.Setlinfo.MedfeeSumamt != res.Medfee {
			t.Fatalf("resend %d answered %+v (flow %s, medfee %s)", i+1, out.Setlinfo, res.MdtrtID, res.Medfee)
		}
		ids = append(ids, out.Setlinfo.SetlID)
	}
	if ids[0] != ids[1] {
		t.Errorf("two resends of msgid %s answered setl_id %s and %s", sent.Msgid, ids[0], ids[1])
	}
	// A new msgid for the same bill is refused: it is settled.
	c = &hissim.Client{BaseURL: srv.url, Inst: inst}
	if _, err := c.Call(ctx, his.InfnoPerson, his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p.Certno,
		PsnCertType: "01", Certno: p.Certno}}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(ctx, his.InfnoSettle, settleOf(p, res), nil)
	wantRefusal(t, "2304 with a new msgid after the restart", err, "已结算")

	// The database: one valid settlement of the encounter, the one answered.
	driver, dsn := "sqlite", url
	if strings.HasPrefix(url, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The demo's own traffic may have settled other stays there: only
	// this flow's encounter counts.
	rows, err := db.QueryContext(ctx, `SELECT s.id, s.treat_region, s.state, s.msgid FROM settlements s JOIN institutions i ON i.id = s.institution_id
		WHERE i.code = $1 AND s.kind = 'settle' AND s.encounter_id = $2`, inst.FixmedinsCode, encounterID(t, res.MdtrtID))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var region, state, msgid string
		if err := rows.Scan(&id, &region, &state, &msgid); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s", settlement.SetlID(region, id), state, msgid))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if want := ids[0] + " valid " + sent.Msgid; len(got) != 1 || got[0] != want {
		t.Errorf("settlements of %s's stay %s: %q, want only %q", inst.FixmedinsCode, res.MdtrtID, got, want)
	}
}

// encounterID is the encounter's id in an mdtrt_id (region, 1, 11 digits).
func encounterID(t *testing.T, mdtrtID string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(mdtrtID[len(mdtrtID)-11:], 10, 64)
	if err != nil || len(mdtrtID) != 18 {
		t.Fatalf("mdtrt_id %q", mdtrtID)
	}
	return id
}

// resend posts a recorded envelope again with fresh signature headers, as
// a HIS resends after a timeout, and decodes the 2304 answer.
func resend(t *testing.T, base string, inst hissim.FixtureInstitution, body []byte) his.SettleOutput {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+his.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	var b [16]byte
	_, _ = rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header.Set(his.HeaderPaasID, inst.Paasid)
	req.Header.Set(his.HeaderTimestamp, ts)
	req.Header.Set(his.HeaderNonce, nonce)
	req.Header.Set(his.HeaderSignature, his.Sign(ts, inst.Token, nonce))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var env his.Response
	if res.StatusCode != http.StatusOK || json.Unmarshal(raw, &env) != nil || env.Infcode != his.InfcodeOK {
		t.Fatalf("resend: HTTP %d %s", res.StatusCode, raw)
	}
	var out his.SettleOutput
	if err := json.Unmarshal(env.Output, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
