// Command tair-go-port is tair-go's TairHash example program ported to this library: only the
// import lines differ from the tair-go original (tair-go's tair package became tairgo, go-redis
// v8 became v9). It expects a server at 127.0.0.1:6379, as the original did; that server may be
// Tair, stock Redis 7+/Valkey 8 (Lua emulation) or Redis 8 (hash-field expiration).
package main

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
	tair "github.com/tairhash-go/tairhash/tairgo"
)

var ctx = context.Background()

var tairClient *tair.TairClient // shared by the whole program

var ip = "127.0.0.1"

func init() {
	tairClient = tair.NewTairClient(&redis.Options{
		Addr:     ip + ":" + "6379",
		Password: "", // none
		DB:       0,  // the default database
	})
}

// ExampleTairHash writes two fields of one hash and reads them back.
func ExampleTairHash() {
	err := tairClient.ExHSet(ctx, "h-k-1", "f-1", "v-1").Err()
	if err != nil {
		fmt.Println(err.Error())
		panic(err)
	}
	err = tairClient.ExHSet(ctx, "h-k-1", "f-2", "v-2").Err()
	if err != nil {
		fmt.Println(err.Error())
	}
	val, err := tairClient.ExHGet(ctx, "h-k-1", "f-1").Result()
	if err != nil {
		fmt.Println(err.Error())
		panic(err)
	}
	fmt.Println("key", val)
	val, err = tairClient.ExHGet(ctx, "h-k-1", "f-2").Result()
	if err != nil {
		fmt.Println(err.Error())
		panic(err)
	}
	fmt.Println("key", val)
}

func main() {
	ExampleTairHash()
}
