package exhash_test

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// offlineClient uses the native backend on a go-redis client whose address refuses connections, so
// any command that is actually sent fails with a dial error.
func offlineClient(t *testing.T) *exhash.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = rdb.Close() })
	return exhash.NewClient(rdb)
}

func TestTxPipelinedWithARefusalSendsNothing(t *testing.T) {
	c := offlineClient(t)
	var good *exhash.SetCmd
	var plain *redis.StatusCmd
	cmds, err := c.TxPipelined(uctx, func(p exhash.Pipeliner) error {
		good = p.ExHSet(uctx, "k", "f", "v")
		plain = p.Set(uctx, "s", "1", 0)
		p.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Nx().Xx())
		return nil
	})
	if !errors.Is(err, exhash.ErrInvalidArgument) || !errors.Is(err, exhash.ErrSyntax) {
		t.Fatalf("err = %v; want the refusal (a dial error would mean something was sent)", err)
	}
	if len(cmds) != 2 {
		t.Fatalf("got %d commands back, want the 2 queued ones", len(cmds))
	}
	if !errors.Is(good.Err(), exhash.ErrInvalidArgument) || !errors.Is(plain.Err(), exhash.ErrInvalidArgument) {
		t.Fatalf("queued commands must carry the abort: %v / %v", good.Err(), plain.Err())
	}
}

func TestPipelinedWithARefusalSendsTheRest(t *testing.T) {
	c := offlineClient(t)
	p := c.Pipeline()
	p.ExHDel(uctx, "k") // refused: no fields
	get := p.ExHGet(uctx, "k", "f")
	if p.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (the refused command is not queued)", p.Len())
	}
	_, err := p.Exec(uctx)
	if err == nil || errors.Is(err, exhash.ErrInvalidArgument) {
		t.Fatalf("err = %v; want the dial error of the command that was sent", err)
	}
	if get.Err() == nil || errors.Is(get.Err(), exhash.ErrInvalidArgument) {
		t.Fatalf("EXHGET err = %v", get.Err())
	}
}

func TestPipelinedFnErrorSendsNothing(t *testing.T) {
	c := offlineClient(t)
	boom := errors.New("boom")
	cmds, err := c.Pipelined(uctx, func(p exhash.Pipeliner) error {
		p.ExHSet(uctx, "k", "f", "v")
		return boom
	})
	if err != boom || cmds != nil {
		t.Fatalf("got %v, %v", cmds, err)
	}
}

func TestDiscardForgetsRefusals(t *testing.T) {
	c := offlineClient(t)
	p := c.TxPipeline()
	p.ExHSetVer(uctx, "k", "f", 0) // refused
	p.Discard()
	_, err := p.Exec(uctx)
	if err != nil {
		t.Fatalf("empty pipeline after Discard: %v", err)
	}
}

// Typed results are decoded lazily from the go-redis command: what Exec stores is what Result reads.
func TestTypedResultsReadAfterExec(t *testing.T) {
	c := offlineClient(t)
	pipe := c.Redis().Pipeline()
	defer pipe.Discard()
	cs := c.On(pipe)
	set := cs.ExHSetArgs(uctx, "k", "f", "v", unitSet{}.New().Px(time.Second))
	plain := pipe.Incr(uctx, "counter")
	ttl := cs.ExHPTTL(uctx, "k", "f")
	if pipe.Len() != 3 {
		t.Fatalf("Len = %d, want typed and plain commands in one pipeline", pipe.Len())
	}
	// What a successful Exec does to each queued command:
	set.Raw().SetVal(int64(1))
	plain.SetVal(1)
	ttl.Raw().SetVal(int64(999))
	if got := set.Val(); got != exhash.SetCreated {
		t.Fatalf("set = %v", got)
	}
	if got := ttl.Val(); got.TTL != 999*time.Millisecond || !got.HasTTL() {
		t.Fatalf("ttl = %+v", got)
	}
}
