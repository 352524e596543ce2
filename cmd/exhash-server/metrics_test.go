package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// scrape returns the value of the metric line that starts with series (name and labels).
func scrape(t *testing.T, url, series string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return n
		}
	}
	t.Fatalf("no %s in the metrics:\n%s", series, body)
	return 0
}

// --metrics-addr serves what the server did, in Prometheus' text format.
func TestMetrics(t *testing.T) {
	up := testserver.Redis7(t)
	metricsAddr := freeAddr(t)
	addr := serve(t, "--upstream", up.Addr, "--metrics-addr", metricsAddr, "--max-clients", "3")
	url := "http://" + metricsAddr + "/metrics"
	p := up.Prefix(t)

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	// Inline commands, one-line replies.
	fmt.Fprintf(c, "EXHSET %sk f v PX 30\r\nEXHSET %sk f v BOGUS\r\nSET exh~t:{%sx} junk\r\nGET %sk\r\n", p, p, p, p)
	r := bufio.NewReader(c)
	for i, want := range []string{":1", "-ERR syntax error", "-ERR key name uses the reserved prefix exh~", "-WRONGTYPE"} {
		if line, err := r.ReadString('\n'); !strings.HasPrefix(line, want) {
			t.Fatalf("reply %d: %q, %v; want %s…", i, line, err, want)
		}
	}
	bad, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(bad, "*1\r\n$9223372036854775807\r\n")
	io.ReadAll(bad)
	bad.Close()
	// Two more clients fill --max-clients 3 (the one above is being closed, so poll for the refusal).
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for scrape(t, url, "exhash_server_clients_refused_total") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no client refused past --max-clients")
		}
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		time.Sleep(10 * time.Millisecond)
	}

	for series, want := range map[string]float64{
		`exhash_server_commands_total{command="exhset"}`: 2,
		`exhash_server_commands_total{command="other"}`:  3, // serve's PING, SET, GET
		`exhash_server_errors_total{kind="exh"}`:         1,
		`exhash_server_errors_total{kind="refused"}`:     1,
		`exhash_server_errors_total{kind="protocol"}`:    1,
	} {
		if got := scrape(t, url, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if n := scrape(t, url, "exhash_server_upstream_round_trip_seconds_count"); n < 4 {
		t.Errorf("upstream round trips observed: %v, want at least 4", n)
	}
	if n := scrape(t, url, "exhash_server_clients_connected"); n < 1 || n > 3 {
		t.Errorf("clients connected: %v, want 1 to 3", n)
	}
	// The reaper (database 0 by default) removes the field that expired after 30 ms.
	for scrape(t, url, "exhash_server_reaper_fields_removed_total") < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the reaper removed no field")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
