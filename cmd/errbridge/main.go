package main

import (
	"context"
	"os"

	"github.com/errbridge/errbridge/internal/memtune"

	_ "time/tzdata" // zone data for --quota-timezone in a static image
)

func main() {
	memtune.Apply(os.LookupEnv)
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}
