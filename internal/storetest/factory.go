package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

var serial atomic.Int64

// CreditCode returns a valid, unique 统一社会信用代码 in region.
func CreditCode(region string) string {
	n := serial.Add(1)
	s := fmt.Sprintf("91%s%09d", region, 100000000+n%900000000)
	return s + string(registry.CreditCodeCheckChar(s))
}

// IDNumber returns a valid, unique 身份证号码 born on birth (YYYYMMDD).
func IDNumber(region, birth string) string {
	n := serial.Add(1)
	s := fmt.Sprintf("%s%s%03d", region, birth, n%1000)
	return s + string(registry.IDCheckChar(s))
}

// Actor is a staff principal of role in region (no user row needed for
// store calls).
func Actor(role access.Role, region string) access.Principal {
	return access.Principal{UserID: 1, Username: string(role) + "-" + region, Kind: access.KindStaff, Role: role, RegionCode: region}
}

// MustEmployer registers an employer in region.
func MustEmployer(t testing.TB, s *store.Store, region string) registry.Employer {
	t.Helper()
	e := registry.Employer{CreditCode: CreditCode(region), Name: "济宁测试机械有限公司" + fmt.Sprint(serial.Add(1)),
		RegionCode: region, Industry: "34", RiskClass: 4, RateTierPct: 100, ContactPhone: "13953712345"}
	if err := s.CreateEmployer(context.Background(), Actor(access.RoleClerk, region), &e); err != nil {
		t.Fatalf("MustEmployer: %v", err)
	}
	return e
}

// MustWorker registers a worker employed by e.
func MustWorker(t testing.TB, s *store.Store, e registry.Employer, name string) registry.Worker {
	t.Helper()
	w := registry.Worker{IDNumber: IDNumber(e.RegionCode, "19880315"), Name: name, Phone: "13812345678",
		BankName: "中国工商银行济宁分行", BankAccount: "6222021608001234567", RegionCode: e.RegionCode}
	emp := registry.Employment{EmployerID: e.ID, Start: "2020-07-01"}
	if err := s.CreateWorker(context.Background(), Actor(access.RoleClerk, e.RegionCode), &w, &emp); err != nil {
		t.Fatalf("MustWorker: %v", err)
	}
	return w
}
