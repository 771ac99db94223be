package backoffice

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/storetest"
)

// Every role's home page shows the figures and tasks its permissions
// allow, each linked, and the region's chart holds only its own regions.
func TestHomePerRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	for _, role := range access.Roles {
		t.Run(string(role), func(t *testing.T) {
			user := string(role) + "-370881"
			p := e.Users[user].Principal()
			resp := e.Login(user).Do("GET", "/", "", nil)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(b)
			if resp.StatusCode != 200 {
				t.Fatalf("home: %d", resp.StatusCode)
			}
			for perm, want := range map[access.Permission][]string{
				access.PermRegistryRead:  {`href="/employers"`, `id="stat-employers">1<`, `id="chart-regions"`, `href="/workers?region=370881"`},
				access.PermAuditRead:     {`href="/audit"`},
				access.PermRegistryWrite: {`href="/employers/new"`},
				access.PermUsersManage:   {`href="/users"`},
				access.PermBenefitCalc:   {`href="/calc"`},
			} {
				for _, w := range want {
					if got := strings.Contains(page, w); got != p.Can(perm) {
						t.Errorf("%s: page has %s = %v, but Can(%s) = %v", role, w, got, perm, p.Can(perm))
					}
				}
			}
			if strings.Contains(page, "任城区") || strings.Contains(page, "region=370811") {
				t.Error("曲阜's home page shows 任城区")
			}
			if !strings.Contains(page, `id="todo-empty"`) && !strings.Contains(page, `id="todo"`) {
				t.Error("no to-do section")
			}
			if len(casebundle.QueueKinds(role)) > 0 && !strings.Contains(page, "我的待办 <b>0</b> 件") {
				t.Errorf("%s: no queue figures on the home page", role)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 12: "12", 999: "999", 1000: "1,000", 34555: "34,555", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBarChartEscapesAndScales(t *testing.T) {
	t.Parallel()
	svg := string(barChart("c1", "职工<按地区>", []bar{{"任城区", 200, "/workers?region=370811&x=1"}, {"<b>", 100, ""}}))
	for _, want := range []string{`<title id="c1">职工&lt;按地区&gt;</title>`, `width="420"`, `width="210"`, `&lt;b&gt;`, `href="/workers?region=370811&amp;x=1"`, `200</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<b>") {
		t.Error("a label is not escaped")
	}
}

// The home page's figures are counted once per scope and TTL, then anew.
func TestHomeCountsReusedForTTL(t *testing.T) {
	t.Parallel()
	clock := storetest.NewClock()
	s := storetest.OpenSQLite(t, clock)
	var h homeCounts
	scope := access.ScopeOf("370811")
	insured := func() int {
		c, err := h.get(context.Background(), s, scope, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rc := range c.counts {
			n += rc.Employers
		}
		return n
	}
	if n := insured(); n != 0 {
		t.Fatalf("empty store counts %d employers", n)
	}
	storetest.MustEmployer(t, s, "370811")
	if n := insured(); n != 0 {
		t.Fatalf("within the TTL the count changed to %d", n)
	}
	clock.T = clock.T.Add(homeCountsTTL + time.Second)
	if n := insured(); n != 1 {
		t.Fatalf("after the TTL: %d employers, want 1", n)
	}
}
