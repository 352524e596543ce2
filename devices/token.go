package devices

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

const (
	tokenVersion = "v1"
	secretLen    = 32 // 256 bits from crypto/rand
	// maxTokenLen bounds what is decoded at all: two ids of MaxIDLength plus the secret.
	maxTokenLen = len(tokenVersion) + 3 + 2*((MaxIDLength*4+2)/3) + (secretLen*4+2)/3
)

var b64 = base64.RawURLEncoding.Strict()

// token is a parsed session token.
type token struct {
	user, device string
	digest       [sha256.Size]byte // SHA-256 of the secret: what the store keeps
}

// newToken draws a fresh secret and returns the token text and its parsed form.
func newToken(user, device string) (string, token, error) {
	var secret [secretLen]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", token{}, fmt.Errorf("devices: random secret: %w", err)
	}
	text := tokenVersion + "." + b64.EncodeToString([]byte(user)) + "." +
		b64.EncodeToString([]byte(device)) + "." + b64.EncodeToString(secret[:])
	return text, token{user: user, device: device, digest: sha256.Sum256(secret[:])}, nil
}

// parseToken decodes a token without contacting the server; every failure matches ErrInvalidToken.
// The ids it returns are not checked yet (Store.parseToken does).
func parseToken(text string) (token, error) {
	if len(text) > maxTokenLen {
		return token{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, maxTokenLen)
	}
	// Only the token's alphabet: the decoder below refuses every other byte but CR and LF, which Go's
	// base64 decoders skip, so that a token with line breaks inside would be the same token.
	if strings.IndexByte(text, '\r') >= 0 || strings.IndexByte(text, '\n') >= 0 {
		return token{}, fmt.Errorf("%w: line break inside", ErrInvalidToken)
	}
	parts := strings.Split(text, ".")
	if len(parts) != 4 || parts[0] != tokenVersion {
		return token{}, fmt.Errorf("%w: not a %s token", ErrInvalidToken, tokenVersion)
	}
	user, err1 := b64.DecodeString(parts[1])
	device, err2 := b64.DecodeString(parts[2])
	secret, err3 := b64.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil {
		return token{}, fmt.Errorf("%w: bad encoding", ErrInvalidToken)
	}
	if len(secret) != secretLen {
		return token{}, fmt.Errorf("%w: secret of %d bytes, want %d", ErrInvalidToken, len(secret), secretLen)
	}
	return token{user: string(user), device: string(device), digest: sha256.Sum256(secret)}, nil
}

// parseToken is parseToken with the ids checked as the store checks ids it is given (errors match
// both ErrInvalidToken and ErrBadID).
func (s *Store) parseToken(text string) (token, error) {
	tok, err := parseToken(text)
	if err != nil {
		return token{}, err
	}
	if err := s.checkIDs(tok.user, tok.device); err != nil {
		return token{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return tok, nil
}
