package translate_test

import (
	"fmt"

	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// A REST error body becomes a canonical status with a stable reason.
func ExampleTranslate() {
	body := []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)
	st := translate.Translate(500, body, nil)
	fmt.Println(st.Code(), st.Message())
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			fmt.Println(info.GetReason(), info.GetMetadata()["errorCode"], info.GetMetadata()["upstreamMessage"])
		}
	}
	// Output:
	// NotFound The meeting does not exist.
	// MEETING_NOT_FOUND 9003 MEETING NOT EXIST
}

// A rate limit disguised as HTTP 400 carries a retry delay up to the next
// minute, and its Chinese text on request.
func ExampleTranslator_Translate_rateLimit() {
	body := []byte(`{"error_info":{"error_code":190310,"new_error_code":200190310,"message":"每分钟总接口调用次数超过限制"}}`)
	r := translate.Default().Translate(400, body, &translate.Options{Locale: "zh-CN"})
	_, retryable := r.RetryDelay()
	msg, locale := r.LocalizedMessage()
	fmt.Println(r.Code(), r.Reason(), retryable)
	fmt.Println(locale, msg)
	// Output:
	// ResourceExhausted APP_MINUTE_RATE_EXCEEDED true
	// zh-CN 每分钟总接口调用次数超过限制。
}

// A body that is not JSON still yields a well-formed status that keeps the
// upstream facts.
func ExampleTranslator_Translate_malformed() {
	r := translate.Default().Translate(502, []byte("<html>502 Bad Gateway</html>"), &translate.Options{Method: "GET"})
	delay, retryable := r.RetryDelay()
	fmt.Println(r.Code(), r.Reason(), retryable, delay)
	// Output:
	// Unavailable UNPARSEABLE_BODY true 1s
}
