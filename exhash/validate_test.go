package exhash_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/exhash"
)

func TestValidationRefusesWithoutRoundTrip(t *testing.T) {
	far := time.Unix(math.MaxInt64/1000, 0) // its millisecond count overflows int64
	tuple := func() *exhash.ExHMSetWithOptsArgs { return exhash.ExHMSetWithOptsArgs{}.New().Field("f").Value("v") }
	cases := []struct {
		name string
		run  func(c *exhash.Client) unitCmd
		also error  // sentinel the server would have answered with, or nil
		text string // part of the message
	}{
		{"EX with PX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(time.Second).Px(time.Second))
		}, exhash.ErrSyntax, "EX and PX"},
		{"PX with EXAT", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(time.Second).ExAt(unitT0))
		}, exhash.ErrSyntax, "mutually exclusive"},
		{"KEEPTTL with EX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().KeepTTL().Ex(time.Second))
		}, exhash.ErrSyntax, "KEEPTTL and EX"},
		{"PXAT with KEEPTTL", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().PxAt(unitT0).KeepTTL())
		}, exhash.ErrSyntax, "KEEPTTL"},
		{"NX with XX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Nx().Xx())
		}, exhash.ErrSyntax, "NX and XX"},
		{"VER with ABS", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ver(1).Abs(2))
		}, exhash.ErrSyntax, "VER and ABS"},
		{"ABS with GT", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Abs(1).Gt(2))
		}, exhash.ErrSyntax, "mutually exclusive"},
		{"GT with VER on expire", func(c *exhash.Client) unitCmd {
			return c.ExHPExpireArgs(uctx, "k", "f", time.Second, unitExpire{}.New().Gt(1).Ver(2))
		}, exhash.ErrSyntax, "mutually exclusive"},
		{"ABS 0", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Abs(0))
		}, exhash.ErrSyntax, "at least 1"},
		{"GT 0", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", 1, unitIncr{}.New().Gt(0))
		}, exhash.ErrSyntax, "at least 1"},
		{"ABS 0 on expire", func(c *exhash.Client) unitCmd {
			return c.ExHExpireAtArgs(uctx, "k", "f", unitT0, unitExpire{}.New().Abs(0))
		}, exhash.ErrSyntax, "at least 1"},
		{"negative VER", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ver(-1))
		}, exhash.ErrSyntax, "negative"},
		{"negative EX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(-time.Second))
		}, exhash.ErrSyntax, "positive"},
		{"zero EX", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(0))
		}, nil, "expire it at once"},
		{"zero PX", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Px(0))
		}, nil, "positive"},
		{"EX with a fraction", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(1500*time.Millisecond))
		}, nil, "whole seconds"},
		{"EX of one nanosecond (tair-go's Ex(1))", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Ex(1))
		}, nil, "did you mean 1*time.Second?"},
		{"EXAT with a fraction", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().ExAt(unitT0.Add(time.Millisecond)))
		}, nil, "whole seconds"},
		{"EXAT before the epoch", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().ExAt(time.Time{}))
		}, exhash.ErrSyntax, "epoch"},
		{"PXAT overflowing", func(c *exhash.Client) unitCmd {
			return c.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().PxAt(far))
		}, nil, "overflows"},
		{"EXAT overflowing", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().ExAt(far))
		}, nil, "overflows"},
		{"MIN above MAX", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().Min(5).Max(4))
		}, exhash.ErrMinMax, "bigger than MAX"},
		{"MinFloat above MaxFloat", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", 1, unitIncr{}.New().MinFloat(0.5).MaxFloat(0.25))
		}, exhash.ErrMinMax, "bigger than MAX"},
		{"mixed bounds MIN above MAX", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", 1, unitIncr{}.New().Min(1).MaxFloat(0.5))
		}, exhash.ErrMinMax, "bigger than MAX"},
		{"float bound on EXHINCRBY", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByArgs(uctx, "k", "f", 1, unitIncr{}.New().MaxFloat(2))
		}, exhash.ErrMinMax, "EXHINCRBYFLOAT only"},
		{"NaN bound", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloatArgs(uctx, "k", "f", 1, unitIncr{}.New().MinFloat(math.NaN()))
		}, exhash.ErrMinMax, "NaN"},
		{"NaN increment", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloat(uctx, "k", "f", math.NaN())
		}, exhash.ErrNotFloat, "NaN"},
		{"infinite increment", func(c *exhash.Client) unitCmd {
			return c.ExHIncrByFloat(uctx, "k", "f", math.Inf(1))
		}, exhash.ErrOverflow, "infinite"},
		{"empty EXHMSET", func(c *exhash.Client) unitCmd {
			return c.ExHMSet(uctx, "k", nil)
		}, nil, "no fields"},
		{"empty EXHMSETWITHOPTS", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k")
		}, nil, "no fields"},
		{"tuple without SetExp", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k", tuple())
		}, nil, "no SetExp"},
		{"tuple SetExp with a fraction", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k", tuple().SetExp(time.Second), tuple().SetExp(1500*time.Millisecond))
		}, nil, "whole seconds"},
		{"tuple negative SetExp", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k", tuple().SetExp(-time.Second))
		}, exhash.ErrSyntax, "positive"},
		{"tuple negative version", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k", tuple().SetExp(time.Second).SetVer(-1))
		}, exhash.ErrSyntax, "negative"},
		{"nil tuple", func(c *exhash.Client) unitCmd {
			return c.ExHMSetWithOpts(uctx, "k", nil)
		}, nil, "nil tuple"},
		{"EXHDEL without fields", func(c *exhash.Client) unitCmd {
			return c.ExHDel(uctx, "k")
		}, exhash.ErrArity, "no fields"},
		{"EXHMGET without fields", func(c *exhash.Client) unitCmd {
			return c.ExHMGet(uctx, "k")
		}, exhash.ErrArity, "no fields"},
		{"EXHMGETWITHVER without fields", func(c *exhash.Client) unitCmd {
			return c.ExHMGetWithVer(uctx, "k")
		}, exhash.ErrArity, "no fields"},
		{"EXHDELWITHVER without fields", func(c *exhash.Client) unitCmd {
			return c.ExHDelWithVer(uctx, "k")
		}, exhash.ErrArity, "no fields"},
		{"EXHDELWITHVER negative version", func(c *exhash.Client) unitCmd {
			return c.ExHDelWithVer(uctx, "k", exhash.FieldVersion{Field: "a", Version: -2})
		}, nil, "negative"},
		{"EXHSETVER 0", func(c *exhash.Client) unitCmd {
			return c.ExHSetVer(uctx, "k", "f", 0)
		}, exhash.ErrSyntax, "at least 1"},
		{"EXHEXPIRE with a fraction", func(c *exhash.Client) unitCmd {
			return c.ExHExpire(uctx, "k", "f", 1500*time.Millisecond)
		}, nil, "(use the millisecond form)"},
		{"EXHEXPIRE of a bare integer (tair-go's seconds)", func(c *exhash.Client) unitCmd {
			return c.ExHExpire(uctx, "k", "f", 5)
		}, nil, "did you mean 5*time.Second?"},
		{"EXHEXPIRE 0", func(c *exhash.Client) unitCmd {
			return c.ExHExpire(uctx, "k", "f", 0)
		}, nil, "positive"},
		{"EXHPEXPIRE negative", func(c *exhash.Client) unitCmd {
			return c.ExHPExpire(uctx, "k", "f", -time.Millisecond)
		}, exhash.ErrSyntax, "positive"},
		{"EXHEXPIREAT with a fraction", func(c *exhash.Client) unitCmd {
			return c.ExHExpireAt(uctx, "k", "f", unitT0.Add(time.Nanosecond))
		}, nil, "whole seconds"},
		{"EXHPEXPIREAT before the epoch", func(c *exhash.Client) unitCmd {
			return c.ExHPExpireAt(uctx, "k", "f", time.Unix(-1, 0))
		}, exhash.ErrSyntax, "epoch"},
		{"EXHPEXPIREAT overflowing", func(c *exhash.Client) unitCmd {
			return c.ExHPExpireAt(uctx, "k", "f", far)
		}, nil, "overflows"},
		{"negative COUNT", func(c *exhash.Client) unitCmd {
			return c.ExHScanArgs(uctx, "k", 0, exhash.ExHScanArgs{}.New().Count(-1))
		}, nil, "COUNT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, be := unitClient(t)
			cmd := tc.run(c)
			err := cmd.Err()
			if len(be.calls) != 0 {
				t.Fatalf("sent %q; want a refusal before any round trip", be.calls)
			}
			if cmd.Raw() != nil {
				t.Fatal("a refused command must not carry a go-redis command")
			}
			if !errors.Is(err, exhash.ErrInvalidArgument) {
				t.Fatalf("err = %v, want ErrInvalidArgument", err)
			}
			if tc.also != nil && !errors.Is(err, tc.also) {
				t.Fatalf("err = %v, want it to match %v too", err, tc.also)
			}
			if !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "exhash: ") {
				t.Fatalf("err = %q, want it to mention %q", err, tc.text)
			}
			for _, other := range []error{exhash.ErrStaleVersion, exhash.ErrWrongType, exhash.ErrReservedKey} {
				if errors.Is(err, other) {
					t.Fatalf("err = %v matches unrelated %v", err, other)
				}
			}
		})
	}
}

// A refusal must not be mistaken for a server reply.
func TestRefusalIsNotAServerError(t *testing.T) {
	c, _ := unitClient(t)
	err := c.ExHSetVer(uctx, "k", "f", -1).Err()
	var se *exhash.Error
	if errors.As(err, &se) {
		t.Fatalf("refusal %v decoded as a server error", err)
	}
	if _, verr := c.ExHSetVer(uctx, "k", "f", -1).Result(); verr == nil {
		t.Fatal("Result lost the refusal")
	}
	if v := c.ExHSetVer(uctx, "k", "f", -1).Val(); v {
		t.Fatal("Val of a refused command must be the zero value")
	}
}
