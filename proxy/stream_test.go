package proxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

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

// TestJSONStreamsAreNotHeld: a 2xx JSON body of unknown length reaches the
// client as soon as its first bytes show it is not an error envelope (one
// JSON object and nothing after it): a JSON array, JSON lines, or a first
// object without an error code, while the upstream still holds the rest.
// An OAuth error at 200 sent the same way is still translated, once the
// body has ended.
func TestJSONStreamsAreNotHeld(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, first, rest string
	}{
		{"JSON array", `[{"item":1}`, `,{"item":2}]`},
		{"JSON lines", "{\"line\":1}\n", "{\"line\":2}\n"},
		{"a first object without an error code", "\ufeff{\"meeting\":{\"code\":1005,\"s\":\"}{\\\"\"}} \n", `{"next":true}`},
		{"a success object, then the end", `{"meeting_number":"1","code":0}`, "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := proxytest.Start(t, false)
			tp := startProxy(t, up.URL)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			q := url.Values{"type": {"json"}, "first": {tc.first}, "rest": {tc.rest}}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tp.URL+proxytest.HoldPath+"?"+q.Encode(), nil)
			resp, err := tp.Client().Do(req)
			if err != nil {
				t.Fatalf("no response while the upstream holds the body: %v", err)
			}
			defer resp.Body.Close()
			first := make([]byte, len(tc.first))
			if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != tc.first {
				t.Fatalf("first bytes %q, %v; want %q before the upstream finished", first, err, tc.first)
			}
			if r := resp.Header.Get(proxy.HeaderReason); r != "" {
				t.Errorf("a success carries %s: %s", proxy.HeaderReason, r)
			}
			up.Release()
			rest, err := io.ReadAll(resp.Body)
			if err != nil || string(rest) != tc.rest {
				t.Fatalf("rest %q, %v; want %q", rest, err, tc.rest)
			}
		})
	}
	t.Run("an OAuth error at 200", func(t *testing.T) {
		t.Parallel()
		up := proxytest.Start(t, false)
		tp := startProxy(t, up.URL)
		body := proxytest.Body("oauth", 1005, false)
		q := url.Values{"type": {"json"}, "first": {body}, "rest": {"\n"}}
		done := make(chan *http.Response, 1)
		go func() {
			resp, err := tp.Client().Get(tp.URL + proxytest.HoldPath + "?" + q.Encode())
			if err != nil {
				t.Error(err)
			}
			done <- resp
		}()
		select {
		case resp := <-done:
			if resp != nil {
				resp.Body.Close()
			}
			t.Fatal("the answer came before the body ended: the error envelope was not held")
		case <-time.After(100 * time.Millisecond):
		}
		up.Release()
		resp := <-done
		if resp == nil {
			t.FailNow()
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.Header.Get(proxy.HeaderReason) == "" || resp.Header.Get(proxy.HeaderStatusBin) == "" {
			t.Errorf("headers %v: want the translation of OAuth code 1005", resp.Header)
		}
		if string(got) != body+"\n" {
			t.Errorf("body %q, want the upstream's %q", got, body+"\n")
		}
	})
}

// TestLargeBodies streams 50 MB successes, chunked, as a download and as
// JSON (read through the peek first), and JSON bodies either side of the
// peek's bound, and checks every byte.
func TestLargeBodies(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	for _, tc := range []struct {
		size int64
		typ  string // json: read through the peek first
	}{{50 << 20, "octet"}, {50 << 20, "json"}, {proxy.DefaultPeekBytes + 1, "json"}, {proxy.DefaultPeekBytes, "json"}} {
		size := tc.size
		t.Run(fmt.Sprint(size, tc.typ), func(t *testing.T) {
			t.Parallel()
			resp, err := tp.Client().Get(fmt.Sprintf("%s%s?bytes=%d&type=%s", tp.URL, proxytest.StreamPath, size, tc.typ))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get(proxy.HeaderCode) != "" {
				t.Errorf("status %d, code %q; want a 200 passed through", resp.StatusCode, resp.Header.Get(proxy.HeaderCode))
			}
			if size > proxy.DefaultPeekBytes && (len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked") {
				t.Errorf("transfer encoding %v; want chunked", resp.TransferEncoding)
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
