// Package pii protects personal data at rest: ID numbers, phones and bank
// accounts are sealed with AES-256-GCM under a key from configuration, found
// again through a keyed hash (HMAC-SHA256), and shown masked to roles that
// may not see them in full.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Codec seals, opens and hashes personal data.
type Codec struct {
	aead    cipher.AEAD
	hashKey []byte
}

// KeySize is the length of a data key in bytes.
const KeySize = 32

// NewKey returns a fresh random key, base64-encoded as configuration takes it.
func NewKey() string {
	b := make([]byte, KeySize)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// New builds a codec from a base64 key of 32 bytes. The lookup-hash key is
// derived from it so one secret serves both purposes.
func New(keyB64 string) (*Codec, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keyB64))
	if err != nil || len(key) != KeySize {
		return nil, errors.New("pii: data key must be 32 bytes, base64-encoded")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("pii: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("pii: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("gongshang lookup hash v1"))
	return &Codec{aead: aead, hashKey: m.Sum(nil)}, nil
}

// Seal encrypts plain; "" stays empty (nil) so optional fields stay absent.
func (c *Codec) Seal(plain string) []byte {
	if plain == "" {
		return nil
	}
	nonce := make([]byte, c.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return c.aead.Seal(nonce, nonce, []byte(plain), nil)
}

// Open decrypts what Seal produced.
func (c *Codec) Open(sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := c.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("pii: sealed value too short")
	}
	plain, err := c.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", errors.New("pii: cannot decrypt (wrong data key?)")
	}
	return string(plain), nil
}

// Hash is the keyed lookup hash of a value, for exact-match search.
func (c *Codec) Hash(plain string) []byte {
	m := hmac.New(sha256.New, c.hashKey)
	m.Write([]byte(plain))
	return m.Sum(nil)
}

// MaskID shows the six-digit region and the last four characters:
// 370811********1234.
func MaskID(s string) string { return mask(s, 6, 4) }

// MaskPhone shows 138****5678.
func MaskPhone(s string) string { return mask(s, 3, 4) }

// MaskAccount shows the first four and last four digits.
func MaskAccount(s string) string { return mask(s, 4, 4) }

func mask(s string, head, tail int) string {
	if s == "" {
		return ""
	}
	if len(s) <= head+tail {
		return strings.Repeat("*", len(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}
