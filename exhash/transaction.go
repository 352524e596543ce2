package exhash

import (
	"context"
	"sync"
)

// TxScope is the state of one MULTI/EXEC transaction that a backend may need while commands are
// queued in it. The Lua emulation uses it to send each script in full once per transaction: a
// NOSCRIPT error inside EXEC would only show after the transaction's other commands had run.
type TxScope struct {
	mu   sync.Mutex
	seen map[string]bool
}

// First reports whether name is mentioned for the first time in this transaction.
func (s *TxScope) First(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[name] {
		return false
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[name] = true
	return true
}

type txScopeKey struct{}

// InTransaction returns a context that tells backends the commands queued with it go into one
// MULTI/EXEC. A Client needs none: its TxPipeline, TxPipelined and Watch do this themselves, and
// the hook NewClient installs prepares any transaction of its go-redis client (Client.On on a
// caller's TxPipeline included). Use it when calling Backend.Do on a transaction without a Client,
// with one such context per transaction.
func InTransaction(ctx context.Context) context.Context {
	return context.WithValue(ctx, txScopeKey{}, &TxScope{})
}

// TxScopeOf returns the transaction scope InTransaction put in ctx, or nil outside a transaction.
func TxScopeOf(ctx context.Context) *TxScope {
	s, _ := ctx.Value(txScopeKey{}).(*TxScope)
	return s
}
