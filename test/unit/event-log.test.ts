import { describe, expect, it } from "vitest";
import { EventLog } from "../../src/chat/event-log.ts";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

describe("EventLog", () => {
  it("gives every reader all events in order with ids, then closes after done", async () => {
    const log = new EventLog();
    log.push("meta", { dialog_id: "d" });
    const early = readAll(log.subscribe());
    log.push("token", { content: "Hel" });
    log.push("token", { content: "lo" });
    const late = readAll(log.subscribe());
    log.push("done", { status: "complete" });
    const expected =
      'id: 1\nevent: meta\ndata: {"dialog_id":"d"}\n\n' +
      'id: 2\nevent: token\ndata: {"content":"Hel"}\n\n' +
      'id: 3\nevent: token\ndata: {"content":"lo"}\n\n' +
      'id: 4\nevent: done\ndata: {"status":"complete"}\n\n' +
      "data: [DONE]\n\n";
    expect(await early).toBe(expected);
    expect(await late).toBe(expected);
  });

  it("resumes after a given event id", async () => {
    const log = new EventLog();
    log.push("meta", {});
    log.push("token", { content: "a" });
    log.push("error", { code: "x", message: "y" });
    expect(await readAll(log.subscribe(2))).toBe(
      'id: 3\nevent: error\ndata: {"code":"x","message":"y","error":"y"}\n\ndata: [DONE]\n\n',
    );
  });

  it("ignores pushes after the end, and a cancelled reader does not stop the producer", async () => {
    const log = new EventLog();
    const stream = log.subscribe();
    await stream.cancel();
    log.push("token", { text: "still recorded" });
    log.push("done", {});
    log.push("token", { text: "after end" });
    expect(log.events.map((e) => e.event)).toEqual(["token", "done"]);
    expect((await log.finished()).event).toBe("done");
  });

  it("sends ping comments while idle", async () => {
    const log = new EventLog();
    const reader = log.subscribe(0, 20).getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(": ping\n\n");
    log.push("done", {});
    await reader.cancel();
  });
});
