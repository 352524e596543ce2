package exhash_test

import (
	"context"
	"math"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

type unitCmd interface {
	Args() []any
	Err() error
	Raw() *redis.Cmd
}

type (
	unitSet    = exhash.ExHSetArgs
	unitIncr   = exhash.ExHIncrArgs
	unitExpire = exhash.ExHExpireArgs
)

var (
	unitT0       = time.Unix(1700000000, 0)
	uctx         = context.Background()
	unitEncCases = []struct {
		name string
		run  func(c *exhash.Client) unitCmd
		want []any
	}{
		{"set", func(c *exhash.Client) unitCmd { return c.ExHSet(uctx, "k", "f", "v") },
			[]any{"exhset", "k", "f", "v"}},
		{"set nil args", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", nil) },
			[]any{"exhset", "k", "f", "v"}},
		{"set zero args", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", &unitSet{}) },
			[]any{"exhset", "k", "f", "v"}},
		{"set EX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(10*time.Second))
		}, []any{"exhset", "k", "f", "v", "EX", "10"}},
		{"set PX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(1500*time.Millisecond))
		}, []any{"exhset", "k", "f", "v", "PX", "1500"}},
		{"set PX rounds a sub-ms remainder up", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(1001*time.Microsecond))
		}, []any{"exhset", "k", "f", "v", "PX", "2"}},
		{"set PX below 1ms", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(time.Nanosecond))
		}, []any{"exhset", "k", "f", "v", "PX", "1"}},
		{"set EXAT", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().ExAt(unitT0))
		}, []any{"exhset", "k", "f", "v", "EXAT", "1700000000"}},
		{"set PXAT in milliseconds", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().PxAt(unitT0.Add(123*time.Millisecond)))
		}, []any{"exhset", "k", "f", "v", "PXAT", "1700000000123"}},
		{"set PXAT rounds up", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().PxAt(unitT0.Add(123*time.Millisecond+1)))
		}, []any{"exhset", "k", "f", "v", "PXAT", "1700000000124"}},
		{"set PXAT epoch", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().PxAt(time.Unix(0, 0)))
		}, []any{"exhset", "k", "f", "v", "PXAT", "0"}},
		{"set KEEPTTL", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().KeepTTL())
		}, []any{"exhset", "k", "f", "v", "KEEPTTL"}},
		{"set NX", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Nx()) },
			[]any{"exhset", "k", "f", "v", "NX"}},
		{"set XX", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Xx()) },
			[]any{"exhset", "k", "f", "v", "XX"}},
		{"set VER 0", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ver(0)) },
			[]any{"exhset", "k", "f", "v", "VER", "0"}},
		{"set ABS", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Abs(5)) },
			[]any{"exhset", "k", "f", "v", "ABS", "5"}},
		{"set GT", func(c *exhash.Client) unitCmd { return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Gt(7)) },
			[]any{"exhset", "k", "f", "v", "GT", "7"}},
		{"set everything", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Xx().Ex(time.Minute).Ver(3))
		}, []any{"exhset", "k", "f", "v", "EX", "60", "XX", "VER", "3"}},
		{"set same option twice: last wins", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(time.Second).Px(2*time.Second).Abs(1).Abs(2))
		}, []any{"exhset", "k", "f", "v", "PX", "2000", "ABS", "2"}},
		{"setnx", func(c *exhash.Client) unitCmd { return c.ExHSetNx(uctx, "k", "f", "v") },
			[]any{"exhsetnx", "k", "f", "v"}},
		{"mset", func(c *exhash.Client) unitCmd { return c.ExHMSet(uctx, "k", map[string]string{"f": "v"}) },
			[]any{"exhmset", "k", "f", "v"}},
		{"msetwithopts", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k",
				exhash.ExHMSetWithOptsArgs{}.New().Field("a").Value("1").SetExp(5*time.Second),
				exhash.ExHMSetWithOptsArgs{}.New().Field("b").Value("2").SetVer(3).SetExp(time.Hour))
		}, []any{"exhmsetwithopts", "k", "a", "1", "0", "5", "b", "2", "3", "3600"}},
		{"incrby", func(c *exhash.Client) unitCmd { return c.ExHIncrBy(uctx, "k", "f", -3) },
			[]any{"exhincrby", "k", "f", "-3"}},
		{"incrby all options", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Px(250*time.Millisecond).Gt(9).Min(-5).Max(5))
		}, []any{"exhincrby", "k", "f", "1", "PX", "250", "GT", "9", "MIN", "-5", "MAX", "5"}},
		{"incrby ABS keeps its own value", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Abs(4).KeepTTL())
		}, []any{"exhincrby", "k", "f", "1", "KEEPTTL", "ABS", "4"}},
		{"incrby VER EXAT", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Ver(2).ExAt(unitT0))
		}, []any{"exhincrby", "k", "f", "1", "EXAT", "1700000000", "VER", "2"}},
		{"incrby PXAT EX-last", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().PxAt(unitT0))
		}, []any{"exhincrby", "k", "f", "1", "PXAT", "1700000000000"}},
		{"incrby EX", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Ex(2*time.Second))
		}, []any{"exhincrby", "k", "f", "1", "EX", "2"}},
		{"incrby MIN = MAX", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Min(3).Max(3))
		}, []any{"exhincrby", "k", "f", "1", "MIN", "3", "MAX", "3"}},
		{"incrbyfloat", func(c *exhash.Client) unitCmd { return c.ExHIncrByFloat(uctx, "k", "f", 1.5) },
			[]any{"exhincrbyfloat", "k", "f", "1.5"}},
		{"incrbyfloat tiny", func(c *exhash.Client) unitCmd { return c.ExHIncrByFloat(uctx, "k", "f", 1e-7) },
			[]any{"exhincrbyfloat", "k", "f", "1e-07"}},
		{"incrbyfloat bounds", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", 0.25, unitIncr{}.New().MinFloat(math.Inf(-1)).MaxFloat(2.5).Abs(3))
		}, []any{"exhincrbyfloat", "k", "f", "0.25", "ABS", "3", "MIN", "-Inf", "MAX", "2.5"}},
		{"incrbyfloat integer bounds", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", -1, unitIncr{}.New().Min(0).Max(10))
		}, []any{"exhincrbyfloat", "k", "f", "-1", "MIN", "0", "MAX", "10"}},
		{"del", func(c *exhash.Client) unitCmd { return c.ExHDel(uctx, "k", "a", "b") },
			[]any{"exhdel", "k", "a", "b"}},
		{"delwithver", func(c *exhash.Client) unitCmd {
			return c.ExHDelWithVer(uctx, "k", exhash.FieldVersion{Field: "a", Version: 0}, exhash.FieldVersion{Field: "b", Version: 4})
		}, []any{"exhdelwithver", "k", "a", "0", "b", "4"}},
		{"get", func(c *exhash.Client) unitCmd { return c.ExHGet(uctx, "k", "f") }, []any{"exhget", "k", "f"}},
		{"getwithver", func(c *exhash.Client) unitCmd { return c.ExHGetWithVer(uctx, "k", "f") },
			[]any{"exhgetwithver", "k", "f"}},
		{"mget", func(c *exhash.Client) unitCmd { return c.ExHMGet(uctx, "k", "a", "b") },
			[]any{"exhmget", "k", "a", "b"}},
		{"mgetwithver", func(c *exhash.Client) unitCmd { return c.ExHMGetWithVer(uctx, "k", "a") },
			[]any{"exhmgetwithver", "k", "a"}},
		{"len", func(c *exhash.Client) unitCmd { return c.ExHLen(uctx, "k") }, []any{"exhlen", "k"}},
		{"len noexp", func(c *exhash.Client) unitCmd { return c.ExHLenNoExp(uctx, "k") },
			[]any{"exhlen", "k", "NOEXP"}},
		{"exists", func(c *exhash.Client) unitCmd { return c.ExHExists(uctx, "k", "f") }, []any{"exhexists", "k", "f"}},
		{"strlen", func(c *exhash.Client) unitCmd { return c.ExHStrLen(uctx, "k", "f") }, []any{"exhstrlen", "k", "f"}},
		{"keys", func(c *exhash.Client) unitCmd { return c.ExHKeys(uctx, "k") }, []any{"exhkeys", "k"}},
		{"vals", func(c *exhash.Client) unitCmd { return c.ExHVals(uctx, "k") }, []any{"exhvals", "k"}},
		{"getall", func(c *exhash.Client) unitCmd { return c.ExHGetAll(uctx, "k") }, []any{"exhgetall", "k"}},
		{"getallwithver", func(c *exhash.Client) unitCmd { return c.ExHGetAllWithVer(uctx, "k") },
			[]any{"exhgetallwithver", "k"}},
		{"scan", func(c *exhash.Client) unitCmd { return c.ExHScan(uctx, "k", 0) }, []any{"exhscan", "k", "0"}},
		{"scan options", func(c *exhash.Client) unitCmd {
			return c.ExHScanArgs(uctx, "k", math.MaxUint64, exhash.ExHScanArgs{}.New().Match("a*").Count(20))
		}, []any{"exhscan", "k", "18446744073709551615", "MATCH", "a*", "COUNT", "20"}},
		{"scan empty match", func(c *exhash.Client) unitCmd {
			return c.ExHScanArgs(uctx, "k", 5, exhash.ExHScanArgs{}.New().Match(""))
		}, []any{"exhscan", "k", "5", "MATCH", ""}},
		{"pexpire", func(c *exhash.Client) unitCmd { return c.ExHPExpire(uctx, "k", "f", 1500*time.Millisecond) },
			[]any{"exhpexpire", "k", "f", "1500"}},
		{"pexpire VER", func(c *exhash.Client) unitCmd {
			return c.ExHPExpireArgs(uctx, "k", "f", time.Second, unitExpire{}.New().Ver(2))
		}, []any{"exhpexpire", "k", "f", "1000", "VER", "2"}},
		{"expire", func(c *exhash.Client) unitCmd { return c.ExHExpire(uctx, "k", "f", 2*time.Second) },
			[]any{"exhexpire", "k", "f", "2"}},
		{"expire ABS", func(c *exhash.Client) unitCmd {
			return c.ExHExpireArgs(uctx, "k", "f", time.Minute, unitExpire{}.New().Abs(8))
		}, []any{"exhexpire", "k", "f", "60", "ABS", "8"}},
		{"pexpireat", func(c *exhash.Client) unitCmd { return c.ExHPExpireAt(uctx, "k", "f", unitT0.Add(5*time.Millisecond)) },
			[]any{"exhpexpireat", "k", "f", "1700000000005"}},
		{"pexpireat GT", func(c *exhash.Client) unitCmd {
			return c.ExHPExpireAtArgs(uctx, "k", "f", unitT0, unitExpire{}.New().Gt(3))
		}, []any{"exhpexpireat", "k", "f", "1700000000000", "GT", "3"}},
		{"expireat", func(c *exhash.Client) unitCmd { return c.ExHExpireAt(uctx, "k", "f", unitT0) },
			[]any{"exhexpireat", "k", "f", "1700000000"}},
		{"expireat VER", func(c *exhash.Client) unitCmd {
			return c.ExHExpireAtArgs(uctx, "k", "f", unitT0, unitExpire{}.New().Ver(0))
		}, []any{"exhexpireat", "k", "f", "1700000000", "VER", "0"}},
		{"persist", func(c *exhash.Client) unitCmd { return c.ExHPersist(uctx, "k", "f") }, []any{"exhpersist", "k", "f"}},
		{"ttl", func(c *exhash.Client) unitCmd { return c.ExHTTL(uctx, "k", "f") }, []any{"exhttl", "k", "f"}},
		{"pttl", func(c *exhash.Client) unitCmd { return c.ExHPTTL(uctx, "k", "f") }, []any{"exhpttl", "k", "f"}},
		{"ver", func(c *exhash.Client) unitCmd { return c.ExHVer(uctx, "k", "f") }, []any{"exhver", "k", "f"}},
		{"setver", func(c *exhash.Client) unitCmd { return c.ExHSetVer(uctx, "k", "f", 9) },
			[]any{"exhsetver", "k", "f", "9"}},
	}
)

func TestEncoding(t *testing.T) {
	for _, tc := range unitEncCases {
		t.Run(tc.name, func(t *testing.T) {
			c, be := unitClient(t)
			cmd := tc.run(c)
			if len(be.calls) != 1 {
				t.Fatalf("backend got %d calls, want 1 (err %v)", len(be.calls), cmd.Err())
			}
			if !reflect.DeepEqual(be.calls[0], tc.want) {
				t.Fatalf("sent %q\nwant %q", be.calls[0], tc.want)
			}
			if !reflect.DeepEqual(cmd.Args(), tc.want) || cmd.Raw() == nil {
				t.Fatalf("Args() = %q, Raw() = %v", cmd.Args(), cmd.Raw())
			}
		})
	}
}

// Map iteration order is random, so EXHMSET with several pairs is checked as a set of pairs.
func TestEncodingMSetPairs(t *testing.T) {
	c, be := unitClient(t)
	in := map[string]string{"a": "1", "b": "2", "c": ""}
	c.ExHMSet(uctx, "k", in)
	got := be.calls[0]
	if len(got) != 8 || got[0] != "exhmset" || got[1] != "k" {
		t.Fatalf("sent %q", got)
	}
	var pairs []string
	for i := 2; i < len(got); i += 2 {
		if in[got[i].(string)] != got[i+1] {
			t.Fatalf("pair %q %q not in input", got[i], got[i+1])
		}
		pairs = append(pairs, got[i].(string))
	}
	sort.Strings(pairs)
	if !reflect.DeepEqual(pairs, []string{"a", "b", "c"}) {
		t.Fatalf("fields %q", pairs)
	}
}

// The native backend must hand the same arguments to go-redis unchanged.
func TestNativePassesArgumentsThrough(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	c := exhash.NewClient(rdb)
	if c.Backend().Name() != "tairhash" {
		t.Fatalf("default backend %q", c.Backend().Name())
	}
	p := c.Pipeline()
	defer p.Discard()
	cmd := p.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().PxAt(unitT0))
	want := []any{"exhset", "k", "f", "v", "PXAT", "1700000000000"}
	if !reflect.DeepEqual(cmd.Raw().Args(), want) || p.Len() != 1 {
		t.Fatalf("queued %q (len %d)", cmd.Raw().Args(), p.Len())
	}
}
