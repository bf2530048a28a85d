#!/usr/bin/env node
// translate.mjs asks a running errbridge server to translate one upstream
// Tencent Meeting response, over real gRPC (HTTP/2), and prints the result as
// one line of JSON. It reads the answer the way a client should: from the
// google.protobuf.Any details of the google.rpc.Status, unpacked with the
// generated gen/es types, not from the response's convenience fields.
//
//   npm ci && scripts/generate          # once: node_modules and gen/es
//   node examples/node/translate.mjs --addr 127.0.0.1:50051 \
//     --http-status 500 --body '{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}'
//
// Flags: --addr host:port (default localhost:50051), --http-status N
// (required), --body TEXT (the upstream body, default empty), --locale TAG,
// --method VERB, --family rest|oauth, --transport grpc|connect|grpc-web. The
// default transport is gRPC over HTTP/2 to the gRPC port; connect (the
// Connect protocol with JSON) and grpc-web go over HTTP/1.1 to the HTTP port
// (errbridge serve --http-listen, :8080 by default):
//
//   node examples/node/translate.mjs --addr 127.0.0.1:8080 --transport connect --http-status 400 --body '...'
//
// The output has the same keys, in the same order and format, as
// examples/python/translate.py, whatever the transport. A failed call exits 1
// with the gRPC code and message on stderr; bad flags exit 2.

import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { create, createRegistry } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";

import {
  ApiFamily,
  TranslateRequestSchema,
  TranslatorService,
} from "../../gen/es/errbridge/v1/translator_pb.js";
import { Code } from "../../gen/es/google/rpc/code_pb.js";
import {
  ErrorInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  QuotaFailureSchema,
  RequestInfoSchema,
  RetryInfoSchema,
} from "../../gen/es/google/rpc/error_details_pb.js";

const USAGE =
  "usage: node examples/node/translate.mjs [--addr HOST:PORT] --http-status N " +
  "[--body TEXT] [--locale TAG] [--method VERB] [--family rest|oauth] [--transport grpc|connect|grpc-web]";

// The detail types this client knows how to read.
const detailTypes = createRegistry(
  ErrorInfoSchema,
  RetryInfoSchema,
  LocalizedMessageSchema,
  QuotaFailureSchema,
  RequestInfoSchema,
  HelpSchema,
);

const families = { rest: ApiFamily.REST, oauth: ApiFamily.OAUTH };

// transports makes each transport for a base URL. Connect with JSON reads
// the Any details by their type names, so it needs the detail types too.
const transports = {
  grpc: (baseUrl) => createGrpcTransport({ baseUrl }),
  connect: (baseUrl) =>
    createConnectTransport({
      baseUrl,
      httpVersion: "1.1",
      useBinaryFormat: false,
      jsonOptions: { registry: detailTypes },
    }),
  "grpc-web": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
};

function usageError(message) {
  process.stderr.write(`translate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseFlags(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        addr: { type: "string", default: "localhost:50051" },
        "http-status": { type: "string" },
        body: { type: "string", default: "" },
        locale: { type: "string", default: "" },
        method: { type: "string", default: "" },
        family: { type: "string" },
        transport: { type: "string", default: "grpc" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    usageError(err.message);
  }
  const flags = parsed.values;
  if (flags.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  }
  if (flags["http-status"] === undefined) usageError("--http-status is required");
  const httpStatus = Number(flags["http-status"]);
  if (!Number.isInteger(httpStatus)) usageError(`--http-status: not an integer: ${flags["http-status"]}`);
  let family = ApiFamily.UNSPECIFIED;
  if (flags.family !== undefined) {
    family = families[flags.family.toLowerCase()];
    if (family === undefined) usageError(`--family must be rest or oauth, not ${flags.family}`);
  }
  if (!Object.hasOwn(transports, flags.transport)) {
    usageError(`--transport must be grpc, connect or grpc-web, not ${flags.transport}`);
  }
  return { ...flags, httpStatus, family };
}

// durationSeconds turns a google.protobuf.Duration into a number of seconds.
function durationSeconds(d) {
  return Number(d.seconds) + d.nanos / 1e9;
}

// summarize reads a google.rpc.Status the way any gRPC client can: the code,
// then each Any detail unpacked into its generated type (proxy-status.mjs
// reads the proxy's Status header with it too).
export function summarize(status) {
  const out = {
    grpcCode: status?.code ?? 0,
    grpcCodeName: Code[status?.code ?? 0] ?? "UNKNOWN",
    reason: null,
    domain: null,
    errorCode: null,
    retryDelaySeconds: null,
    localizedMessage: null,
    locale: null,
    details: [],
  };
  for (const any of status?.details ?? []) {
    out.details.push(any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1));
    const msg = anyUnpack(any, detailTypes);
    switch (msg?.$typeName) {
      case ErrorInfoSchema.typeName:
        out.reason ??= msg.reason;
        out.domain ??= msg.domain;
        out.errorCode ??= msg.metadata.errorCode ?? null;
        break;
      case RetryInfoSchema.typeName:
        if (out.retryDelaySeconds === null && msg.retryDelay) {
          out.retryDelaySeconds = durationSeconds(msg.retryDelay);
        }
        break;
      case LocalizedMessageSchema.typeName:
        out.localizedMessage ??= msg.message;
        out.locale ??= msg.locale;
        break;
      default:
        // QuotaFailure, RequestInfo, Help and unknown types: named only.
        break;
    }
  }
  return out;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const transport = transports[flags.transport]("http://" + flags.addr);
  const client = createClient(TranslatorService, transport);
  const request = create(TranslateRequestSchema, {
    httpStatus: flags.httpStatus,
    body: new TextEncoder().encode(flags.body),
    locale: flags.locale,
    method: flags.method,
    family: flags.family,
  });
  let response;
  try {
    response = await client.translate(request, { timeoutMs: 10_000 });
  } catch (err) {
    // Connect's codes are gRPC's numbers, so google.rpc.Code names them the
    // way gRPC (and the Python example) spells them.
    const e = ConnectError.from(err);
    process.stderr.write(`translate: Translate on ${flags.addr} (${flags.transport}) failed: ${Code[e.code]}: ${e.rawMessage}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(summarize(response.status)) + "\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
