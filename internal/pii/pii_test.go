package pii

import (
	"bytes"
	"testing"
)

func TestSealOpenHash(t *testing.T) {
	c, err := New(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealed := c.Seal("370811199001011234")
	if bytes.Contains(sealed, []byte("370811")) {
		t.Fatal("sealed value contains the plain text")
	}
	got, err := c.Open(sealed)
	if err != nil || got != "370811199001011234" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if !bytes.Equal(c.Hash("a"), c.Hash("a")) || bytes.Equal(c.Hash("a"), c.Hash("b")) {
		t.Fatal("hash must be deterministic and distinguish values")
	}
	other, _ := New(NewKey())
	if _, err := other.Open(sealed); err == nil {
		t.Fatal("another key must not open the value")
	}
	if _, err := New("short"); err == nil {
		t.Fatal("a bad key must be refused")
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ got, want string }{
		{MaskID("370811199001011234"), "370811********1234"},
		{MaskPhone("13812345678"), "138****5678"},
		{MaskAccount("6222021234567890123"), "6222***********0123"},
		{MaskID(""), ""},
		{MaskPhone("123"), "***"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
