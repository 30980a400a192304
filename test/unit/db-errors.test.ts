import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/errors.ts";

const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1"), { cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a connect timeout", new Error("timeout expired")],
    ["a query timeout", new Error("Query read timeout")],
    ["a dropped connection", new Error("Connection terminated unexpectedly")],
    ["a refused socket", Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" })],
    ["SQLSTATE class 08", Object.assign(new Error("x"), { code: "08006" })],
    ["admin shutdown 57P01", Object.assign(new Error("terminating connection"), { code: "57P01" })],
    ["too many connections", Object.assign(new Error("sorry"), { code: "53300" })],
    ["drizzle's wrapper around one", wrapped(Object.assign(new Error("x"), { code: "08001" }))],
  ])("recognises %s", (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ["a unique violation", wrapped(Object.assign(new Error("duplicate key"), { code: "23505" }))],
    ["a syntax error", Object.assign(new Error("syntax error at or near"), { code: "42601" })],
    [
      "an RLS refusal",
      Object.assign(new Error("new row violates row-level security policy"), { code: "42501" }),
    ],
    ["a plain bug", new TypeError("x is undefined")],
    ["nothing", undefined],
  ])("does not mistake %s for an outage", (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
