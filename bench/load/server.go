package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// moduleRoot is the directory of the errbridge module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run the harness inside the errbridge module (go run ./bench/load from its root)")
	}
	return filepath.Dir(gomod), nil
}

// buildServer builds the package pkg (./cmd/errbridge, ./bench/canned) into
// dir and returns the binary's path.
func buildServer(ctx context.Context, root, dir, pkg string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
	}
	return bin, nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer lis.Close()
	return lis.Addr().(*net.TCPAddr).Port, nil
}

// server is a running errbridge process.
type server struct {
	cmd         *exec.Cmd
	addr        string // gRPC, host:port
	metricsAddr string // Prometheus metrics, host:port; empty when off
	logPath     string
	exited      chan struct{}
	waitErr     error
}

// startServer runs bin serve on free loopback ports with extra arguments
// and environment, its log in dir, and waits until health says SERVING.
func startServer(ctx context.Context, bin, dir string, extra, env []string, withMetrics bool) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), logPath: filepath.Join(dir, "server.log"), exited: make(chan struct{})}
	args := []string{"serve", "--listen", s.addr, "--http-listen", "off"}
	if withMetrics {
		mport, err := freePort()
		if err != nil {
			return nil, err
		}
		s.metricsAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(mport))
		args = append(args, "--metrics-listen", s.metricsAddr)
	}
	return s, s.launch(ctx, bin, append(args, extra...), env)
}

// startCanned runs the canned baseline server (bench/canned) on a free
// loopback port, answering the Translate requests of dataFile and the
// TranslateBatch requests of batchFile, with errbridge serve's runtime
// settings and env, and waits until it serves.
func startCanned(ctx context.Context, bin, dir, dataFile, batchFile string, env []string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), logPath: filepath.Join(dir, "canned.log"), exited: make(chan struct{})}
	return s, s.launch(ctx, bin, []string{"--listen", s.addr, "--data", dataFile, "--batch-data", batchFile}, env)
}

// launch starts bin with args and env, its output in s.logPath, and waits
// until health says SERVING.
func (s *server) launch(ctx context.Context, bin string, args, env []string) error {
	logf, err := os.Create(s.logPath)
	if err != nil {
		return err
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.Env = append(os.Environ(), env...)
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		logf.Close()
		close(s.exited)
	}()
	if err := s.waitServing(ctx, 20*time.Second); err != nil {
		s.stop()
		return fmt.Errorf("%s did not become SERVING: %w\n%s", filepath.Base(bin), err, s.logTail())
	}
	return nil
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// waitServing polls grpc.health.v1 Check until SERVING, the process exits,
// or timeout passes.
func (s *server) waitServing(ctx context.Context, timeout time.Duration) error {
	conn, err := grpc.NewClient(s.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	hc := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited: %v", s.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		resp, err := hc.Check(cctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("health says %v", resp.GetStatus())
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("timed out after %v: %v", timeout, last)
}

// alive reports an error when the server has exited.
func (s *server) alive() error {
	select {
	case <-s.exited:
		return fmt.Errorf("the server exited during the run: %v\n%s", s.waitErr, s.logTail())
	default:
		return nil
	}
}

// stop ends the server: SIGTERM, then SIGKILL if it has not stopped within
// 15 seconds.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// logTail is the end of the server's log.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return "server log (end):\n" + string(b)
}

// runtimeStats are counters of the server's Go runtime, from its metrics
// endpoint.
type runtimeStats struct {
	Mallocs    float64 // go_memstats_mallocs_total
	AllocBytes float64 // go_memstats_alloc_bytes_total
	GCs        float64 // go_gc_duration_seconds_count
}

// scrape reads the runtime counters from the server's metrics endpoint.
func (s *server) scrape(ctx context.Context) (runtimeStats, error) {
	if s.metricsAddr == "" {
		return runtimeStats{}, errors.New("metrics are off")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.metricsAddr+"/metrics", nil)
	if err != nil {
		return runtimeStats{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return runtimeStats{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return runtimeStats{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return runtimeStats{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return parseRuntimeStats(body)
}

// parseRuntimeStats reads the runtime counters from Prometheus text.
func parseRuntimeStats(b []byte) (runtimeStats, error) {
	var rs runtimeStats
	want := map[string]*float64{
		"go_memstats_mallocs_total":     &rs.Mallocs,
		"go_memstats_alloc_bytes_total": &rs.AllocBytes,
		"go_gc_duration_seconds_count":  &rs.GCs,
	}
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		if dst, ok := want[name]; ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			if err != nil {
				return rs, fmt.Errorf("metric %s: %w", name, err)
			}
			*dst = v
			found++
		}
	}
	if found != len(want) {
		return rs, fmt.Errorf("the metrics lack some of go_memstats_mallocs_total, go_memstats_alloc_bytes_total, go_gc_duration_seconds_count")
	}
	return rs, sc.Err()
}
