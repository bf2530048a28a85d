package server_test

import (
	"testing"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// listAll pages through ListErrorCodes with req's filter and page size.
func listAll(t *testing.T, c errbridgev1.TranslatorServiceClient, req *errbridgev1.ListErrorCodesRequest) []*errbridgev1.ErrorCode {
	t.Helper()
	var all []*errbridgev1.ErrorCode
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("ListErrorCodes never ends")
		}
		resp, err := c.ListErrorCodes(callCtx(t), req)
		if err != nil {
			t.Fatalf("ListErrorCodes page %d: %v", page, err)
		}
		all = append(all, resp.GetErrorCodes()...)
		if resp.GetNextPageToken() == "" {
			if int(resp.GetTotalSize()) != len(all) {
				t.Errorf("total_size %d, but %d entries listed", resp.GetTotalSize(), len(all))
			}
			return all
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func TestListErrorCodes(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t))
	want := func(keep func(*catalog.Entry) bool) []*catalog.Entry {
		var out []*catalog.Entry
		for _, e := range catalog.Default().Entries() {
			if !e.IsSuccess() && keep(e) { // code-0 values are not error codes
				out = append(out, e)
			}
		}
		return out
	}
	entries := want(func(*catalog.Entry) bool { return true })
	notFound := code.Code_NOT_FOUND
	for _, tc := range []struct {
		name string
		req  *errbridgev1.ListErrorCodesRequest
		want []*catalog.Entry
	}{
		{"everything in small pages", &errbridgev1.ListErrorCodesRequest{PageSize: 7},
			entries},
		{"everything in one default page or more", &errbridgev1.ListErrorCodesRequest{},
			entries},
		{"page size capped", &errbridgev1.ListErrorCodesRequest{PageSize: 100000},
			entries},
		{"OAuth only", &errbridgev1.ListErrorCodesRequest{PageSize: 3, Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH},
			want(func(e *catalog.Entry) bool { return e.Family == errbridgev1.ApiFamily_API_FAMILY_OAUTH })},
		{"NOT_FOUND only", &errbridgev1.ListErrorCodesRequest{PageSize: 2, GrpcCode: &notFound},
			want(func(e *catalog.Entry) bool { return e.GRPCCode() == codes.NotFound })},
		{"REST only", &errbridgev1.ListErrorCodesRequest{Family: errbridgev1.ApiFamily_API_FAMILY_REST},
			want(func(e *catalog.Entry) bool { return e.Family == errbridgev1.ApiFamily_API_FAMILY_REST })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := listAll(t, c, tc.req)
			if len(got) != len(tc.want) || len(got) == 0 {
				t.Fatalf("listed %d entries, want %d", len(got), len(tc.want))
			}
			for i, e := range tc.want {
				g := got[i]
				if g.GetFamily() != e.Family || g.GetCode() != e.Code || g.GetName() != e.Name ||
					g.GetReason() != e.Reason || g.GetSpec().GetEnUs() != e.Spec.GetEnUs() {
					t.Errorf("entry %d is %v, want %s", i, g, e.Name)
				}
			}
		})
	}
}

func TestListErrorCodesRejectsBadRequests(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t))
	first, err := c.ListErrorCodes(callCtx(t), &errbridgev1.ListErrorCodesRequest{PageSize: 5})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v, token %q", err, first.GetNextPageToken())
	}
	badCode := code.Code(99)
	for _, tc := range []struct {
		name  string
		req   *errbridgev1.ListErrorCodesRequest
		field string
	}{
		{"negative page size", &errbridgev1.ListErrorCodesRequest{PageSize: -1}, "page_size"},
		{"garbage token", &errbridgev1.ListErrorCodesRequest{PageToken: "not-a-token!"}, "page_token"},
		{"token of another filter", &errbridgev1.ListErrorCodesRequest{
			PageToken: first.GetNextPageToken(), Family: errbridgev1.ApiFamily_API_FAMILY_REST}, "page_token"},
		{"unknown family", &errbridgev1.ListErrorCodesRequest{Family: 9}, "family"},
		{"unknown grpc code", &errbridgev1.ListErrorCodesRequest{GrpcCode: &badCode}, "grpc_code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.ListErrorCodes(callCtx(t), tc.req)
			if fields := violatedFields(t, err); fields[0] != tc.field {
				t.Errorf("violations %v, want %s", fields, tc.field)
			}
		})
	}
	// The same token with its own filter, and another page size, is fine.
	if _, err := c.ListErrorCodes(callCtx(t), &errbridgev1.ListErrorCodesRequest{PageToken: first.GetNextPageToken(), PageSize: 9}); err != nil {
		t.Errorf("second page: %v", err)
	}
}

func TestGetErrorCode(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t))
	for _, tc := range []struct {
		name string
		req  *errbridgev1.GetErrorCodeRequest
		want string // entry name; empty for NOT_FOUND
	}{
		{"REST code, family unspecified", &errbridgev1.GetErrorCodeRequest{Code: 9003}, "REST_ERROR_CODE_MEETING_NOT_FOUND"},
		{"OAuth code, family unspecified", &errbridgev1.GetErrorCodeRequest{Code: 1005}, "OAUTH_ERROR_CODE_ACCESS_TOKEN_EXPIRED"},
		{"OAuth code in OAuth", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH, Code: 1002}, "OAUTH_ERROR_CODE_AUTH_CODE_INVALID"},
		{"fallback reason", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_FALLBACK, Code: 2}, "FALLBACK_REASON_UNPARSEABLE_BODY"},
		{"by reason", &errbridgev1.GetErrorCodeRequest{Reason: "APP_MINUTE_RATE_EXCEEDED"}, "REST_ERROR_CODE_APP_MINUTE_RATE_EXCEEDED"},
		{"reason wins over code", &errbridgev1.GetErrorCodeRequest{Reason: "MEETING_ENDED", Code: 9003}, "REST_ERROR_CODE_MEETING_ENDED"},
		{"OAuth code in REST", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 1005}, ""},
		{"unknown code", &errbridgev1.GetErrorCodeRequest{Code: 424242}, ""},
		{"unknown reason", &errbridgev1.GetErrorCodeRequest{Reason: "NO_SUCH_REASON"}, ""},
		{"a new code", &errbridgev1.GetErrorCodeRequest{Code: 9007}, "REST_ERROR_CODE_MEETING_CANCELLED"},
		{"a renamed reason", &errbridgev1.GetErrorCodeRequest{Reason: "SUPER_ADMIN_NOT_DELETABLE"}, "REST_ERROR_CODE_SUPER_ADMIN_NOT_DELETABLE"},
		{"a retired reason is gone", &errbridgev1.GetErrorCodeRequest{Reason: "USER_STATE_ERROR"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.GetErrorCode(callCtx(t), tc.req)
			if tc.want == "" {
				st, _ := status.FromError(err)
				if st.Code() != codes.NotFound || st.Message() == "" {
					t.Fatalf("got %v, %v; want NOT_FOUND with a message", resp, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("GetErrorCode: %v", err)
			}
			if got := resp.GetErrorCode().GetName(); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
