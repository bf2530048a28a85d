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

import { parseArgs } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { createRegistry } from "@bufbuild/protobuf";

import { Code } from "../../gen/es/google/rpc/code_pb.js";
import { StatusSchema } from "../../gen/es/google/rpc/status_pb.js";
import {
  ErrorInfoSchema,
  LocalizedMessageSchema,
  RetryInfoSchema,
} from "../../gen/es/google/rpc/error_details_pb.js";

const registry = createRegistry(ErrorInfoSchema, RetryInfoSchema, LocalizedMessageSchema);

// statusFromHeaders decodes X-Errbridge-Status-Bin from a fetch Headers
// object into a google.rpc.Status message, or returns undefined.
export function statusFromHeaders(headers) {
  const value = headers.get("x-errbridge-status-bin");
  if (!value) return undefined;
  return fromBinary(StatusSchema, Buffer.from(value, "base64"));
}

// summarize reads the code and the details a caller branches on.
export function summarize(httpStatus, headers) {
  const status = statusFromHeaders(headers);
  const out = {
    httpStatus,
    grpcCodeName: Code[status?.code ?? 0],
    reason: null,
    errorCode: null,
    retryDelaySeconds: null,
    retryAfter: headers.get("retry-after"),
    localizedMessage: null,
    details: (status?.details ?? []).map((a) => a.typeUrl.slice(a.typeUrl.lastIndexOf("/") + 1)),
  };
  for (const any of status?.details ?? []) {
    const msg = anyUnpack(any, registry);
    if (msg?.$typeName === ErrorInfoSchema.typeName) {
      out.reason = msg.reason;
      out.errorCode = msg.metadata.errorCode ?? null;
    } else if (msg?.$typeName === RetryInfoSchema.typeName) {
      out.retryDelaySeconds = Number(msg.retryDelay.seconds) + msg.retryDelay.nanos / 1e9;
    } else if (msg?.$typeName === LocalizedMessageSchema.typeName) {
      out.localizedMessage = msg.message;
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
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
