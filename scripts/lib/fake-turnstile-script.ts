/**
 * The browser half of the local Turnstile stand-in (scripts/lib/fake-turnstile.ts serves it as
 * `/turnstile/v0/api.js`): `window.turnstile` with the documented behaviour of Cloudflare's test site keys.
 */

/** What Cloudflare's test site keys produce (https://developers.cloudflare.com/turnstile/troubleshooting/testing/). */
export const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

/** The browser side: `window.turnstile` with the test site keys' documented behaviour. */
export const STAND_IN_SCRIPT = `(function () {
  "use strict";
  if (window.turnstile) return;
  var DUMMY = ${JSON.stringify(DUMMY_TOKEN)};
  var PASS = ["1x00000000000000000000AA", "1x00000000000000000000BB"];
  var FAIL = ["2x00000000000000000000AB", "2x00000000000000000000BB"];
  var INVISIBLE = ["1x00000000000000000000BB", "2x00000000000000000000BB"];
  var script = document.currentScript;
  var params = new URL(script ? script.src : location.href).searchParams;
  var widgets = {};
  var count = 0;
  function find(target) {
    if (typeof target === "string") return widgets[target] || widgets[(document.querySelector(target) || {}).__cipTurnstile];
    return target && widgets[target.__cipTurnstile];
  }
  function call(fn, arg) {
    if (typeof fn === "string") fn = window[fn];
    if (typeof fn === "function") fn(arg);
  }
  function settle(w) {
    var key = w.opts.sitekey;
    if (PASS.indexOf(key) >= 0) {
      setTimeout(function () {
        w.token = DUMMY;
        w.input.value = DUMMY;
        w.status.textContent = "Success!";
        w.box.setAttribute("data-state", "solved");
        call(w.opts.callback, DUMMY);
      }, 150);
    } else if (FAIL.indexOf(key) >= 0 || key !== "3x00000000000000000000FF") {
      var code = FAIL.indexOf(key) >= 0 ? "600010" : "110100";
      setTimeout(function () {
        w.status.textContent = "Failed (" + code + ")";
        w.box.setAttribute("data-state", "failed");
        call(w.opts["error-callback"], code);
      }, 150);
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Verify you are human";
      button.addEventListener("click", function () {
        button.remove();
        w.opts.sitekey = PASS[0];
        settle(w);
      });
      w.box.appendChild(button);
    }
  }
  function render(container, opts) {
    var el = typeof container === "string" ? document.querySelector(container) : container;
    if (!el) throw new Error("[Cloudflare Turnstile] Nothing to render into.");
    opts = opts || {};
    if (!opts.sitekey) opts.sitekey = el.getAttribute("data-sitekey") || "";
    var id = "cf-chl-widget-" + (++count);
    var box = document.createElement("div");
    box.id = id;
    box.className = "cf-turnstile-stand-in";
    box.setAttribute("data-sitekey", opts.sitekey);
    box.setAttribute("data-state", "pending");
    var status = document.createElement("span");
    status.textContent = "Verifying… (local Turnstile stand-in)";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = opts["response-field-name"] || "cf-turnstile-response";
    box.appendChild(status);
    box.appendChild(input);
    if (INVISIBLE.indexOf(opts.sitekey) >= 0) box.hidden = true;
    el.appendChild(box);
    el.__cipTurnstile = id;
    var w = { id: id, el: el, box: box, status: status, input: input, opts: opts, token: "" };
    widgets[id] = w;
    if (opts.execution !== "execute") settle(w);
    return id;
  }
  window.turnstile = {
    render: render,
    ready: function (fn) { fn(); },
    execute: function (target) { var w = find(target); if (w) settle(w); },
    reset: function (target) {
      var w = find(target);
      if (!w) return;
      w.token = "";
      w.input.value = "";
      w.box.setAttribute("data-state", "pending");
      settle(w);
    },
    remove: function (target) {
      var w = find(target);
      if (!w) return;
      w.box.remove();
      delete widgets[w.id];
    },
    getResponse: function (target) { var w = find(target); return w ? w.token : undefined; },
    isExpired: function () { return false; },
  };
  function implicit() {
    var nodes = document.querySelectorAll(".cf-turnstile");
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      render(n, {
        sitekey: n.getAttribute("data-sitekey"),
        callback: n.getAttribute("data-callback"),
        "error-callback": n.getAttribute("data-error-callback"),
      });
    }
  }
  if (params.get("render") !== "explicit") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", implicit);
    else implicit();
  }
  var onload = params.get("onload");
  if (onload && typeof window[onload] === "function") setTimeout(window[onload], 0);
})();
`;
