package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/errbridge/errbridge/proxy/proxytest"
)

// heldRequest is one client whose response the upstream holds open.
type heldRequest struct {
	conn net.Conn
	resp *http.Response
}

// openHeld sends GET HoldPath over a connection of its own and reads the
// response headers and the first bytes, which the proxy streams at once.
func openHeld(addr string) (*heldRequest, error) {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: proxy\r\nX-TC-Key: k\r\n\r\n", proxytest.HoldPath); err != nil {
		conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	first := make([]byte, len(`{"held":`))
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != `{"held":` {
		conn.Close()
		return nil, fmt.Errorf("first bytes %q: %v", first, err)
	}
	return &heldRequest{conn: conn, resp: resp}, nil
}

// finish reads the rest of a held response once the upstream releases it.
func (h *heldRequest) finish() error {
	defer h.conn.Close()
	rest, err := io.ReadAll(h.resp.Body)
	if err != nil || string(rest) != "true}" {
		return fmt.Errorf("rest %q: %v", rest, err)
	}
	return nil
}

// TestProxyMemoryWithSlowResponses runs the real binary with 1,000
// concurrent responses that the upstream holds open, each on its own client
// and upstream connection, and checks the proxy's peak RSS.
func TestProxyMemoryWithSlowResponses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and opens 2,000 connections")
	}
	t.Parallel()
	const clients, budget = 1000, 128 << 20
	bin := buildBinary(t)
	up := proxytest.Start(t, false)
	cmd, addr, lines, _ := startBinary(t, testCtx(t), bin, nil, "proxy", "--listen", "127.0.0.1:0", "--upstream", up.URL, "--drain-delay", "0s")
	go func() {
		for lines.Scan() {
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	held := make([]*heldRequest, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 100) // connect 100 at a time
	for i := range held {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			h, err := openHeld(addr)
			if err != nil {
				errs <- err
				return
			}
			held[i] = h
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("opening a slow response: %v", err)
	}
	peak := mustPeakRSS(t, cmd.Process.Pid)
	t.Logf("proxy peak RSS with %d slow responses in flight: %.1f MiB", clients, float64(peak)/(1<<20))
	if peak > budget {
		t.Errorf("peak RSS %.1f MiB, want at most %d MiB", float64(peak)/(1<<20), budget>>20)
	}
	up.Release()
	for _, h := range held {
		if err := h.finish(); err != nil {
			t.Fatalf("finishing a slow response: %v", err)
		}
	}
}

// TestProxyBinaryDrainsOnSIGTERM runs the real binary, holds a response
// open, and sends SIGTERM: /readyz must turn 503 at once, new requests are
// still served during --drain-delay, the held response completes, and the
// process exits 0.
func TestProxyBinaryDrainsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	up := proxytest.Start(t, false)
	mlis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := mlis.Addr().String()
	mlis.Close()
	cmd, addr, lines, logs := startBinary(t, testCtx(t), bin, nil, "proxy", "--listen", "127.0.0.1:0", "--upstream", up.URL,
		"--metrics-listen", maddr, "--drain-delay", "2s", "--shutdown-timeout", "20s")
	logc := make(chan []string, 1)
	go func() {
		for lines.Scan() {
			logs = append(logs, lines.Text())
		}
		logc <- logs
	}()
	h, err := openHeld(addr)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := get(t, "http://"+maddr+"/readyz"); status != 200 {
		t.Fatalf("/readyz %d before SIGTERM", status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	signalled := time.Now()
	for {
		status, _, _ := get(t, "http://"+maddr+"/readyz")
		if status == http.StatusServiceUnavailable {
			break
		}
		if time.Since(signalled) > 2*time.Second {
			t.Fatalf("/readyz still %d after SIGTERM", status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status, body, _ := get(t, "http://"+addr+proxytest.OKPath); status != 200 || body != proxytest.OKBody() {
		t.Errorf("a new request during the drain delay: %d %s", status, body)
	}
	time.Sleep(time.Until(signalled.Add(2500 * time.Millisecond))) // past the delay: no longer accepting
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("the proxy still accepts connections after the drain delay")
	}
	up.Release()
	if err := h.finish(); err != nil {
		t.Errorf("the request in flight at SIGTERM: %v", err)
	}
	// The log ends when the proxy exits; only then may Wait close its pipe.
	var tail []string
	select {
	case tail = <-logc:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("proxy did not exit after SIGTERM")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("proxy exited with %v", err)
	}
	all := strings.Join(tail, "\n")
	for _, want := range []string{`"msg":"draining"`, `"msg":"stopped"`} {
		if !strings.Contains(all, want) {
			t.Errorf("logs lack %s:\n%s", want, all)
		}
	}
}

// mustPeakRSS is peakRSS, failing the test on an error.
func mustPeakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	n, err := peakRSS(pid)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
