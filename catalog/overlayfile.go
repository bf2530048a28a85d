package catalog

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
)

// MaxOverlayFileBytes bounds the size of an overlay file: 1 MiB, far more
// than [MaxOverlayEntries] entries need.
const MaxOverlayFileBytes = 1 << 20

// ReadOverlay reads an overlay file: a CatalogOverlay in protobuf text format
// (.textproto, .txtpb, .pb.txt, .txt) or protojson (.json); with another
// extension, a file whose first non-blank character is "{" is read as JSON,
// anything else as text. Unknown fields are errors. The error is an
// [*OverlayError] naming the file.
func ReadOverlay(path string) (*errbridgev1.CatalogOverlay, error) {
	fail := func(err error) error { return &OverlayError{File: path, Index: -1, Err: err} }
	f, err := os.Open(path)
	if err != nil {
		return nil, fail(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxOverlayFileBytes+1))
	if err != nil {
		return nil, fail(err)
	}
	if len(data) > MaxOverlayFileBytes {
		return nil, fail(fmt.Errorf("larger than %d bytes", MaxOverlayFileBytes))
	}
	ov := &errbridgev1.CatalogOverlay{}
	if isJSON(path, data) {
		err = protojson.Unmarshal(data, ov)
	} else {
		err = prototext.Unmarshal(data, ov)
	}
	if err != nil {
		return nil, fail(err)
	}
	return ov, nil
}

// isJSON says whether an overlay file is protojson rather than text format.
func isJSON(path string, data []byte) bool {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".json"):
		return true
	case strings.HasSuffix(lower, ".textproto"), strings.HasSuffix(lower, ".txtpb"),
		strings.HasSuffix(lower, ".pb.txt"), strings.HasSuffix(lower, ".txt"):
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
}

// WithOverlayFile reads the overlay file at path ([ReadOverlay]) and returns
// c with its entries ([Catalog.WithOverlay]).
func (c *Catalog) WithOverlayFile(path string) (*Catalog, error) {
	ov, err := ReadOverlay(path)
	if err != nil {
		return nil, err
	}
	return c.WithOverlay(ov, path)
}
