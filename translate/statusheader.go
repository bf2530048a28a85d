package translate

// StatusHeader is the HTTP response header that carries a translated Status
// to HTTP callers: the serialized google.rpc.Status, with all its details,
// in standard padded base64. errbridge's egress proxy sets it (the [Result]'s
// Status, encoded by [AppendStatus]), and client.StatusFromHeader reads it.
const StatusHeader = "X-Errbridge-Status-Bin"
