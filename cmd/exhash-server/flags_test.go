package main

import (
	"context"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/proxy"
)

func TestFlagsOverEnvironmentOverDefaults(t *testing.T) {
	t.Setenv("EXHASH_UPSTREAM", "127.0.0.1:7000")
	t.Setenv("EXHASH_UPSTREAM_PASSWORD", "from-env")
	t.Setenv("EXHASH_UPSTREAM_TLS", "true")
	t.Setenv("EXHASH_MAX_PENDING", "7")
	t.Setenv("EXHASH_SHUTDOWN_TIMEOUT", "1m")
	t.Setenv("EXHASH_LOG_LEVEL", "debug")
	t.Setenv("EXHASH_MAX_CLIENTS", "50")
	t.Setenv("EXHASH_IDLE_TIMEOUT", "5m")
	t.Setenv("EXHASH_ALLOW_COMPANION_KEYS", "1")
	o, err := parse([]string{"--upstream", "127.0.0.1:7001", "--shutdown-timeout", "3s", "--max-input-bytes", "1000"})
	if err != nil {
		t.Fatal(err)
	}
	if o.upstream != "127.0.0.1:7001" || o.password != "from-env" || !o.tls || o.maxPending != 7 ||
		o.listen != "127.0.0.1:6380" || o.shutdownTimeout != 3*time.Second || o.backend != defaultBackend ||
		o.logLevel != "debug" || o.maxClients != 50 || o.idleTimeout != 5*time.Minute || !o.allowCompanionKeys ||
		o.maxInputBytes != 1000 || o.commandTimeout != proxy.DefaultCommandTimeout {
		t.Fatalf("parsed %+v", o)
	}
	if o, err := parse(nil); err != nil || o.shutdownTimeout != time.Minute || o.upstream != "127.0.0.1:7000" {
		t.Fatalf("from the environment: %+v, %v", o, err)
	}
	if _, err := parse([]string{"stray"}); err == nil {
		t.Fatal("a stray argument was accepted")
	}
}

func TestBadSettingsAreReported(t *testing.T) {
	for _, args := range [][]string{
		{"--backend", "nope"},
		{"--log-level", "loud"},
		{"--upstream-tls", "--upstream-tls-ca", "/nonexistent/ca.pem"},
	} {
		if err := run(context.Background(), args); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
