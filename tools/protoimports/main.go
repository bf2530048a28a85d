// Command protoimports writes the google/rpc and google/api .proto files that
// errbridge imports, printed from the descriptors compiled into the pinned
// google.golang.org/genproto/googleapis/rpc and googleapis/api packages. buf
// reads them from the git-ignored folder given as the only argument, so the
// imports always match the Go types the engine links against and no copy of
// them is committed.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jhump/protoreflect/v2/protoprint"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: protoimports DIR")
		os.Exit(2)
	}
	files := []protoreflect.FileDescriptor{
		// google.api.http (with the HttpRule it names) and google.api.field_behavior.
		annotations.File_google_api_annotations_proto,
		annotations.File_google_api_http_proto,
		annotations.File_google_api_field_behavior_proto,
		code.File_google_rpc_code_proto,
		errdetails.File_google_rpc_error_details_proto,
		status.File_google_rpc_status_proto,
	}
	var printer protoprint.Printer
	for _, fd := range files {
		if err := write(printer, os.Args[1], fd); err != nil {
			fmt.Fprintln(os.Stderr, "protoimports:", err)
			os.Exit(1)
		}
	}
}

func write(printer protoprint.Printer, dir string, fd protoreflect.FileDescriptor) error {
	path := filepath.Join(dir, fd.Path())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := printer.PrintProtoFile(fd, f); err != nil {
		f.Close()
		return fmt.Errorf("print %s: %w", fd.Path(), err)
	}
	return f.Close()
}
