package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/errbridge/errbridge/drain"
)

// drainFlags are a serving command's --drain-delay and --shutdown-timeout.
type drainFlags struct {
	delay   time.Duration
	timeout time.Duration
}

// register defines the two flags with dur, which binds each to its
// command's environment variable. notServing says what the command reports
// during the delay, and what it lets finish after it.
func (d *drainFlags) register(dur func(*time.Duration, string, time.Duration, string), notServing, what string) {
	dur(&d.delay, "drain-delay", 5*time.Second, "on SIGTERM or SIGINT, "+notServing+" at once but keep accepting and serving "+what+" this long, so that probes and load balancers see it, then stop accepting")
	dur(&d.timeout, "shutdown-timeout", 10*time.Second, "after the drain delay, let "+what+" in flight finish for this long, then stop hard")
}

// check reports a flag out of range.
func (d drainFlags) check() error {
	switch {
	case d.timeout <= 0:
		return fmt.Errorf("invalid --shutdown-timeout %v: want a positive duration", d.timeout)
	case d.delay < 0:
		return fmt.Errorf("invalid --drain-delay %v: want a duration of 0 or more", d.delay)
	}
	return nil
}

// lifecycle is what a serving command (serve, proxy) needs once it serves:
// what to reload on SIGHUP and what to drain at the end.
type lifecycle struct {
	logger  *slog.Logger
	errc    <-chan error  // a server's failure to serve
	engine  *engineFlags  // read anew on SIGHUP
	reload  engineSetter  // takes the engine read anew
	target  drain.Target  // drained when the command stops
	delay   time.Duration // --drain-delay
	timeout time.Duration // --shutdown-timeout
	what    string        // "calls" or "requests", for the hard-stop line
}

// waitAndDrain runs a serving command until ctx ends (SIGTERM or SIGINT,
// through signal.NotifyContext, whose stop is stopSignals) or a server
// fails, reloading the catalogue overlay on every SIGHUP meanwhile. Then it
// drains l.target: not serving at once, serving on for the drain delay
// (none after a failure), then the requests in flight finish within the
// shutdown timeout. It returns the command's exit code.
func (a *app) waitAndDrain(ctx context.Context, stopSignals func(), l lifecycle) int {
	hangup := a.hangup
	if hangup == nil {
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		hangup = hup
	}
	code, delay := exitOK, l.delay
	for running := true; running; {
		select {
		case <-hangup:
			reloadOverlay(l.logger, l.reload, l.engine)
		case <-ctx.Done():
			l.logger.Info("draining", "delay", delay.String(), "timeout", l.timeout.String())
			running = false
		case err := <-l.errc:
			l.logger.Error("serving failed", "error", fmt.Sprint(err))
			code, delay = exitFailure, 0
			running = false
		}
	}
	stopSignals() // a second signal now ends the process at once
	ignoreRepeatedParentDeath()
	if err := drain.Run(context.Background(), l.target, delay, l.timeout); err != nil {
		l.logger.Warn("stopped hard: " + l.what + " were still in flight at the shutdown deadline")
	} else {
		l.logger.Info("stopped")
	}
	return code
}
