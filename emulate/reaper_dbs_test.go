package emulate_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// One reaper walks several databases in the order given: within a tick the expired notifications
// of database 0 come before those of 2, then 5, as the module's timer sends them; EXHEXPIREINFO's
// DB detail lines count each database's fields.
func TestReaperDatabasesInOrder(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dbs := []int{5, 2, 0} // written in the reverse order of the walk
	for _, db := range dbs {
		opt := *srv.Options()
		opt.DB = db
		rdb := redis.NewClient(&opt)
		c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua(emulate.WithLuaDatabase(db))))
		for i := range 3 {
			if err := c.ExHSetArgs(ctx, fmt.Sprint("k", i), "f", "v", exhash.ExHSetArgs{}.New().Px(50*time.Millisecond)).Err(); err != nil {
				t.Fatal(err)
			}
		}
		rdb.Close()
	}
	rdb := redis.NewClient(srv.Options())
	defer rdb.Close()
	sub := rdb.PSubscribe(ctx, "tairhash@*")
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	// Wait on the server clock until every field is due; nothing reads them meanwhile.
	due := time.Now().Add(50 * time.Millisecond)
	for {
		now, err := rdb.Time(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if now.After(due.Add(20 * time.Millisecond)) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	r := emulate.NewReaper(rdb, emulate.WithReaperDatabases(0, 2, 5))
	defer r.Close()
	if _, err := r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	var order []string
	for len(order) < 9 {
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil {
			t.Fatalf("after %v: %v", order, err)
		}
		order = append(order, strings.SplitN(msg.Channel, "@", 3)[1])
	}
	if got := strings.Join(order, ","); got != "0,0,0,2,2,2,5,5,5" {
		t.Fatalf("notifications came from databases %s, want 0,0,0,2,2,2,5,5,5", got)
	}
	if got := r.Stats().FieldsReapedByDB; !maps.Equal(got, map[int]int64{0: 3, 2: 3, 5: 3}) {
		t.Fatalf("FieldsReapedByDB = %v", got)
	}
	if info := r.ExpireInfo(); !strings.HasSuffix(info, "\r\n# DB detail statistics\r\n"+
		"db: 0, active_expired_fields: 3, passive_expired_fields: 0\r\n"+
		"db: 2, active_expired_fields: 3, passive_expired_fields: 0\r\n"+
		"db: 5, active_expired_fields: 3, passive_expired_fields: 0\r\n") {
		t.Fatalf("ExpireInfo = %q", info)
	}
}

// WithReaperDatabases needs a client it can make per-database clients from.
func TestReaperDatabasesNeedsSingleNode(t *testing.T) {
	srv := testserver.Cluster(t)
	r := emulate.NewReaper(srv.Client(t), emulate.WithReaperDatabases(0, 1))
	if _, err := r.Tick(t.Context()); err == nil || !strings.Contains(err.Error(), "single-node") {
		t.Fatalf("Tick on a cluster with WithReaperDatabases: %v, want the single-node error", err)
	}
}
