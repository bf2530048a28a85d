package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// envPrefix starts every environment variable of a flag.
const envPrefix = "ERRBRIDGE_"

// flagSet is a flag.FlagSet whose flags may also be set from the
// environment: the command line beats the environment, which beats the
// default.
type flagSet struct {
	fs      *flag.FlagSet
	usage   string            // the command's synopsis
	env     map[string]string // flag name → environment variable
	example string
}

// newFlagSet returns the flags of a command.
func newFlagSet(name, usage string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flagSet{fs: fs, usage: usage, env: make(map[string]string)}
}

// envName is the variable of a flag: ERRBRIDGE_, prefix, and the flag name
// in upper case with dashes as underscores.
func envName(prefix, flagName string) string {
	return envPrefix + prefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// bind records the environment variable of an already defined flag.
func (f *flagSet) bind(flagName, env string) { f.env[flagName] = env }

// parse parses args and then fills every flag not on the command line from
// its environment variable, if set. It reports flag.ErrHelp for --help.
func (f *flagSet) parse(args []string, lookupEnv func(string) (string, bool)) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
	}
	set := make(map[string]bool)
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var errs []error
	f.fs.VisitAll(func(fl *flag.Flag) {
		env, ok := f.env[fl.Name]
		if !ok || set[fl.Name] {
			return
		}
		if v, ok := lookupEnv(env); ok {
			if err := f.fs.Set(fl.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("invalid value %q for %s: %v", v, env, err))
			}
		}
	})
	return errors.Join(errs...)
}

// printUsage writes the synopsis and every flag with its variable and
// default.
func (f *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n", f.usage)
	if f.example != "" {
		fmt.Fprintf(w, "\n%s\n", f.example)
	}
	fmt.Fprintln(w, "\nFlags:")
	f.fs.VisitAll(func(fl *flag.Flag) {
		typ, text := flag.UnquoteUsage(fl)
		if typ != "" {
			typ = " " + typ
		}
		fmt.Fprintf(w, "  --%s%s\n", fl.Name, typ)
		fmt.Fprintf(w, "        %s\n", text)
		var notes []string
		if env, ok := f.env[fl.Name]; ok {
			notes = append(notes, "env "+env)
		}
		if fl.DefValue != "" && fl.DefValue != "0" && fl.DefValue != "0s" && fl.DefValue != "false" && fl.DefValue != "[]" {
			notes = append(notes, "default "+fl.DefValue)
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, "        (%s)\n", strings.Join(notes, "; "))
		}
	})
}

// parseFlags parses a command's flags; when it returns false the command
// ends with the exit code it gives, having printed help or the error.
func (a *app) parseFlags(f *flagSet, args []string) (code int, ok bool) {
	err := f.parse(args, a.lookupEnv)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(a.stdout)
		return exitOK, false
	default:
		fmt.Fprintf(a.stderr, "errbridge %s: %v\n\n", f.fs.Name(), err)
		f.printUsage(a.stderr)
		return exitUsage, false
	}
}

// startCommand parses the flags of a command that serves (serve, proxy),
// whose --log-level is logLevel, and makes its JSON logger on stderr. When
// ok is false the command ends with code, having printed help or the error.
func (a *app) startCommand(f *flagSet, args []string, logLevel *string) (logger *slog.Logger, code int, ok bool) {
	if code, ok := a.parseFlags(f, args); !ok {
		return nil, code, false
	}
	level, err := parseLogLevel(*logLevel)
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge %s: %v\n", f.fs.Name(), err)
		return nil, exitUsage, false
	}
	return slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: level})), exitOK, true
}
