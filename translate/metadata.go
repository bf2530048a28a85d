package translate

// MetadataUpstreamMessage is the ErrorInfo metadata key under which a Status
// keeps the upstream message, valid UTF-8 and bounded.
const MetadataUpstreamMessage = keyUpstreamMessage
