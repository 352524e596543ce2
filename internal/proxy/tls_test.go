package proxy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// tlsFront accepts TLS on a loopback port and forwards the plain bytes to upstream: a TLS-terminating
// front, as a managed Redis has, with a real Redis behind it. It returns the address and the pool that
// trusts its certificate.
func tlsFront(t *testing.T, upstream string) (string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "exhash test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r, err := net.Dial("tcp", upstream)
				if err != nil {
					return
				}
				defer r.Close()
				go io.Copy(r, c)
				io.Copy(c, r)
			}()
		}
	}()
	return ln.Addr().String(), pool
}

// The server reaches an upstream over TLS, verifying its certificate.
func TestUpstreamTLS(t *testing.T) {
	up := redis7(t)
	front, pool := tlsFront(t, up.Addr)
	u := Upstream{Addr: front, TLS: &tls.Config{RootCAs: pool}}
	if _, err := Probe(ctxT(t), u); err != nil {
		t.Fatal(err)
	}
	addr, _ := startProxy(t, Config{Upstream: u, Backend: probeBackend})
	key := up.Prefix(t) + "h"
	if v := dialRaw(t, addr).do(cmd("EXHSET", key, "f", "v"), cmd("EXHGET", key, "f")); v[0].Int != 1 || string(v[1].Text) != "v" {
		t.Fatalf("over TLS: %s %s", show(v[0]), show(v[1]))
	}
	// A certificate the server does not trust is refused.
	_, err := Probe(ctxT(t), Upstream{Addr: front, TLS: &tls.Config{}})
	if err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("untrusted certificate: %v", err)
	}
}
