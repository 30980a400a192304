import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("DialogObject (SQLite-backed Durable Object)", () => {
  it("hands out sequence numbers in order, without gaps or repeats under concurrency", async () => {
    const stub = env.DIALOGS.getByName("dialog-seq-test");
    const got = await Promise.all(Array.from({ length: 20 }, () => stub.reserveSeq()));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("reserves ranges and keeps counting after the object is evicted", async () => {
    const stub = env.DIALOGS.getByName("dialog-range-test");
    expect(await stub.reserveSeq(2)).toBe(1);
    await evictDurableObject(stub);
    expect(await stub.reserveSeq()).toBe(3);
  });

  it("keeps dialogs apart", async () => {
    expect(await env.DIALOGS.getByName("dialog-a").reserveSeq()).toBe(1);
    expect(await env.DIALOGS.getByName("dialog-b").reserveSeq()).toBe(1);
  });

  it("clamps a nonsense range instead of failing", async () => {
    const stub = env.DIALOGS.getByName("dialog-bad");
    expect(await stub.reserveSeq(0)).toBe(1);
    expect(await stub.reserveSeq(1000)).toBe(2);
    expect(await stub.reserveSeq()).toBe(102);
  });
});
