package client

import (
	_ "google.golang.org/grpc/health" // client-side health checking, for healthCheckConfig
)

// DefaultServiceConfig is the gRPC service config a dialled [Client] uses
// unless [WithServiceConfig] replaces it, or the name resolver supplies one:
//
//   - round_robin over every address the target resolves to (a headless
//     Kubernetes Service, "dns:///errbridge-headless:50051", gives one per
//     pod), instead of gRPC's default of the first address only;
//   - client-side health checking: a replica whose grpc.health.v1 status is
//     not SERVING, such as one draining after SIGTERM, gets no new calls;
//   - up to 5 attempts, with exponential backoff from 50 ms to 1 s, of any
//     TranslatorService call that fails UNAVAILABLE (a replica that died or
//     went away mid-call). Every TranslatorService RPC has no side effects
//     (idempotency_level = NO_SIDE_EFFECTS in translator.proto), so
//     repeating one is safe. The translated upstream status is in the
//     response, never the call's status, so this never retries an upstream
//     error: that decision stays the caller's ([ShouldRetry], [RetryDelay]);
//   - retry throttling, so that retries stop while most calls fail.
//
// The server renews connections every few minutes (its
// --keepalive-max-connection-age), so clients re-resolve and reach replicas
// added since they connected.
const DefaultServiceConfig = `{
  "loadBalancingConfig": [{"round_robin": {}}],
  "healthCheckConfig": {"serviceName": ""},
  "methodConfig": [{
    "name": [{"service": "errbridge.v1.TranslatorService"}],
    "retryPolicy": {
      "maxAttempts": 5,
      "initialBackoff": "0.05s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }],
  "retryThrottling": {"maxTokens": 100, "tokenRatio": 0.1}
}`
