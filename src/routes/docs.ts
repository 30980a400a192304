/**
 * `/api/docs`: an interactive reference for the OpenAPI document at /api/v1/openapi.json. Self-contained
 * (no CDN, no build step): a small page, its stylesheet and its script, all served by the Worker, under a
 * strict CSP. The script renders every operation (parameters, request body, responses, schemas) from the
 * document and has a "Try it" form that calls the API with `fetch` (SSE answers stream in as they come).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const OPENAPI_PATH = "/api/v1/openapi.json";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en" data-spec="${OPENAPI_PATH}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CIP API reference</title>
<link rel="stylesheet" href="/api/docs/docs.css">
<script src="/api/docs/docs.js" defer></script>
</head>
<body>
<header>
<h1>CIP API reference</h1>
<p>Generated from the zod schemas: <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a> (OpenAPI 3.1).
Errors are always <code>{"error": {"code", "message", "issues?"}}</code>.</p>
<div class="bar">
<label>Bearer token <input id="token" type="password" autocomplete="off" placeholder="access_token from …/login"></label>
<label>Filter <input id="filter" type="search" placeholder="path, tag or summary"></label>
</div>
</header>
<main id="ops"><p id="status">Loading the document…</p></main>
<noscript><p>This page needs JavaScript; the raw document is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</p></noscript>
</body>
</html>
`;

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{padding:16px 24px;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:1}
h1{margin:0 0 4px;font-size:22px}h2{margin:24px 0 8px;font-size:18px;text-transform:capitalize}
main{padding:0 24px 48px;max-width:1100px}.bar{display:flex;gap:16px;flex-wrap:wrap}
input,textarea,select{font:inherit;padding:4px 6px;border:1px solid #bbb;border-radius:4px}
textarea{width:100%;min-height:110px;font-family:ui-monospace,monospace;font-size:13px}
details.op{background:#fff;border:1px solid #ddd;border-radius:6px;margin:6px 0}
details.op>summary{cursor:pointer;padding:8px 10px;display:flex;gap:10px;align-items:baseline}
details.op>div{padding:4px 14px 14px}.m{font:600 12px ui-monospace,monospace;padding:2px 6px;border-radius:3px;color:#fff;min-width:52px;text-align:center}
.get{background:#2f7d32}.post{background:#1565c0}.put{background:#8e24aa}.patch{background:#ef6c00}.delete{background:#c62828}
.path{font-family:ui-monospace,monospace}.sum{color:#555}.lock{color:#a66}
table{border-collapse:collapse;width:100%;margin:6px 0}td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
pre{background:#f3f3f3;padding:8px;border-radius:4px;overflow:auto;max-height:360px;font-size:12.5px}
button{font:inherit;padding:5px 14px;border-radius:4px;border:1px solid #1565c0;background:#1565c0;color:#fff;cursor:pointer}
.out{margin-top:8px}.hidden{display:none}
`;

const SCRIPT = `(function () {
  "use strict";
  var spec = document.documentElement.getAttribute("data-spec");
  var doc = { paths: {}, components: { schemas: {} } };
  var token = document.getElementById("token");
  token.value = sessionStorage.getItem("cip-docs-token") || "";
  token.addEventListener("input", function () { sessionStorage.setItem("cip-docs-token", token.value); });
  document.getElementById("filter").addEventListener("input", filter);

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(kid); });
    return node;
  }
  function deref(s) {
    for (var hops = 0; s && s.$ref && hops < 20; hops++) s = doc.components.schemas[s.$ref.split("/").pop()];
    return s || {};
  }
  function expand(s, depth) {
    if (Array.isArray(s)) return s.map(function (x) { return expand(x, depth); });
    if (!s || typeof s !== "object") return s;
    if (s.$ref) return depth > 3 ? { $ref: s.$ref } : expand(deref(s), depth + 1);
    var out = {};
    Object.keys(s).forEach(function (k) { out[k] = expand(s[k], depth); });
    return out;
  }
  function sample(s, depth) {
    s = deref(s);
    if (depth > 5) return null;
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.enum) return s.enum[0];
    if (s.allOf) return Object.assign.apply(null, [{}].concat(s.allOf.map(function (p) { return sample(p, depth + 1); })));
    if (s.anyOf || s.oneOf) return sample((s.anyOf || s.oneOf)[0], depth + 1);
    var type = Array.isArray(s.type) ? s.type[0] : s.type;
    if (type === "string") return s.format === "uuid" ? "00000000-0000-4000-8000-000000000001" : s.format === "email" ? "owner@example.com" : "text";
    if (type === "integer" || type === "number") return s.minimum !== undefined ? s.minimum : 1;
    if (type === "boolean") return false;
    if (type === "array") return [sample(s.items || {}, depth + 1)];
    var out = {};
    Object.keys(s.properties || {}).forEach(function (k) {
      if ((s.required || []).indexOf(k) >= 0) out[k] = sample(s.properties[k], depth + 1);
    });
    return out;
  }
  function pre(value) { return el("pre", { text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }); }
  function constraints(s) {
    s = deref(s);
    var bits = [Array.isArray(s.type) ? s.type.join("|") : s.type || "any"];
    ["format", "pattern", "minLength", "maxLength", "minimum", "maximum", "maxItems"].forEach(function (k) {
      if (s[k] !== undefined) bits.push(k + " " + s[k]);
    });
    if (s.enum) bits.push("one of " + s.enum.join(", "));
    return bits.join("; ");
  }

  function renderOp(method, path, op) {
    var params = op.parameters || [];
    var body = op.requestBody && op.requestBody.content;
    var json = body && body["application/json"];
    var form = el("form", {});
    var inputs = params.map(function (p) {
      var input = el("input", { name: p.name, placeholder: p.in + (p.required ? " (required)" : "") });
      form.appendChild(el("label", { text: p.name + " " }, [input]));
      form.appendChild(el("br"));
      return { p: p, input: input };
    });
    var bodyInput = json ? el("textarea", {}) : body ? el("input", { type: "file" }) : null;
    if (json) bodyInput.value = JSON.stringify(sample(json.schema, 0), null, 2);
    if (bodyInput) form.appendChild(bodyInput);
    var out = el("div", { class: "out" });
    form.appendChild(el("button", { type: "submit", text: "Try it" }));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(method, path, op, inputs, bodyInput, json, out);
    });
    var rows = params.map(function (p) {
      return el("tr", {}, [el("td", { text: p.name }), el("td", { text: p.in }), el("td", { text: p.required ? "yes" : "" }),
        el("td", { text: constraints(p.schema || {}) })]);
    });
    var responses = Object.keys(op.responses || {}).map(function (status) {
      var r = op.responses[status];
      var types = Object.keys(r.content || {});
      var schema = types.length ? r.content[types[0]].schema : null;
      var item = el("details", {}, [el("summary", { text: status + " " + (r.description || "") + (types.length ? " — " + types.join(", ") : "") })]);
      if (schema) item.appendChild(pre(expand(schema, 0)));
      return item;
    });
    var secured = (op.security || []).length > 0;
    return el("details", { class: "op", "data-search": (method + " " + path + " " + (op.summary || "") + " " + (op.tags || []).join(" ")).toLowerCase() }, [
      el("summary", {}, [el("span", { class: "m " + method, text: method.toUpperCase() }), el("span", { class: "path", text: path }),
        el("span", { class: "sum", text: op.summary || "" }), secured ? el("span", { class: "lock", text: "bearer" }) : null]),
      el("div", {}, [op.description ? el("p", { text: op.description }) : null,
        rows.length ? el("table", {}, [el("tr", {}, ["name", "in", "required", "schema"].map(function (h) { return el("th", { text: h }); }))].concat(rows)) : null,
        body ? el("h4", { text: "Request body: " + Object.keys(body).join(", ") }) : null, json ? pre(expand(json.schema, 0)) : null,
        el("h4", { text: "Responses" })].concat(responses, [el("h4", { text: "Try it" }), form, out]))
    ]);
  }

  function send(method, path, op, inputs, bodyInput, json, out) {
    var url = path, query = [], headers = {};
    inputs.forEach(function (i) {
      var v = i.input.value;
      if (i.p.in === "path") url = url.replace("{" + i.p.name + "}", encodeURIComponent(v));
      else if (v && i.p.in === "query") query.push(encodeURIComponent(i.p.name) + "=" + encodeURIComponent(v));
      else if (v && i.p.in === "header") headers[i.p.name] = v;
    });
    if (query.length) url += "?" + query.join("&");
    if ((op.security || []).length && token.value) headers.authorization = "Bearer " + token.value;
    var init = { method: method.toUpperCase(), headers: headers };
    if (json) { headers["content-type"] = "application/json"; init.body = bodyInput.value; }
    else if (bodyInput && bodyInput.files && bodyInput.files[0]) { init.body = new FormData(); init.body.append("file", bodyInput.files[0]); }
    out.replaceChildren(el("p", { text: init.method + " " + url + " …" }));
    var text = pre("");
    fetch(url, init).then(function (res) {
      out.replaceChildren(el("p", { text: res.status + " " + res.statusText + " — " + (res.headers.get("content-type") || "no body") }), text);
      if (!res.body) return;
      var reader = res.body.getReader(), decoder = new TextDecoder(), all = "";
      return (function pump() {
        return reader.read().then(function (step) {
          if (step.done) { try { text.textContent = JSON.stringify(JSON.parse(all), null, 2); } catch (e) { /* not JSON */ } return; }
          all += decoder.decode(step.value, { stream: true });
          text.textContent = all;
          return pump();
        });
      })();
    }).catch(function (err) { out.replaceChildren(el("p", { text: "Request failed: " + err })); });
  }

  function filter() {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    document.querySelectorAll("details.op[data-search]").forEach(function (d) {
      d.classList.toggle("hidden", q !== "" && d.getAttribute("data-search").indexOf(q) < 0);
    });
    document.querySelectorAll("section.group").forEach(function (g) {
      g.classList.toggle("hidden", !g.querySelector("details.op:not(.hidden)"));
    });
  }

  fetch(spec).then(function (res) { return res.json(); }).then(function (loaded) {
    doc = loaded;
    var main = document.getElementById("ops"), groups = {};
    main.replaceChildren(el("p", { text: (doc.info && doc.info.title || "API") + " — OpenAPI " + doc.openapi }));
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method], tag = (op.tags || ["other"])[0];
        (groups[tag] = groups[tag] || []).push(renderOp(method, path, op));
      });
    });
    Object.keys(groups).forEach(function (tag) {
      main.appendChild(el("section", { class: "group" }, [el("h2", { text: tag })].concat(groups[tag])));
    });
    main.appendChild(el("h2", { text: "Schemas" }));
    Object.keys(doc.components.schemas || {}).forEach(function (name) {
      main.appendChild(el("details", { class: "op" }, [el("summary", { text: name }), el("div", {}, [pre(doc.components.schemas[name])])]));
    });
  }).catch(function (err) { document.getElementById("status").textContent = "Could not load " + spec + ": " + err; });
})();
`;

const serve = (body: string, type: string) => () =>
  new Response(body, {
    headers: {
      "Content-Type": `${type}; charset=utf-8`,
      "Content-Security-Policy": CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "public, max-age=300",
    },
  });

/** Mounted at /api: GET /api/docs (the page), /api/docs/docs.js, /api/docs/docs.css. */
export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", serve(PAGE, "text/html"))
  .get("/docs/docs.js", serve(SCRIPT, "text/javascript"))
  .get("/docs/docs.css", serve(CSS, "text/css"));
