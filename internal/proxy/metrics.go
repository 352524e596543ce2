package proxy

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the server's Prometheus metrics (Config.Metrics). A nil *Metrics records nothing, so the
// server calls it unconditionally.
type Metrics struct {
	connected prometheus.Gauge
	refused   prometheus.Counter
	commands  *prometheus.CounterVec
	errors    *prometheus.CounterVec
	upstream  prometheus.Histogram
}

// Kinds of the errors metric.
const (
	errorProtocol = "protocol" // a client sent input the server cannot parse, or too much of it
	errorTimeout  = "timeout"  // a client was disconnected by --command-timeout or --idle-timeout
	errorRefused  = "refused"  // a command the server refuses (MONITOR, companion keys, …)
	errorEXH      = "exh"      // an EXH* command answered with an error
	errorUpstream = "upstream" // the upstream could not be reached, or closed a connection
)

// NewMetrics makes the server's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "exhash_server_clients_connected", Help: "Client connections open now.",
		}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "exhash_server_clients_refused_total", Help: "Client connections refused because --max-clients were open.",
		}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exhash_server_commands_total",
			Help: "Client commands, by lower-case name for EXH* commands and those the server looks at (select, multi, subscribe, …); \"other\" for the rest.",
		}, []string{"command"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exhash_server_errors_total",
			Help: "Errors by kind: protocol (malformed or oversized client input), timeout (client timeouts), refused (commands the server refuses), exh (EXH* commands answered with an error), upstream (upstream unreachable or connection lost).",
		}, []string{"kind"}),
		upstream: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "exhash_server_upstream_round_trip_seconds",
			Help:    "Time from queuing a command for the upstream to reading its reply.",
			Buckets: prometheus.ExponentialBuckets(50e-6, 2, 16), // 50 µs to 1.6 s
		}),
	}
	for _, kind := range []string{errorProtocol, errorTimeout, errorRefused, errorEXH, errorUpstream} {
		m.errors.WithLabelValues(kind)
	}
	reg.MustRegister(m.connected, m.refused, m.commands, m.errors, m.upstream)
	return m
}

func (m *Metrics) clientConnected(delta float64) {
	if m != nil {
		m.connected.Add(delta)
	}
}

func (m *Metrics) clientRefused() {
	if m != nil {
		m.refused.Inc()
	}
}

// command counts a command by the name commandName gave it ("" for names the server does not know:
// counting every name a client makes up would grow without bound).
func (m *Metrics) command(name string) {
	if m == nil {
		return
	}
	if name == "" {
		name = "other"
	}
	m.commands.WithLabelValues(name).Inc()
}

func (m *Metrics) error(kind string) {
	if m != nil {
		m.errors.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) upstreamReply(sent time.Time) {
	if m != nil && !sent.IsZero() {
		m.upstream.Observe(time.Since(sent).Seconds())
	}
}
