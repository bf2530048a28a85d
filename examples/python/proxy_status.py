#!/usr/bin/python3
"""Call Tencent Meeting through errbridge proxy and read the error back.

The Python twin of examples/node/proxy-status.mjs, with nothing but the
standard library's urllib: X-Errbridge-Status-Bin is a serialized
google.rpc.Status in standard base64, decoded with the generated gen/python
types (Debian's python3-protobuf, under /usr/bin/python3).

    examples/python/proxy_status.py http://127.0.0.1:8081/v1/meetings/123 [--method POST]

It prints one line of JSON with the same keys as the Node example.
"""

import argparse
import base64
import json
import os
import sys
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # gen/ holds only what scripts/generate writes
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gen", "python"))

from google.rpc import code_pb2, error_details_pb2, status_pb2  # noqa: E402


def status_from_headers(headers):
    """Decode X-Errbridge-Status-Bin into a google.rpc.Status, or None."""
    value = headers.get("X-Errbridge-Status-Bin")
    if not value:
        return None
    return status_pb2.Status.FromString(base64.b64decode(value, validate=True))


def summarize(http_status, headers):
    """The code and the details a caller branches on."""
    status = status_from_headers(headers) or status_pb2.Status()
    out = {
        "httpStatus": http_status,
        "grpcCodeName": code_pb2.Code.Name(status.code),
        "reason": None,
        "errorCode": None,
        "retryDelaySeconds": None,
        "retryAfter": headers.get("Retry-After"),
        "localizedMessage": None,
        "details": [a.type_url.rsplit("/", 1)[-1] for a in status.details],
    }
    for detail in status.details:
        for cls in (error_details_pb2.ErrorInfo, error_details_pb2.RetryInfo, error_details_pb2.LocalizedMessage):
            if detail.Is(cls.DESCRIPTOR):
                msg = cls()
                detail.Unpack(msg)
                if cls is error_details_pb2.ErrorInfo:
                    out["reason"] = msg.reason
                    out["errorCode"] = msg.metadata.get("errorCode")
                elif cls is error_details_pb2.RetryInfo:
                    out["retryDelaySeconds"] = msg.retry_delay.seconds + msg.retry_delay.nanos / 1e9
                else:
                    out["localizedMessage"] = msg.message
    return out


def main():
    parser = argparse.ArgumentParser(description="Call through errbridge proxy and decode its Status header.")
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    args = parser.parse_args()
    request = urllib.request.Request(args.url, method=args.method)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            resp.read()
            http_status, headers = resp.status, resp.headers
    except urllib.error.HTTPError as err:  # urllib raises for every status >= 400
        err.read()
        http_status, headers = err.code, err.headers
    print(json.dumps(summarize(http_status, headers), ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
