package conformance

// §7 expiry notifications: channel tairhash@<db>@<key>__:expired, payload = field name, one message
// per expired field removed, none for explicit removal, overwrite, EXHPERSIST or DEL of the key.
// Keys keep a persistent field so that nothing but the field itself can expire.

import "github.com/tairhash-go/tairhash/exhash/driver"

var notifyScenarios = []scenario{
	{"notify/read-removes-expired-field", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "keep", "1"),
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(nil, "exhget", k, "f"),
		)
		sub.expect("f")
	}},
	{"notify/short-ttl", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "keep", "1"),
			r(1, "exhset", k, "f", "v", "px", "50"),
		)
		e.fieldGone(k, "f")
		if e.target.UnnamedServerExpiry {
			sub.expectNothingBefore(k) // a documented difference, not a wrong name
			return
		}
		sub.expect("f")
	}},
	{"notify/walk", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r("OK", "exhmset", k, "keep", "1", "a", "1", "b", "1"),
			r(1, "exhpexpire", k, "a", "0"),
			r(1, "exhpexpire", k, "b", "0"),
			r(pairs("keep", "1"), "exhgetall", k),
		)
		sub.expect("a", "b")
	}},
	{"notify/scan", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r("OK", "exhmset", k, "keep", "1", "a", "1"),
			r(1, "exhpexpire", k, "a", "0"),
		)
		e.wantScan(k, map[string]string{"keep": "1"})
		sub.expect("a")
	}},
	{"notify/exhdel-of-expired-field", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "keep", "1"),
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(0, "exhdel", k, "f"),
		)
		sub.expect("f")
	}},
	{"notify/write-path", func(e *env) {
		// The write that finds the expired field removes it and publishes. On the module the key
		// holds nothing else (a second field would crash it, D1); elsewhere a persistent field
		// stays so that the key is not reclaimed as a whole.
		k := e.key("k")
		sub := e.subscribe(k)
		if !e.module {
			e.want(1, "exhset", k, "keep", "1")
		}
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(1, "exhset", k, "g", "v"),
		)
		sub.expect("f")
	}},
	{"notify/background", func(e *env) {
		// The module's timer publishes for fields nobody reads, also when they were the key's
		// last fields. docs/architecture.md lets the Lua backend reclaim such a key with a
		// key-level expiry, which publishes nothing, so this is not yet asked of our backends.
		e.onlyOnModule("this project's backends reclaim a key whose every field expired with a key-level expiry, silently")
		k := e.key("k")
		sub := e.subscribe(k)
		e.want("OK", "exhmsetwithopts", k, "a", "1", "0", "0", "b", "2", "0", "0")
		sub.expect("a", "b")
		e.wantExists(k, false, "the background expirer deleted the emptied key")
	}},
	{"notify/none-for-explicit-removal", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r("OK", "exhmset", k, "a", "1", "b", "1", "c", "1"),
			r(1, "exhpexpire", k, "a", "100000"),
			r(1, "exhdel", k, "a"),
			r(1, "exhdelwithver", k, "b", "0"),
		)
		sub.expectNothingBefore(k)
	}},
	{"notify/none-for-overwrite-persist-del", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "a", "1", "px", "100000"),
			r(0, "exhset", k, "a", "2", "px", "100000"),
			r(0, "exhset", k, "a", "3"),
			r(1, "exhpexpire", k, "a", "100000"),
			r(1, "exhpersist", k, "a"),
			r("OK", "exhmset", k, "a", "4"),
			r(1, "exhsetver", k, "a", "9"),
		)
		e.native("del", k)
		sub.expectNothingBefore(k)
	}},
	{"notify/none-for-del-of-key-with-expired-field", func(e *env) {
		k := e.key("k")
		sub := e.subscribe(k)
		pipe := e.target.Client.TxPipeline()
		ctx := driver.InTransaction(e.ctx)
		e.target.Backend.Do(ctx, pipe, "exhset", k, "keep", "1")
		e.target.Backend.Do(ctx, pipe, "exhset", k, "f", "v", "px", "0")
		del := pipe.Del(e.ctx, k)
		if _, err := e.exec(pipe, true); err != nil {
			e.t.Fatalf("MULTI exhset, exhset, DEL: %v", err)
		}
		if del.Val() != 1 {
			e.t.Fatalf("DEL %s = %d, want 1", k, del.Val())
		}
		sub.expectNothingBefore(k)
	}},
	{"notify/binary-field-name", func(e *env) {
		k := e.key("k")
		field := "\x00f\xff\xfe \r\n"
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "keep", "1"),
			r(1, "exhset", k, field, "v", "px", "0"),
			r(0, "exhexists", k, field),
		)
		sub.expect(field)
	}},
	{"notify/only-on-the-key-channel", func(e *env) {
		k, other := e.key("k"), e.key("other")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", other, "keep", "1"),
			r(1, "exhset", other, "f", "v", "px", "0"),
			r(nil, "exhget", other, "f"),
		)
		sub.expectNothingBefore(k)
	}},
}
