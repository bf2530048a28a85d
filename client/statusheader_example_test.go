package client_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/errbridge/errbridge/client"
	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
)

// A service calls Tencent Meeting through errbridge proxy and reads the
// canonical Status of a failed call from the response headers.
func ExampleStatusFromHeader() {
	upstream := httptest.NewServer(proxytest.NewUpstream()) // stands in for api.meeting.qq.com
	defer upstream.Close()
	p, _ := proxy.New(upstream.URL)
	egress := httptest.NewServer(p) // errbridge proxy --upstream <upstream>
	defer egress.Close()

	resp, err := http.Get(egress.URL + "/code/rest/9003") // answers {"error_info":{"error_code":9003,…}}
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	st, ok := client.StatusFromHeader(resp.Header)
	fmt.Println(resp.StatusCode, ok, st.Code())
	fmt.Println(client.Reason(st.Err()))
	code, _ := client.UpstreamCode(st.Err())
	fmt.Println(code, client.ShouldRetry(st.Err()))
	// Output:
	// 400 true NotFound
	// MEETING_NOT_FOUND
	// 9003 false
}
