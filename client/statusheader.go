package client

import (
	"encoding/base64"
	"net/http"

	"github.com/errbridge/errbridge/translate"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// StatusHeader is the response header in which errbridge's egress proxy
// (errbridge proxy) sends the canonical Status of a failed request: the
// serialized google.rpc.Status, with all its details, in standard padded
// base64.
const StatusHeader = translate.StatusHeader

// StatusFromHeader reads the Status that errbridge's egress proxy put in a
// response's headers. It reports false when h has no such header or its
// value does not decode (then the response did not come through the proxy,
// or was a success). The Status's details are read with [ParseStatus] or the
// helpers, e.g. [RetryDelay](st.Err()).
func StatusFromHeader(h http.Header) (*status.Status, bool) {
	v := h.Get(StatusHeader)
	if v == "" {
		return nil, false
	}
	bin, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, false
	}
	p := new(spb.Status)
	if err := proto.Unmarshal(bin, p); err != nil || p.GetCode() == 0 {
		return nil, false
	}
	return status.FromProto(p), true
}
