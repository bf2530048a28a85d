package proxy_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
)

// TestSuccessStreams: a success reaches the client while the upstream is
// still sending it, so the proxy never holds it whole.
func TestSuccessStreams(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	resp, err := tp.Client().Get(tp.URL + proxytest.HoldPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, len(`{"held":`))
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != `{"held":` {
		t.Fatalf("first bytes %q, %v (before the upstream finished)", first, err)
	}
	up.Release()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "true}" {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

// TestLargeBodies streams 50 MB successes, chunked, and a JSON success
// longer than the peek, and checks every byte.
func TestLargeBodies(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	for _, size := range []int64{50 << 20, proxy.DefaultPeekBytes + 1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			resp, err := tp.Client().Get(fmt.Sprintf("%s%s?bytes=%d", tp.URL, proxytest.StreamPath, size))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 || len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
				t.Errorf("status %d, transfer encoding %v; want a chunked 200", resp.StatusCode, resp.TransferEncoding)
			}
			buf := make([]byte, 64<<10)
			var n int64
			for {
				k, err := resp.Body.Read(buf)
				for i := 0; i < k; i++ {
					if buf[i] != proxytest.StreamByte(n+int64(i)) {
						t.Fatalf("byte %d is %q, want %q", n+int64(i), buf[i], proxytest.StreamByte(n+int64(i)))
					}
				}
				n += int64(k)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("after %d bytes: %v", n, err)
				}
			}
			if n != size {
				t.Errorf("read %d bytes, want %d", n, size)
			}
		})
	}
}

// TestConnectionReuse sends successes and errors in turn and checks that
// the proxy keeps one upstream connection, over HTTP/1.1 and over HTTP/2.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		tls   bool
		proto string
	}{{"HTTP/1.1", false, "HTTP/1.1"}, {"HTTP/2", true, "HTTP/2.0"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := proxytest.Start(t, tc.tls)
			var opts []proxy.Option
			if tc.tls {
				opts = append(opts, proxy.WithUpstreamCAFile(up.CAFile(t)))
			}
			tp := startProxy(t, up.URL, opts...)
			for i := 0; i < 20; i++ {
				path := proxytest.EchoPath
				if i%2 == 1 {
					path = proxytest.CodePath + "rest/9003"
				}
				resp, body := tp.do(t, http.MethodGet, path, nil, nil)
				if i%2 == 1 {
					if resp.Header.Get(proxy.HeaderReason) != "MEETING_NOT_FOUND" {
						t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
					}
					continue
				}
				var e proxytest.Echo
				if err := json.Unmarshal(body, &e); err != nil || e.Proto != tc.proto {
					t.Fatalf("request %d reached the upstream over %q (%v), want %s", i, e.Proto, err, tc.proto)
				}
			}
			if n := up.NewConns(); n != 1 {
				t.Errorf("the upstream accepted %d connections for 20 sequential requests, want 1", n)
			}
		})
	}
}
