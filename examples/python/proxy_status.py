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

from google.rpc import status_pb2  # noqa: E402

import translate  # noqa: E402  (this directory: summarize, as for a gRPC Status)


def status_from_headers(headers):
    """Decode X-Errbridge-Status-Bin into a google.rpc.Status, or None."""
    value = headers.get("X-Errbridge-Status-Bin")
    if not value:
        return None
    return status_pb2.Status.FromString(base64.b64decode(value, validate=True))


def summarize(http_status, headers):
    """What a caller branches on: the HTTP status, the Status read as
    translate.py reads a gRPC one (no header: a success, code OK), and
    Retry-After."""
    out = {"httpStatus": http_status}
    out.update(translate.summarize(status_from_headers(headers) or status_pb2.Status()))
    out["retryAfter"] = headers.get("Retry-After")
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
