// Package catalog is the catalogue of upstream error codes, read once from the
// errbridge.v1 enums and their [errbridgev1.ErrorSpec] options.
//
// The proto files are the single source of truth: this package only reads
// them through protoreflect, checks that every value is complete and
// consistent, and indexes the result. A malformed catalogue fails at start-up
// (see [Load]), never at translation time.
//
// A catalogue overlay ([Catalog.WithOverlay], [ReadOverlay]) adds codes to
// the built-in catalogue, or replaces the spec of built-in ones, from a file
// read at run time; its entries pass the same checks, and their reasons may
// not collide with any other.
package catalog
