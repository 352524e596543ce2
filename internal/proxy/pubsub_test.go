package proxy

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// RESP2 subscribed mode: confirmations and messages pass through in order, an EXH* command gets the
// error Redis gives any command in that state (under its own name), and the connection leaves the mode
// when the last subscription goes.
func TestSubscribeRESP2(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	sub := dialRaw(t, addr)
	pub := dialRaw(t, addr)

	sub.write(encode(cmd("SUBSCRIBE", p+"a", p+"b"), cmd("PSUBSCRIBE", p+"p*")))
	for i, want := range []string{"subscribe", "subscribe", "psubscribe"} {
		if v := sub.read(); len(v.Elems) != 3 || string(v.Elems[0].Text) != want || v.Elems[2].Int != int64(i+1) {
			t.Fatalf("confirmation %d: %s", i, show(v))
		}
	}
	if n := pub.do(cmd("PUBLISH", p+"a", "hello"))[0]; n.Int != 1 {
		t.Fatalf("PUBLISH reached %d subscribers", n.Int)
	}
	if v := sub.read(); show(v) != "*3\r\n$7\r\nmessage\r\n$"+strconv.Itoa(len(p+"a"))+"\r\n"+p+"a\r\n$5\r\nhello\r\n" {
		t.Fatalf("message: %q", show(v))
	}
	got := sub.do(cmd("PING"), cmd("EXHGET", p+"h", "f"), cmd("GET", p+"x"))
	if show(got[0]) != "*2\r\n$4\r\npong\r\n$0\r\n\r\n" {
		t.Errorf("PING while subscribed: %q", show(got[0]))
	}
	if !strings.HasPrefix(string(got[1].Text), "ERR Can't execute 'exhget': only (P|S)SUBSCRIBE") {
		t.Errorf("EXHGET while subscribed: %q", show(got[1]))
	}
	if !strings.Contains(string(got[2].Text), "Can't execute 'get'") {
		t.Errorf("GET while subscribed: %q", show(got[2]))
	}
	pub.do(cmd("PUBLISH", p+"pattern", "via pattern"))
	if v := sub.read(); len(v.Elems) != 4 || string(v.Elems[0].Text) != "pmessage" || string(v.Elems[3].Text) != "via pattern" {
		t.Fatalf("pattern message: %q", show(v))
	}
	// A bare UNSUBSCRIBE confirms each channel; then the pattern goes; then plain commands work again.
	sub.write(encode(cmd("UNSUBSCRIBE"), cmd("PUNSUBSCRIBE"), cmd("UNSUBSCRIBE")))
	for i, want := range []string{"unsubscribe 2", "unsubscribe 1", "punsubscribe 0", "unsubscribe 0"} {
		v := sub.read()
		if len(v.Elems) != 3 || string(v.Elems[0].Text)+" "+strconv.Itoa(int(v.Elems[2].Int)) != want {
			t.Fatalf("unsubscribe confirmation %d: %q, want %s", i, show(v), want)
		}
	}
	if got := sub.do(cmd("EXHSET", p+"h", "f", "v"), cmd("PING")); got[0].Int != 1 || !got[1].isStatus("PONG") {
		t.Fatalf("after the last unsubscribe: %s %s", show(got[0]), show(got[1]))
	}
}

// RESP3: pushes (messages, confirmations) interleave with replies to ordinary commands, which stay
// allowed while subscribed.
func TestSubscribeRESP3(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	sub := dialRaw(t, addr)
	if v := sub.do(cmd("HELLO", "3"))[0]; v.Kind != '%' {
		t.Fatalf("HELLO 3: %q", show(v))
	}
	sub.write(encode(cmd("SUBSCRIBE", p+"a", p+"b")))
	for i := range 2 {
		if v := sub.read(); v.Kind != '>' || string(v.Elems[0].Text) != "subscribe" {
			t.Fatalf("confirmation %d: %q", i, show(v))
		}
	}
	dialRaw(t, addr).do(cmd("PUBLISH", p+"b", "m1"))
	got := sub.do(cmd("EXHSET", p+"h", "f", "v"), cmd("EXHGET", p+"h", "f"))
	// The message was published before EXHSET was sent, so it comes first.
	if got[0].Kind != '>' || string(got[0].Elems[2].Text) != "m1" {
		t.Fatalf("message: %q", show(got[0]))
	}
	if got[1].Int != 1 {
		t.Fatalf("EXHSET while subscribed: %q", show(got[1]))
	}
	if v := sub.read(); string(v.Text) != "v" {
		t.Fatalf("EXHGET while subscribed: %q", show(v))
	}

	// go-redis' PubSub through the server.
	c := client(t, addr)
	ctx := ctxT(t)
	ps := c.Subscribe(ctx, p+"go")
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Publish(ctx, p+"go", "payload").Err(); err != nil {
		t.Fatal(err)
	}
	msg, err := ps.ReceiveMessage(ctx)
	if err != nil || msg.Payload != "payload" {
		t.Fatalf("go-redis: %v, %v", msg, err)
	}
}

// go-redis in RESP2 (Protocol 2) also gets its messages.
func TestSubscribeGoRedisRESP2(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	c := client(t, addr, func(o *redis.Options) { o.Protocol = 2 })
	ctx := ctxT(t)
	ps := c.PSubscribe(ctx, p+"*")
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	c.Publish(ctx, p+"x", "one")
	msg, err := ps.ReceiveMessage(ctx)
	if err != nil || msg.Payload != "one" || msg.Pattern != p+"*" {
		t.Fatalf("%v, %v", msg, err)
	}
}
