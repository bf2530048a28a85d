#!/usr/bin/python3
"""Translate one upstream Tencent Meeting response with a running errbridge.

The Python twin of examples/node/translate.mjs: the same flags, and the same
one line of JSON, byte for byte. It reads the answer from the
google.protobuf.Any details of the google.rpc.Status, unpacked into the
generated gen/python classes, not from the response's convenience fields.

Runs under Debian's /usr/bin/python3 with Debian's python3-grpcio and
python3-protobuf (scripts/install-deps installs them); gen/python was made by
Debian's protoc to match. Other Python builds on the PATH lack those modules.

    examples/python/translate.py --addr 127.0.0.1:50051 --http-status 500 \\
        --body '{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}'

A failed call exits 1 with the gRPC code and message on stderr; bad flags exit 2.
"""

import argparse
import json
import os
import sys

# No __pycache__ under gen/python: gen/ must hold only what scripts/generate
# writes, or the drift check would see extra files.
sys.dont_write_bytecode = True

# gen/python is a tree of namespace packages (no __init__.py), so its google/
# merges with the system google.protobuf instead of hiding it.
sys.path.insert(
    0,
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gen", "python"),
)

try:
    import grpc
    from errbridge.v1 import translator_pb2, translator_pb2_grpc
    from google.rpc import code_pb2, error_details_pb2
except ImportError as err:
    sys.exit(
        f"translate: {err}: run this with /usr/bin/python3 (Debian's python3-grpcio and "
        "python3-protobuf, see scripts/install-deps) after scripts/generate has made gen/python"
    )

FAMILIES = {
    "rest": translator_pb2.API_FAMILY_REST,
    "oauth": translator_pb2.API_FAMILY_OAUTH,
}

TIMEOUT_SECONDS = 10


def parse_flags(argv):
    parser = argparse.ArgumentParser(
        prog="examples/python/translate.py",
        description="Translate one upstream response with errbridge and print one line of JSON.",
    )
    parser.add_argument("--addr", default="localhost:50051", help="server host:port")
    parser.add_argument("--http-status", type=int, required=True, help="upstream HTTP status")
    parser.add_argument("--body", default="", help="upstream response body")
    parser.add_argument("--locale", default="", help="BCP-47 locale of the message, e.g. zh-CN")
    parser.add_argument("--method", default="", help="HTTP method of the failed request")
    parser.add_argument("--family", type=str.lower, choices=sorted(FAMILIES), help="upstream API")
    return parser.parse_args(argv)


def duration_seconds(d):
    """A google.protobuf.Duration as seconds: an int when whole, like JavaScript prints it."""
    if d.nanos == 0:
        return d.seconds
    return d.seconds + d.nanos / 1e9


def summarize(status):
    """Read a google.rpc.Status: the code, then each Any detail in its generated class."""
    out = {
        "grpcCode": status.code,
        "grpcCodeName": code_pb2.Code.Name(status.code)
        if status.code in code_pb2.Code.values()
        else "UNKNOWN",
        "reason": None,
        "domain": None,
        "errorCode": None,
        "retryDelaySeconds": None,
        "localizedMessage": None,
        "locale": None,
        "details": [],
    }
    for any_ in status.details:
        out["details"].append(any_.type_url.rsplit("/", 1)[-1])
        if any_.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            any_.Unpack(info)
            if out["reason"] is None:
                out["reason"] = info.reason
                out["domain"] = info.domain
                out["errorCode"] = info.metadata.get("errorCode")
        elif any_.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            any_.Unpack(retry)
            if out["retryDelaySeconds"] is None and retry.HasField("retry_delay"):
                out["retryDelaySeconds"] = duration_seconds(retry.retry_delay)
        elif any_.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
            msg = error_details_pb2.LocalizedMessage()
            any_.Unpack(msg)
            if out["localizedMessage"] is None:
                out["localizedMessage"] = msg.message
                out["locale"] = msg.locale
        # QuotaFailure, RequestInfo, Help and unknown types: named only.
    return out


def main(argv):
    flags = parse_flags(argv)
    request = translator_pb2.TranslateRequest(
        http_status=flags.http_status,
        body=flags.body.encode("utf-8"),
        locale=flags.locale,
        method=flags.method,
        family=FAMILIES.get(flags.family, translator_pb2.API_FAMILY_UNSPECIFIED),
    )
    with grpc.insecure_channel(flags.addr) as channel:
        stub = translator_pb2_grpc.TranslatorServiceStub(channel)
        try:
            response = stub.Translate(request, timeout=TIMEOUT_SECONDS)
        except grpc.RpcError as err:
            print(
                f"translate: Translate on {flags.addr} failed: {err.code().name}: {err.details()}",
                file=sys.stderr,
            )
            return 1
    # Compact separators and raw UTF-8 match JSON.stringify in the node example.
    print(json.dumps(summarize(response.status), separators=(",", ":"), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
