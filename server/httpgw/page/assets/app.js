// app.js drives the catalogue page: it reads the whole catalogue with
// ListErrorCodes, filters it as the search box changes, and sends the form
// to Translate, both through the Connect protocol (JSON over POST) on the
// origin that served the page. Everything it shows is built with DOM calls
// and textContent, never parsed as HTML, since upstream texts and pasted
// bodies are untrusted.
//
// The URL drives it too, so that a link can share a search or a
// translation (and a headless browser can be pointed at one):
//   ?q=TEXT                                   searches the catalogue
//   ?status=N&body=TEXT[&method=M][&locale=L] fills the form and translates

const SERVICE = "/errbridge.v1.TranslatorService/";
const PAGE_SIZE = 500; // ListErrorCodes' largest page

// RPCError is a failed Connect call: its code ("invalid_argument"), message
// and the type names of its details.
class RPCError extends Error {
  constructor(method, code, message, details) {
    super(`${method}: ${code}: ${message}`);
    this.code = code;
    this.rpcMessage = message;
    this.details = details ?? [];
  }
}

// call makes one unary Connect call with JSON and returns the decoded
// response message.
async function call(method, request) {
  let resp;
  try {
    resp = await fetch(SERVICE + method, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
      body: JSON.stringify(request),
    });
  } catch (err) {
    throw new RPCError(method, "unavailable", `the server did not answer (${err.message})`);
  }
  const text = await resp.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RPCError(method, `http ${resp.status}`, text.slice(0, 300) || resp.statusText);
  }
  if (!resp.ok) {
    throw new RPCError(method, json.code ?? `http ${resp.status}`, json.message ?? "", json.details);
  }
  return json;
}

// el creates an element with attributes and children (strings become text).
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---- the catalogue ----

const enumSuffix = (value, prefix) => String(value ?? "").replace(prefix, "").toLowerCase();

// retryText says when a code may be retried, as the README's table does.
function retryText(spec) {
  switch (spec.retry) {
    case "RETRY_POLICY_FIXED_DELAY":
      return `after ${spec.retryDelay ?? "?"}`;
    case "RETRY_POLICY_NEXT_WINDOW":
      return `next ${enumSuffix(spec.quota?.window, "QUOTA_WINDOW_") || "window"}`;
    case "RETRY_POLICY_IF_IDEMPOTENT":
      return `if idempotent, after ${spec.retryDelay ?? "?"}`;
    default:
      return "never";
  }
}

// grpcCodeText is the gRPC code of an entry; proto3 JSON leaves OK out.
function grpcCodeText(spec) {
  return spec.codeFromHttpStatus ? "from HTTP status" : (spec.grpcCode ?? "OK");
}

// loadCatalogue reads every page of ListErrorCodes.
async function loadCatalogue() {
  const all = [];
  let pageToken = "";
  for (let page = 0; page < 100; page++) {
    const resp = await call("ListErrorCodes", { pageSize: PAGE_SIZE, pageToken });
    all.push(...(resp.errorCodes ?? []));
    pageToken = resp.nextPageToken ?? "";
    if (!pageToken) return all;
  }
  throw new Error("ListErrorCodes kept returning pages");
}

function row(entry) {
  const spec = entry.spec ?? {};
  const family = enumSuffix(entry.family, "API_FAMILY_");
  const code = String(entry.code ?? "0");
  const grpcCode = grpcCodeText(spec);
  const quota = spec.quota?.description ?? "";
  const tr = el("tr", { dataset: { code, family, reason: entry.reason } },
    el("td", {}, el("span", { class: `family family-${family}` }, family)),
    el("td", { class: "num" }, code),
    el("td", {}, el("code", { class: "reason" }, entry.reason)),
    el("td", {}, el("span", { class: `grpc grpc-${grpcCode.replace(/\W+/g, "_")}` }, grpcCode)),
    el("td", { class: "retry" }, retryText(spec)),
    el("td", { class: "quota" }, quota),
    el("td", { class: "meaning" },
      el("div", { class: "en", lang: "en" }, spec.enUs ?? ""),
      el("div", { class: "zh", lang: "zh-CN" }, spec.zhCn ?? ""),
      spec.helpUrl ? el("a", { class: "help", href: spec.helpUrl, rel: "noreferrer noopener", target: "_blank" },
        spec.helpDescription || "upstream documentation") : null),
    el("td", {}, family === "fallback" ? null :
      el("button", { type: "button", class: "try", title: "Fill the form with a body carrying this code" }, "try")),
  );
  // What the search matches: the code, the reason, the enum name, the gRPC
  // code and both texts, case-folded.
  const haystack = [code, entry.reason, entry.name, grpcCode, spec.enUs, spec.zhCn, quota].join("\n").toLowerCase();
  if (family !== "fallback") {
    tr.querySelector("button.try").addEventListener("click", () => tryCode(family, code, spec));
  }
  return { tr, haystack };
}

// tryCode fills the form with a body of the entry's family carrying its code.
function tryCode(family, code, spec) {
  const form = document.getElementById("translate-form");
  const n = Number(code);
  const body = family === "oauth"
    ? { code: n, message: spec.enUs ?? "", nonce: "0" }
    : { error_info: { error_code: n, message: spec.zhCn ?? "" } };
  form.elements.body.value = JSON.stringify(body);
  form.elements.status.value = spec.grpcCode === "INTERNAL" || spec.grpcCode === "UNKNOWN" ? "500" : "400";
  form.scrollIntoView({ behavior: "smooth", block: "start" });
  form.requestSubmit();
}

let rows = [];

function applySearch(query) {
  const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const r of rows) {
    const match = terms.every((t) => r.haystack.includes(t));
    r.tr.hidden = !match;
    if (match) shown++;
  }
  const count = document.getElementById("count");
  count.textContent = terms.length
    ? `${shown} of ${rows.length} codes match “${query.trim()}”`
    : `${rows.length} codes`;
  count.dataset.shown = String(shown);
}

function setQueryParam(name, value) {
  const url = new URL(window.location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  window.history.replaceState(null, "", url);
}

async function initCatalogue(params) {
  const search = document.getElementById("search");
  search.value = params.get("q") ?? "";
  let entries;
  try {
    entries = await loadCatalogue();
  } catch (err) {
    document.getElementById("count").textContent = `Could not load the catalogue: ${err.message}`;
    document.body.dataset.catalogue = "failed";
    return;
  }
  // Code 0 of each family is the success value, not an error code.
  rows = entries.filter((e) => Number(e.code ?? 0) !== 0).map(row);
  document.querySelector("#codes tbody").replaceChildren(...rows.map((r) => r.tr));
  applySearch(search.value);
  search.addEventListener("input", () => {
    applySearch(search.value);
    setQueryParam("q", search.value.trim());
  });
  document.body.dataset.catalogue = "loaded";
}

// ---- the translation ----

// base64 encodes text as UTF-8 and then base64, as proto3 JSON wants bytes.
function base64(text) {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

const typeName = (typeUrl) => String(typeUrl ?? "").slice(String(typeUrl ?? "").lastIndexOf("/") + 1);

// isEmpty reports a field that proto3 JSON spells out only because the
// server emits unpopulated fields: "", null, [] or {}.
const isEmpty = (v) =>
  v === "" || v === null || v === undefined ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);

// value renders a decoded JSON value: objects and arrays as nested lists,
// leaving out empty fields.
function value(v) {
  if (Array.isArray(v)) {
    return v.length === 0 ? el("span", { class: "empty" }, "none") : el("ol", { class: "list" }, v.map((x) => el("li", {}, value(x))));
  }
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).filter((k) => !isEmpty(v[k]));
    if (keys.length === 0) return el("span", { class: "empty" }, "empty");
    return el("dl", { class: "fields" }, keys.flatMap((k) => [el("dt", {}, k), el("dd", { dataset: { field: k } }, value(v[k]))]));
  }
  return el("span", { class: "scalar" }, String(v));
}

// detail renders one google.protobuf.Any of the status, decoded.
function detail(any) {
  const { "@type": typeUrl, ...fields } = any ?? {};
  const name = typeName(typeUrl);
  return el("article", { class: "detail", dataset: { type: name } },
    el("h4", {}, name),
    value(fields));
}

function fact(label, v, attrs = {}) {
  if (v === undefined || v === null || v === "") return [];
  return [el("dt", {}, label), el("dd", attrs, String(v))];
}

function showTranslation(resp, request) {
  const st = resp.status ?? {};
  const code = resp.code ?? "OK";
  const entry = resp.restCode ?? resp.oauthCode ?? resp.fallbackReason;
  const result = document.getElementById("result");
  result.replaceChildren(
    el("div", { class: "headline" },
      el("span", { id: "result-code", class: `grpc grpc-${code}` }, code),
      el("span", { class: "grpc-number" }, `gRPC ${st.code ?? 0}`),
      el("span", { id: "result-message", class: "message" }, st.message ?? "")),
    el("dl", { class: "facts" },
      fact("reason", resp.reason, { id: "result-reason" }),
      fact("domain", resp.domain),
      fact("matched", entry),
      // int64 zero means the body had no such number.
      fact("error code", resp.errorCode === "0" ? null : resp.errorCode),
      fact("new error code", resp.newErrorCode === "0" ? null : resp.newErrorCode),
      fact("retry", resp.retryable ? `after ${resp.retryDelay}` : "do not retry", { id: "result-retry" }),
      fact(`message (${resp.locale ?? ""})`, resp.localizedMessage)),
    el("h3", {}, `Details (${(st.details ?? []).length})`),
    el("div", { class: "details" }, (st.details ?? []).map(detail)),
    el("details", { class: "raw" },
      el("summary", {}, "Request and response JSON"),
      el("pre", {}, JSON.stringify({ request, response: resp }, null, 2))),
  );
  result.className = code === "OK" ? "ok" : "error";
  result.hidden = false;
}

function showFailure(err) {
  const result = document.getElementById("result");
  const items = (err.details ?? []).map((d) => el("li", {}, d.type ?? "detail", d.debug ? `: ${JSON.stringify(d.debug)}` : ""));
  result.replaceChildren(
    el("div", { class: "headline" },
      el("span", { id: "result-code", class: "grpc grpc-failed" }, String(err.code ?? "failed").toUpperCase()),
      el("span", { id: "result-message", class: "message" }, err.rpcMessage ?? err.message)),
    items.length ? el("ul", { class: "failure-details" }, items) : null,
  );
  result.className = "failed";
  result.hidden = false;
}

async function translate(form) {
  const f = form.elements;
  const request = {
    httpStatus: Number(f.status.value),
    body: base64(f.body.value),
    method: f.method.value,
    locale: f.locale.value,
  };
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  document.body.dataset.translation = "running";
  try {
    showTranslation(await call("Translate", request), request);
    document.body.dataset.translation = "done";
  } catch (err) {
    showFailure(err);
    document.body.dataset.translation = "failed";
  } finally {
    button.disabled = false;
  }
}

function initForm(params) {
  const form = document.getElementById("translate-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    translate(form);
  });
  const f = form.elements;
  if (params.has("status")) f.status.value = params.get("status");
  for (const name of ["method", "locale"]) {
    const v = params.get(name);
    if (v && [...f[name].options].some((o) => o.value === v)) f[name].value = v;
  }
  if (params.has("body")) {
    f.body.value = params.get("body");
    return translate(form);
  }
  return Promise.resolve();
}

const params = new URLSearchParams(window.location.search);
await Promise.all([initCatalogue(params), initForm(params)]);
