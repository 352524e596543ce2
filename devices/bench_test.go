package devices

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Benchmarks: Login and Validate per backend, side by side with the pattern this package replaces
// (one string per device, SET user:device token EX ttl, plus a per-user set indexing the devices)
// on the same server. Run: go test -run X -bench . -benchtime 2s ./devices/

const benchUsers = 1000

type benchTarget struct {
	name string
	c    *exhash.Client
	pfx  string
}

func benchTargets(b *testing.B) []benchTarget {
	r7, r8 := testserver.Redis7(b), testserver.Redis8(b)
	hfe := emulate.NewHFE()
	// As tairhash.Open does: with the function library loaded, pipelined commands (Login, Logout)
	// do not carry the script text.
	if err := hfe.Load(context.Background(), r8.Client(b)); err != nil {
		b.Fatal(err)
	}
	out := []benchTarget{
		{"redis7-lua", exhash.NewClient(r7.Client(b), exhash.WithBackend(emulate.NewLua())), r7.Prefix(b)},
		{"redis8-hfe", exhash.NewClient(r8.Client(b), exhash.WithBackend(hfe)), r8.Prefix(b)},
	}
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		mod := redis.NewClient(&redis.Options{Addr: addr, DB: 3})
		b.Cleanup(func() { _ = mod.Close() })
		out = append(out, benchTarget{"module", exhash.NewClient(mod), r7.Prefix(b)})
	}
	return out
}

func BenchmarkValidate(b *testing.B) {
	ctx := context.Background()
	for _, tg := range benchTargets(b) {
		s, err := New(tg.c, Options{Prefix: tg.pfx + "v:"})
		if err != nil {
			b.Fatal(err)
		}
		toks := make([]string, benchUsers)
		for i := range toks {
			if toks[i], _, err = s.Login(ctx, fmt.Sprint("user", i), "phone"); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(tg.name, func(b *testing.B) {
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Validate(ctx, toks[n.Add(1)%benchUsers]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})

		base := baseline{rdb: tg.c.Redis(), pfx: tg.pfx + "vb:", ttl: DefaultIdleTimeout}
		btoks := make([]string, benchUsers)
		for i := range btoks {
			if btoks[i], err = base.login(ctx, fmt.Sprint("user", i), "phone"); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(tg.name+"-server-baseline", func(b *testing.B) {
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1) % benchUsers
					if err := base.validate(ctx, fmt.Sprint("user", i), "phone", btoks[i]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkLogin(b *testing.B) {
	ctx := context.Background()
	devs := []string{"phone", "laptop", "tablet", "watch"}
	for _, tg := range benchTargets(b) {
		s, err := New(tg.c, Options{Prefix: tg.pfx + "l:"})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tg.name, func(b *testing.B) {
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, _, err := s.Login(ctx, fmt.Sprint("user", i%benchUsers), devs[i%4]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
		base := baseline{rdb: tg.c.Redis(), pfx: tg.pfx + "lb:", ttl: DefaultIdleTimeout}
		b.Run(tg.name+"-server-baseline", func(b *testing.B) {
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := base.login(ctx, fmt.Sprint("user", i%benchUsers), devs[i%4]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// baseline is the string-per-device session store: key prefix+user+":"+device holds the token,
// and prefix+user+":devices" is a set indexing the user's devices (for listing and logout-all).
type baseline struct {
	rdb redis.UniversalClient
	pfx string
	ttl time.Duration
}

func (b baseline) login(ctx context.Context, user, device string) (string, error) {
	var secret [32]byte
	_, _ = rand.Read(secret[:])
	tok := base64.RawURLEncoding.EncodeToString(secret[:])
	_, err := b.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, b.pfx+user+":"+device, tok, b.ttl)
		p.SAdd(ctx, b.pfx+user+":devices", device)
		p.Expire(ctx, b.pfx+user+":devices", b.ttl)
		return nil
	})
	return tok, err
}

func (b baseline) validate(ctx context.Context, user, device, tok string) error {
	got, err := b.rdb.Get(ctx, b.pfx+user+":"+device).Result()
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
		return ErrInvalidToken
	}
	return nil
}

// BenchmarkParseToken is the client-side cost of a validation before the server is asked.
func BenchmarkParseToken(b *testing.B) {
	text, _, err := newToken("user-12345", "phone")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseToken(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateCached is Validate answered from the cache (a Listener runs, every token was
// validated once): no server call, only parsing and the cache lookup.
func BenchmarkValidateCached(b *testing.B) {
	ctx := context.Background()
	srv := testserver.Redis7(b)
	c := exhash.NewClient(srv.Client(b), exhash.WithBackend(emulate.NewLua()))
	s, err := New(c, Options{Prefix: srv.Prefix(b) + "c:", CacheSize: 2 * benchUsers, CacheMaxAge: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	toks := make([]string, benchUsers)
	for i := range toks {
		if toks[i], _, err = s.Login(ctx, fmt.Sprint("user", i), "phone"); err != nil {
			b.Fatal(err)
		}
	}
	// Listening after the logins: whatever they published is not received, and no entry is
	// evicted during the measurement.
	l, err := s.Listen(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for deadline := time.Now().Add(10 * time.Second); s.cache.len() < benchUsers; {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d validations cached", s.cache.len(), benchUsers)
		}
		for _, tok := range toks {
			if _, err := s.Validate(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Validate(ctx, toks[n.Add(1)%benchUsers]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkBroadcast is the cost of one revocation broadcast (one device of one user) reaching a
// cache of 1M validations (1M users, one device each); the entry is put back after each drop.
func BenchmarkBroadcast(b *testing.B) {
	const entries = 1 << 20
	c := newCache(2*entries, time.Hour)
	c.listening.Add(1)
	toks := make([]token, entries)
	sessions := make([]Session, entries)
	exp := time.Now().Add(time.Hour)
	for i := range toks {
		user := fmt.Sprint("user", i)
		toks[i] = token{user: user, device: "phone"}
		binary.BigEndian.PutUint64(toks[i].digest[:], uint64(i))
		sessions[i] = Session{User: user, Device: "phone", Expires: exp}
		c.put(toks[i], sessions[i], c.epoch())
	}
	if c.len() != entries {
		b.Fatalf("%d entries cached", c.len())
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := (i * 7919) % entries
		c.drop(toks[k].user, "phone")
		c.put(toks[k], sessions[k], c.epoch())
	}
}
