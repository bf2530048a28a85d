#!/usr/bin/env node
// proxy-status.mjs calls Tencent Meeting through errbridge proxy with Node's
// own fetch, and reads the canonical error back from the response headers:
// X-Errbridge-Status-Bin is a serialized google.rpc.Status in standard
// base64, decoded here with the generated gen/es types. No errbridge client
// and no gRPC: any HTTP client works the same way.
//
//   node examples/node/proxy-status.mjs http://127.0.0.1:8081/v1/meetings/123 [--method POST]
//
// It prints one line of JSON, with the same keys as
// examples/python/proxy_status.py; a success prints grpcCodeName "OK".

import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";

import { StatusSchema } from "../../gen/es/google/rpc/status_pb.js";
import { summarize as summarizeStatus } from "./translate.mjs";

// statusFromHeaders decodes X-Errbridge-Status-Bin from a fetch Headers
// object into a google.rpc.Status message, or returns undefined.
export function statusFromHeaders(headers) {
  const value = headers.get("x-errbridge-status-bin");
  if (!value) return undefined;
  return fromBinary(StatusSchema, Buffer.from(value, "base64"));
}

// summarize is what a caller branches on: the HTTP status, the Status read
// as translate.mjs reads a gRPC one (no header: a success, code OK), and
// Retry-After.
export function summarize(httpStatus, headers) {
  return { httpStatus, ...summarizeStatus(statusFromHeaders(headers)), retryAfter: headers.get("retry-after") };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { method: { type: "string", default: "GET" } },
  });
  if (positionals.length !== 1) {
    process.stderr.write("usage: node examples/node/proxy-status.mjs URL [--method VERB]\n");
    process.exit(2);
  }
  const resp = await fetch(positionals[0], { method: values.method, signal: AbortSignal.timeout(10_000) });
  await resp.arrayBuffer(); // the body is the upstream's (or per --error-body)
  process.stdout.write(JSON.stringify(summarize(resp.status, resp.headers)) + "\n");
}
