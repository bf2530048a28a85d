package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed (or health is not SERVING)
	exitUsage   = 2 // bad flags or input
)

// app is the command line's environment, replaceable in tests.
type app struct {
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
	lookupEnv func(string) (string, bool)
	// ready, when set, is told the addresses serve or proxy listens on (the
	// metrics and HTTP ones are nil when off; proxy passes its listener as
	// grpcAddr and no HTTP one), once it serves.
	ready func(grpcAddr, metricsAddr, httpAddr net.Addr)
	// hangup, when set, stands in for SIGHUP: serve reloads the catalogue
	// overlay on each value received, and does not watch the signal itself.
	hangup <-chan os.Signal
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(a *app, ctx context.Context, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "serve TranslatorService over gRPC (the default command)", (*app).serve},
		{"proxy", "forward HTTP to the upstream and translate its errors in the call path", (*app).proxy},
		{"translate", "translate one upstream response read from stdin, in process", (*app).translate},
		{"health", "check a server's grpc.health.v1 status; exit 0 only when SERVING", (*app).health},
		{"version", "print the version", (*app).version},
	}
}

// run runs the command named by args[0], or serve when args name none.
func (a *app) run(ctx context.Context, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		return a.serve(ctx, args)
	}
	if isHelp(args[0]) || args[0] == "help" {
		a.usage(a.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(a, ctx, args[1:])
		}
	}
	fmt.Fprintf(a.stderr, "errbridge: unknown command %q\n\n", args[0])
	a.usage(a.stderr)
	return exitUsage
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// usage lists the commands.
func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: errbridge [COMMAND] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "errbridge COMMAND --help" for a command's flags. Every flag can also be`)
	fmt.Fprintln(w, "set with the ERRBRIDGE_* environment variable its help names; a flag on the")
	fmt.Fprintln(w, "command line beats the variable, which beats the default.")
}
