package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// refusalTexts are the texts of the UNAVAILABLE errors grpc-go gives a call
// that the server never accepted: the listener is closed (connection
// refused), the stream was beyond the server's GOAWAY (draining), or it was
// started on a transport already closing or never set up.
var refusalTexts = []string{"connection refused", "GOAWAY", "draining", "transport is closing", "server preface"}

// loadOutcome is what the load's clients saw.
type loadOutcome struct {
	ok              int            // calls answered OK, with the right translation
	okAcrossSignal  int            // of which, started before the SIGTERM and ended after it
	okAfterSignal   int            // of which, started after the SIGTERM
	refusedDraining int            // refused between the SIGTERM and the exit
	refusedExited   int            // refused after the process exited
	refusedAt       []int64        // when each refusal came (Unix ns), to compare with the drain delay's end
	refusals        map[string]int // refusals by the text they matched
	losses          []string       // failures of calls the server may have accepted
}

func (o *loadOutcome) add(p loadOutcome) {
	o.ok += p.ok
	o.okAcrossSignal += p.okAcrossSignal
	o.okAfterSignal += p.okAfterSignal
	o.refusedDraining += p.refusedDraining
	o.refusedExited += p.refusedExited
	o.refusedAt = append(o.refusedAt, p.refusedAt...)
	for k, v := range p.refusals {
		o.refusals[k] += v
	}
	o.losses = append(o.losses, p.losses...)
}

// refusalText returns the refusal text err matches, if it is a refusal: an
// UNAVAILABLE before the call received any response header.
func refusalText(err error, header metadata.MD) (string, bool) {
	if status.Code(err) != codes.Unavailable || len(header) > 0 {
		return "", false
	}
	msg := status.Convert(err).Message()
	for _, r := range refusalTexts {
		if strings.Contains(msg, r) {
			return r, true
		}
	}
	return "", false
}

// serverCalls counts the server's "finished call" log lines of Translate by
// gRPC code. At debug level the server logs every call it accepted, before
// its response is sent.
type serverCalls struct {
	codes            map[string]int
	drained, stopped bool
	stoppedHard      bool
	tail             []string // the last lines, for failure messages
}

// drainDelay is the --drain-delay of the SIGTERM test: long enough for
// grpc-health-probe to start and connect on a loaded machine.
const drainDelay = 3 * time.Second

// TestBinarySIGTERMUnderLoadLosesNoAcceptedCall runs the real binary under
// load — 8 clients over 4 connections calling Translate in a loop — sends it
// SIGTERM after about a second, and proves the drain: during --drain-delay
// grpc-health-probe (the real one, from tools/go.mod) exits with its "not
// serving" status (4), not a connection failure (2), and the server keeps
// accepting and answering calls; no call is refused before the delay is
// over; and no call the server accepted is lost: the binary exits 0 after
// draining; every client failure is a refusal (UNAVAILABLE before any
// response header, with a refusal's text), counted apart; and,
// cross-checked with the server's own log of every accepted call (debug
// level), the server accepted exactly the calls its clients saw succeed, all
// with the expected translation.
func TestBinarySIGTERMUnderLoadLosesNoAcceptedCall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	probe := buildHealthProbe(t)
	ctx := testCtx(t)

	serve, addr, lines, _ := startBinary(t, ctx, bin, []string{},
		"--listen", "127.0.0.1:0", "--http-listen", "off", "--shutdown-timeout", "30s", "--log-level", "debug", "--drain-delay", drainDelay.String())
	if code, out := runHealthProbe(ctx, probe, addr); code != 0 {
		t.Fatalf("grpc-health-probe before the SIGTERM: exit %d, %s", code, out)
	}
	logged := make(chan serverCalls, 1)
	draining := make(chan struct{})
	var stopAccepting atomic.Int64 // server time (Unix ns) of the end of the drain delay
	go func() {
		sc := serverCalls{codes: make(map[string]int)}
		for lines.Scan() {
			var entry struct {
				Time   time.Time `json:"time"`
				Msg    string    `json:"msg"`
				Method string    `json:"grpc.method"`
				Code   string    `json:"grpc.code"`
			}
			if json.Unmarshal(lines.Bytes(), &entry) != nil {
				continue
			}
			switch {
			case entry.Msg == "finished call" && entry.Method == "Translate":
				sc.codes[entry.Code]++
				continue
			case entry.Msg == "draining":
				sc.drained = true
				close(draining)
			case strings.HasPrefix(entry.Msg, "drain delay over"):
				stopAccepting.Store(entry.Time.UnixNano())
			case entry.Msg == "stopped":
				sc.stopped = true
			case strings.HasPrefix(entry.Msg, "stopped hard"):
				sc.stoppedHard = true
			}
			if sc.tail = append(sc.tail, lines.Text()); len(sc.tail) > 20 {
				sc.tail = sc.tail[1:]
			}
		}
		logged <- sc
	}()

	const workers, conns, maxCallsPerWorker = 8, 4, 100_000
	clients := make([]errbridgev1.TranslatorServiceClient, conns)
	for i := range clients {
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		clients[i] = errbridgev1.NewTranslatorServiceClient(conn)
	}
	req := &errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)}
	var signalled, exited atomic.Bool
	var succeeded atomic.Int64
	stop := make(chan struct{})
	outcomes := make(chan loadOutcome, workers)
	for w := range workers {
		go func() {
			o := loadOutcome{refusals: make(map[string]int)}
			defer func() { outcomes <- o }()
			c := clients[w%conns]
			for range maxCallsPerWorker {
				select {
				case <-stop:
					return
				default:
				}
				afterSignal := signalled.Load()
				var header metadata.MD
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				resp, err := c.Translate(cctx, req, grpc.Header(&header))
				cancel()
				if err == nil {
					if resp.GetStatus().GetCode() != int32(codes.NotFound) || resp.GetReason() != "MEETING_NOT_FOUND" {
						o.losses = append(o.losses, "a wrong translation: "+resp.String())
						continue
					}
					o.ok++
					switch {
					case afterSignal:
						o.okAfterSignal++
					case signalled.Load():
						o.okAcrossSignal++
					}
					succeeded.Add(1)
					continue
				}
				text, refused := refusalText(err, header)
				if !refused {
					o.losses = append(o.losses, fmt.Sprintf("%v (response headers received: %v)", err, len(header) > 0))
					continue
				}
				// Compared with the drain delay's end once the log is read
				// whole: the line that gives it may still be in the pipe.
				o.refusedAt = append(o.refusedAt, time.Now().UnixNano())
				o.refusals[text]++
				if exited.Load() {
					o.refusedExited++
				} else {
					o.refusedDraining++
				}
				time.Sleep(time.Millisecond) // no busy loop against a closed port
			}
		}()
	}

	// About a second of load, and at least some answered calls.
	deadline := time.Now().Add(30 * time.Second)
	for succeeded.Load() < 100 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(time.Second)
	signalled.Store(true)
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-draining:
	case <-time.After(30 * time.Second):
		t.Fatal("the server never logged that it drains")
	}
	probeCode, probeOut := runHealthProbe(ctx, probe, addr)
	probeLate := stopAccepting.Load() != 0
	var sc serverCalls
	select {
	case sc = <-logged: // stderr closes when the process exits
	case <-time.After(45 * time.Second):
		_ = serve.Process.Kill()
		close(stop)
		t.Fatal("serve did not exit after SIGTERM")
	}
	waitErr := serve.Wait()
	exited.Store(true)
	close(stop)
	total := loadOutcome{refusals: make(map[string]int)}
	for range workers {
		total.add(<-outcomes)
	}

	t.Logf("clients: %d OK (%d in flight at the SIGTERM, %d started after it), %d refused while draining, %d refused after the exit, refusals by text %v",
		total.ok, total.okAcrossSignal, total.okAfterSignal, total.refusedDraining, total.refusedExited, total.refusals)
	t.Logf("server: Translate calls finished by code %v", sc.codes)
	t.Logf("grpc-health-probe during the drain delay: exit %d, %s", probeCode, probeOut)
	if probeCode != healthProbeNotServing {
		t.Errorf("grpc-health-probe after the SIGTERM: exit %d (%s), want %d (not serving); the delay had passed before it ended: %v",
			probeCode, probeOut, healthProbeNotServing, probeLate)
	}
	early := 0
	for _, at := range total.refusedAt {
		if end := stopAccepting.Load(); end == 0 || at < end {
			early++
		}
	}
	if early > 0 {
		t.Errorf("%d calls were refused before the drain delay was over", early)
	}
	if total.okAfterSignal == 0 {
		t.Error("no call started after the SIGTERM was answered: the server stopped serving before the drain delay was over")
	}
	if waitErr != nil {
		t.Errorf("serve exited with %v", waitErr)
	}
	if !sc.drained || !sc.stopped || sc.stoppedHard {
		t.Errorf("the logs lack a clean drain:\n%s", strings.Join(sc.tail, "\n"))
	}
	if total.ok == 0 {
		t.Error("no call succeeded")
	}
	for i, l := range total.losses {
		if i == 10 {
			t.Errorf("... %d losses in all", len(total.losses))
			break
		}
		t.Errorf("a call that may have been accepted failed: %s", l)
	}
	for code, n := range sc.codes {
		if code != "OK" {
			t.Errorf("the server finished %d accepted calls with %s", n, code)
		}
	}
	if sc.codes["OK"] != total.ok {
		t.Errorf("the server accepted and answered %d calls OK, its clients received %d: %d accepted calls lost",
			sc.codes["OK"], total.ok, sc.codes["OK"]-total.ok)
	}
}
