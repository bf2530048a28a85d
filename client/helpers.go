package client

import "time"

// The helpers below read the status of any error (see [Parse]); each
// accepts nil and an error without a status, for which it returns zero
// values. For a *status.Status or a google.rpc.Status message, use
// [ParseStatus] or [ParseProto] and the [Details] methods of the same names.

// Reason returns the ErrorInfo reason of err, e.g. "MEETING_NOT_FOUND".
func Reason(err error) string { return Parse(err).Reason() }

// Domain returns the ErrorInfo domain of err.
func Domain(err error) string { return Parse(err).Domain() }

// UpstreamCode returns the upstream error code of err, from the ErrorInfo
// metadata "errorCode", when there is a numeric one.
func UpstreamCode(err error) (int64, bool) { return Parse(err).UpstreamCode() }

// RetryDelay returns the RetryInfo delay of err, and whether it has one.
func RetryDelay(err error) (time.Duration, bool) { return Parse(err).RetryDelay() }

// ShouldRetry reports whether the request that failed with err may be sent
// again: only when err carries a RetryInfo or its code is UNAVAILABLE.
func ShouldRetry(err error) bool { return err != nil && Parse(err).ShouldRetry() }

// LocalizedMessage returns the LocalizedMessage text of err and its locale.
func LocalizedMessage(err error) (message, locale string) { return Parse(err).Localized() }
