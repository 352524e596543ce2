package exhash

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Expiry notifications: whenever a field is removed because it expired, the server publishes the
// field name on the Pub/Sub channel "tairhash@<db>@<key>__:expired" (independently of
// notify-keyspace-events). Every backend publishes the same channel.

const (
	expiredPrefix = "tairhash@"
	expiredSuffix = "__:expired"
)

// ExpiredChannel returns the channel on which expirations of key's fields in database db are
// published.
func ExpiredChannel(db int, key string) string {
	return expiredPrefix + strconv.Itoa(db) + "@" + key + expiredSuffix
}

// ParseExpiredChannel splits an expiry channel name into database and key; ok is false for any other
// channel.
func ParseExpiredChannel(channel string) (db int, key string, ok bool) {
	rest, found := strings.CutPrefix(channel, expiredPrefix)
	if !found {
		return 0, "", false
	}
	rest, found = strings.CutSuffix(rest, expiredSuffix)
	if !found {
		return 0, "", false
	}
	dbText, key, found := strings.Cut(rest, "@")
	if !found {
		return 0, "", false
	}
	n, err := strconv.Atoi(dbText)
	if err != nil || n < 0 || dbText != strconv.Itoa(n) {
		return 0, "", false
	}
	return n, key, true
}

// ExpiredEvent reports that a field expired and was removed.
type ExpiredEvent struct {
	DB    int
	Key   string
	Field string
}

// ExpiredSubscription receives expiry notifications. It is not safe for concurrent use (except
// Close), like the go-redis PubSub it wraps.
type ExpiredSubscription struct {
	ps *redis.PubSub

	channelOnce sync.Once
	events      chan ExpiredEvent // Channel's, made once: go-redis feeds one channel per PubSub
	closed      chan struct{}     // closed by Close: Channel's goroutine stops even if nobody reads
	closeOnce   sync.Once
}

// SubscribeExpired subscribes to expirations of fields of keys in database db. It returns once the
// server has confirmed every subscription, so no expiry that happens afterwards is missed.
func (c *Client) SubscribeExpired(ctx context.Context, db int, keys ...string) (*ExpiredSubscription, error) {
	if db < 0 || len(keys) == 0 {
		return nil, invalid(nil, "SUBSCRIBE", "need a database ≥ 0 and at least one key")
	}
	channels := make([]string, len(keys))
	for i, k := range keys {
		channels[i] = ExpiredChannel(db, k)
	}
	return confirm(ctx, c.rdb.Subscribe(ctx, channels...), len(channels))
}

// PSubscribeExpired subscribes to expirations of fields of every key matching a glob pattern in
// database db; db < 0 means every database. For example PSubscribeExpired(ctx, 0, "session:*").
func (c *Client) PSubscribeExpired(ctx context.Context, db int, keyPatterns ...string) (*ExpiredSubscription, error) {
	if len(keyPatterns) == 0 {
		return nil, invalid(nil, "PSUBSCRIBE", "need at least one key pattern")
	}
	dbText := "*"
	if db >= 0 {
		dbText = strconv.Itoa(db)
	}
	patterns := make([]string, len(keyPatterns))
	for i, p := range keyPatterns {
		patterns[i] = expiredPrefix + dbText + "@" + p + expiredSuffix
	}
	return confirm(ctx, c.rdb.PSubscribe(ctx, patterns...), len(patterns))
}

// confirm waits for n subscription confirmations.
func confirm(ctx context.Context, ps *redis.PubSub, n int) (*ExpiredSubscription, error) {
	for confirmed := 0; confirmed < n; {
		msg, err := ps.Receive(ctx)
		if err != nil {
			_ = ps.Close()
			return nil, err
		}
		if _, ok := msg.(*redis.Subscription); ok {
			confirmed++
		}
	}
	return &ExpiredSubscription{ps: ps, closed: make(chan struct{})}, nil
}

// Receive waits for the next expiry event. Messages on other channels (which a pattern such as
// "tairhash@*" cannot produce, but a caller using PubSub directly could) are skipped.
func (s *ExpiredSubscription) Receive(ctx context.Context) (ExpiredEvent, error) {
	for {
		msg, err := s.ps.Receive(ctx)
		if err != nil {
			return ExpiredEvent{}, err
		}
		m, ok := msg.(*redis.Message)
		if !ok {
			continue
		}
		if ev, ok := eventOf(m); ok {
			return ev, nil
		}
	}
}

// Channel returns the channel of events, fed by one goroutine until Close (which closes it).
// Options are those of redis.PubSub.Channel (buffer size, health check) and count on the first
// call only: every call returns the same channel, as go-redis does, so that no event goes to a
// channel nobody reads.
func (s *ExpiredSubscription) Channel(opts ...redis.ChannelOption) <-chan ExpiredEvent {
	s.channelOnce.Do(func() {
		in := s.ps.Channel(opts...)
		s.events = make(chan ExpiredEvent, cap(in))
		go func() {
			defer close(s.events)
			for m := range in {
				ev, ok := eventOf(m)
				if !ok {
					continue
				}
				select {
				case s.events <- ev:
				case <-s.closed:
					return
				}
			}
		}()
	})
	return s.events
}

// PubSub returns the underlying go-redis subscription.
func (s *ExpiredSubscription) PubSub() *redis.PubSub { return s.ps }

// Close ends the subscription.
func (s *ExpiredSubscription) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	err := s.ps.Close()
	if errors.Is(err, redis.ErrClosed) {
		return nil
	}
	return err
}

func eventOf(m *redis.Message) (ExpiredEvent, bool) {
	db, key, ok := ParseExpiredChannel(m.Channel)
	if !ok {
		return ExpiredEvent{}, false
	}
	return ExpiredEvent{DB: db, Key: key, Field: m.Payload}, true
}

// String renders the event for logs.
func (e ExpiredEvent) String() string {
	return fmt.Sprintf("db %d key %q field %q expired", e.DB, e.Key, e.Field)
}
