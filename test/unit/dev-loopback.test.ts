/** The dev demo stays on this machine (scripts/lib/loopback.ts, docs/security.md). */
import { describe, expect, it } from "vitest";
import { demoOwnerAllowed, devDemoLoginAllowed, isLoopbackHost } from "../../scripts/lib/loopback.ts";

describe("isLoopbackHost", () => {
  it.each(["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"])(
    "%s is loopback",
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each([
    "0.0.0.0",
    "::",
    "[::]",
    "192.168.1.10",
    "10.0.0.1",
    "127.0.0.256",
    "127.0.0.1.example.com",
    "db",
    "",
  ])("%s is not", (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe("devDemoLoginAllowed: the Worker gets the demo login only when dev binds to loopback", () => {
  it("allows the default and loopback binds, refuses wildcard and LAN binds", () => {
    expect(devDemoLoginAllowed("127.0.0.1")).toBe(true);
    expect(devDemoLoginAllowed("localhost")).toBe(true);
    expect(devDemoLoginAllowed("0.0.0.0")).toBe(false);
    expect(devDemoLoginAllowed("::")).toBe(false);
    expect(devDemoLoginAllowed("192.168.0.5")).toBe(false);
  });
});

describe("demoOwnerAllowed: the demo owner only in a database on this machine", () => {
  it("allows the embedded PGlite whatever its URL", () => {
    expect(demoOwnerAllowed("postgres://postgres@127.0.0.1:54329/postgres", true)).toBe(true);
  });
  it.each([
    "postgres://u:p@127.0.0.1:5432/cip",
    "postgresql://u:p@localhost/cip",
    "postgres://u:p@[::1]:5432/cip",
    "postgres:///cip?host=localhost",
  ])("allows %s", (url) => expect(demoOwnerAllowed(url, false)).toBe(true));
  it.each([
    "postgres://u:p@db.example.com:5432/cip",
    "postgres://u:p@ep-cool-name.eu-central-1.aws.neon.tech/neondb?sslmode=require",
    "postgres://u:p@10.0.0.7/cip",
    "postgres://u:p@127.0.0.1/cip?host=db.example.com",
    "postgres:///cip",
    "postgres:///cip?host=/var/run/postgresql",
    "mysql://u:p@127.0.0.1/cip",
    "not a url",
  ])("refuses %s", (url) => expect(demoOwnerAllowed(url, false)).toBe(false));
});
