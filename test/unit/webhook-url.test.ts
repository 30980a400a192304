/** Which URLs outgoing webhooks may call (src/lib/public-url.ts). */
import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "../../src/lib/public-url.ts";

describe("webhookUrlProblem", () => {
  it.each([
    "https://hooks.example.com/cip",
    "https://hooks.example.com:8443/cip?x=1",
    "https://8.8.8.8/x",
    "https://[2606:4700:4700::1111]/x",
    "https://[::ffff:8.8.8.8]/x",
    "https://xn--e1afmkfd.xn--p1ai/hook",
  ])("accepts %s", (url) => {
    expect(webhookUrlProblem(url, false)).toBeNull();
  });

  it.each([
    ["http://hooks.example.com/x", /https/],
    ["ftp://hooks.example.com/x", /https/],
    ["https://user:pw@hooks.example.com/x", /user name/],
    ["not a url", /Not a URL/],
    ["https://localhost/x", /public host/],
    ["https://LOCALHOST./x", /public host/],
    ["https://a.b.localhost/x", /public host/],
    ["https://nas.local/x", /public host/],
    ["https://db.internal/x", /public host/],
    ["https://router.home.arpa/x", /public host/],
    ["https://intranet/x", /public host/],
    ["https://127.0.0.1/x", /not public/],
    ["https://127.1/x", /not public/],
    ["https://0x7f000001/x", /not public/],
    ["https://017700000001/x", /not public/],
    ["https://10.255.0.1/x", /not public/],
    ["https://172.16.0.1/x", /not public/],
    ["https://172.31.255.255/x", /not public/],
    ["https://192.168.0.1/x", /not public/],
    ["https://169.254.169.254/x", /not public/],
    ["https://100.127.0.1/x", /not public/],
    ["https://198.18.0.1/x", /not public/],
    ["https://224.0.0.1/x", /not public/],
    ["https://255.255.255.255/x", /not public/],
    ["https://[::]/x", /not public/],
    ["https://[::1]/x", /not public/],
    ["https://[fc00::1]/x", /not public/],
    ["https://[fe80::1234]/x", /not public/],
    ["https://[ff02::1]/x", /not public/],
    ["https://[::ffff:192.168.1.1]/x", /not public/],
    ["https://[::ffff:7f00:1]/x", /not public/],
    ["https://[64:ff9b::a00:1]/x", /not public/],
    ["https://[2001:db8::1]/x", /not public/],
    ["https://[::127.0.0.1]/x", /not public/],
  ])("refuses %s", (url, why) => {
    expect(webhookUrlProblem(url, false)).toMatch(why);
  });

  it("keeps the boundaries of the private ranges exact", () => {
    expect(webhookUrlProblem("https://172.15.255.255/x", false)).toBeNull();
    expect(webhookUrlProblem("https://172.32.0.0/x", false)).toBeNull();
    expect(webhookUrlProblem("https://100.63.255.255/x", false)).toBeNull();
    expect(webhookUrlProblem("https://100.128.0.0/x", false)).toBeNull();
    expect(webhookUrlProblem("https://11.0.0.1/x", false)).toBeNull();
  });

  it("allows http and private targets with WEBHOOK_ALLOW_PRIVATE, but never credentials", () => {
    expect(webhookUrlProblem("http://127.0.0.1:8080/hook", true)).toBeNull();
    expect(webhookUrlProblem("https://nas.local/x", true)).toBeNull();
    expect(webhookUrlProblem("ftp://127.0.0.1/x", true)).toMatch(/https/);
    expect(webhookUrlProblem("http://u:p@127.0.0.1/x", true)).toMatch(/user name/);
  });

  it("refuses very long URLs", () => {
    expect(webhookUrlProblem(`https://hooks.example.com/${"a".repeat(2000)}`, false)).toMatch(/at most/);
  });
});
