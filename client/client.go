package client

import (
	"context"
	"errors"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
)

// userAgent prefixes the gRPC user agent of a dialled [Client].
const userAgent = "errbridge-go-client"

// Client calls a remote errbridge server. It is safe for concurrent use.
type Client struct {
	conn  grpc.ClientConnInterface
	owned *grpc.ClientConn // closed by Close when Dial made it
	stub  errbridgev1.TranslatorServiceClient
}

// Dial returns a client of the server at target (any gRPC target, e.g.
// "localhost:50051" or "dns:///errbridge-headless:50051"). It does not wait
// for a connection: the first call does. By default the connection is
// plaintext, and [DefaultServiceConfig] balances over every resolved address
// and retries calls that fail UNAVAILABLE; see the options.
func Dial(target string, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.creds == nil {
		return nil, errors.New("client: nil transport credentials")
	}
	dopts := []grpc.DialOption{
		grpc.WithTransportCredentials(o.creds),
		grpc.WithUserAgent(userAgent),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(o.maxRecv)),
	}
	if o.serviceConfig != "" {
		dopts = append(dopts, grpc.WithDefaultServiceConfig(o.serviceConfig))
	}
	if o.noRetries {
		dopts = append(dopts, grpc.WithDisableRetry())
	}
	conn, err := grpc.NewClient(target, append(dopts, o.dial...)...)
	if err != nil {
		return nil, err
	}
	c := New(conn)
	c.owned = conn
	return c, nil
}

// New returns a client over an existing connection, which the caller keeps
// and closes.
func New(conn grpc.ClientConnInterface) *Client {
	return &Client{conn: conn, stub: errbridgev1.NewTranslatorServiceClient(conn)}
}

// Close closes the connection if [Dial] made it; it does nothing for a
// client made by [New].
func (c *Client) Close() error {
	if c == nil || c.owned == nil {
		return nil
	}
	return c.owned.Close()
}

// Conn returns the client's connection, e.g. for the health service.
func (c *Client) Conn() grpc.ClientConnInterface { return c.conn }

// Stub returns the generated stub, for calls that need grpc.CallOptions.
func (c *Client) Stub() errbridgev1.TranslatorServiceClient { return c.stub }

// Translate translates one upstream response on the server.
func (c *Client) Translate(ctx context.Context, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	return c.stub.Translate(ctx, req)
}

// TranslateBatch translates many responses on the server.
func (c *Client) TranslateBatch(ctx context.Context, req *errbridgev1.TranslateBatchRequest) (*errbridgev1.TranslateBatchResponse, error) {
	return c.stub.TranslateBatch(ctx, req)
}

// ListErrorCodes pages through the server's catalogue.
func (c *Client) ListErrorCodes(ctx context.Context, req *errbridgev1.ListErrorCodesRequest) (*errbridgev1.ListErrorCodesResponse, error) {
	return c.stub.ListErrorCodes(ctx, req)
}

// GetErrorCode returns one entry of the server's catalogue.
func (c *Client) GetErrorCode(ctx context.Context, req *errbridgev1.GetErrorCodeRequest) (*errbridgev1.GetErrorCodeResponse, error) {
	return c.stub.GetErrorCode(ctx, req)
}
