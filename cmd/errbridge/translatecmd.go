package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/protobuf/encoding/protojson"

	// Linked so that protojson prints the status details decoded.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
)

// familyFlag is --family: rest, oauth, or empty to detect.
type familyFlag struct{ v errbridgev1.ApiFamily }

func (f *familyFlag) String() string {
	switch f.v {
	case errbridgev1.ApiFamily_API_FAMILY_REST:
		return "rest"
	case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
		return "oauth"
	}
	return ""
}

func (f *familyFlag) Set(s string) error {
	switch strings.ToLower(s) {
	case "", "auto":
		f.v = errbridgev1.ApiFamily_API_FAMILY_UNSPECIFIED
	case "rest":
		f.v = errbridgev1.ApiFamily_API_FAMILY_REST
	case "oauth":
		f.v = errbridgev1.ApiFamily_API_FAMILY_OAUTH
	default:
		return errors.New("want rest, oauth or auto")
	}
	return nil
}

// headerFlag is the repeatable --header K=V.
type headerFlag map[string]string

func (h headerFlag) String() string { return "" }

func (h headerFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return errors.New("want NAME=VALUE")
	}
	h[k] = v
	return nil
}

// translate translates the body on stdin in process and prints the Status
// as indented protojson, with its details decoded, and nothing else.
func (a *app) translate(ctx context.Context, args []string) int {
	var engine engineFlags
	var httpStatus int
	var locale, method string
	var idempotent bool
	family := &familyFlag{}
	headers := headerFlag{}

	f := newFlagSet("translate", "errbridge translate --http-status N [flags] < body.json")
	f.example = "Prints the google.rpc.Status of the upstream response whose body is read from stdin."
	f.fs.IntVar(&httpStatus, "http-status", 0, "the upstream HTTP `status` (required)")
	f.bind("http-status", envName("TRANSLATE_", "http-status"))
	f.fs.StringVar(&locale, "locale", "", "the BCP-47 `locale` of the LocalizedMessage (default: --default-locale)")
	f.bind("locale", envName("TRANSLATE_", "locale"))
	f.fs.StringVar(&method, "method", "", "the HTTP `method` of the failed request; GET, HEAD, PUT, DELETE and OPTIONS are idempotent")
	f.bind("method", envName("TRANSLATE_", "method"))
	f.fs.BoolVar(&idempotent, "idempotent", false, "treat the failed request as idempotent whatever its method")
	f.bind("idempotent", envName("TRANSLATE_", "idempotent"))
	f.fs.Var(family, "family", "the upstream `API`: rest, oauth, or auto to detect it from the body")
	f.bind("family", envName("TRANSLATE_", "family"))
	f.fs.Var(headers, "header", "an upstream response header as `NAME=VALUE`; repeatable")
	f.bind("header", envName("TRANSLATE_", "header"))
	engine.register(f)
	if code, ok := a.parseFlags(f, args); !ok {
		return code
	}
	if httpStatus == 0 {
		fmt.Fprintln(a.stderr, "errbridge translate: --http-status is required")
		return exitUsage
	}

	t, err := engine.translator()
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge translate: %v\n", err)
		return exitUsage
	}
	local, err := client.NewLocal(t, service.WithMaxBodyBytes(engine.maxBodyBytes))
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge translate: %v\n", err)
		return exitUsage
	}
	// One byte more than the limit lets validation report an oversized body.
	body, err := io.ReadAll(io.LimitReader(a.stdin, int64(engine.maxBodyBytes)+1))
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge translate: reading stdin: %v\n", err)
		return exitFailure
	}
	resp, err := local.Translate(ctx, &errbridgev1.TranslateRequest{
		// Clamped so that a huge value stays invalid rather than wrapping.
		HttpStatus: int32(min(max(httpStatus, -1), 1<<20)),
		Body:       body,
		Headers:    headers,
		Locale:     locale,
		Method:     method,
		Family:     family.v,
		Idempotent: idempotent,
	})
	if err != nil {
		d := client.Parse(err)
		fmt.Fprintf(a.stderr, "errbridge translate: %s\n", d.Message)
		for _, v := range d.BadRequest.GetFieldViolations() {
			fmt.Fprintf(a.stderr, "  %s: %s\n", v.GetField(), v.GetDescription())
		}
		return exitUsage
	}
	out, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(resp.GetStatus())
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge translate: encoding the status: %v\n", err)
		return exitFailure
	}
	out = append(out, '\n')
	if _, err := a.stdout.Write(out); err != nil {
		return exitFailure
	}
	return exitOK
}
