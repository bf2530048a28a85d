// Package servertest starts errbridge servers on loopback ports and makes
// throwaway certificate authorities, for tests of the server and of its
// clients. Like net/http/httptest, it is for tests only.
package servertest
