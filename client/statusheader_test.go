package client

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/errbridge/errbridge/translate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestStatusFromHeader(t *testing.T) {
	t.Parallel()
	r := translate.Default().Translate(400, []byte(`{"error_info":{"error_code":190310,"message":"每分钟总接口调用次数超过限制"}}`), &translate.Options{Locale: "zh-CN"})
	bin, err := proto.Marshal(r.Proto())
	if err != nil {
		t.Fatal(err)
	}
	ok := base64.StdEncoding.EncodeToString(bin)
	ok0 := base64.StdEncoding.EncodeToString([]byte{}) // an OK Status encodes to nothing
	for _, tc := range []struct {
		name  string
		value string
		want  bool
	}{
		{"the proxy's header", ok, true},
		{"absent", "", false},
		{"not base64", "%%%", false},
		{"unpadded base64", base64.RawStdEncoding.EncodeToString(bin), len(bin)%3 == 0},
		{"not a Status", base64.StdEncoding.EncodeToString([]byte{0xff, 0xff}), false},
		{"an OK Status", ok0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.value != "" {
				h.Set(StatusHeader, tc.value)
			}
			st, got := StatusFromHeader(h)
			if got != tc.want {
				t.Fatalf("ok = %v, want %v", got, tc.want)
			}
			if !got {
				if st != nil {
					t.Errorf("status %v with ok false", st)
				}
				return
			}
			if diff := cmp.Diff(r.Proto(), st.Proto(), protocmp.Transform()); diff != "" {
				t.Errorf("status differs (-sent +read):\n%s", diff)
			}
			if d, ok := RetryDelay(st.Err()); !ok || d <= 0 {
				t.Errorf("RetryDelay = %v, %v", d, ok)
			}
		})
	}
}
