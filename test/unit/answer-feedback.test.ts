/** Which messages a visitor may rate (answer feedback), and how a comment is stored. */
import { describe, expect, it } from "vitest";
import {
  type RatedTarget,
  ratingRefusal,
  storedComment,
} from "../../src/services/dialogs/answer-feedback.ts";

const answer = (over: Partial<RatedTarget> = {}): RatedTarget => ({
  channel: "web",
  visitorId: "v-1",
  role: "assistant",
  status: "complete",
  ...over,
});

describe("ratingRefusal", () => {
  it("lets the dialog's own visitor rate a finished answer", () => {
    expect(ratingRefusal(answer(), "v-1")).toBeNull();
    expect(ratingRefusal(answer({ status: "stopped" }), "v-1")).toBeNull();
    expect(ratingRefusal(answer({ status: "partial" }), "v-1")).toBeNull();
  });

  it("answers 404 for no message, another visitor and another channel (nothing told about them)", () => {
    for (const [target, visitor] of [
      [null, "v-1"],
      [answer(), "v-2"],
      [answer({ channel: "telegram" }), "v-1"],
      [answer({ channel: "admin" }), "v-1"],
    ] as const) {
      const refused = ratingRefusal(target, visitor);
      expect(refused?.code).toBe("not_found");
      expect(refused?.status).toBe(404);
    }
  });

  it("answers 422 for the visitor's own message and an operator's reply", () => {
    for (const role of ["user", "operator"] as const) {
      const refused = ratingRefusal(answer({ role }), "v-1");
      expect(refused?.status).toBe(422);
      expect(refused?.details?.issues?.[0]?.path).toBe("message_id");
    }
  });

  it("answers 409 while the answer is still being written", () => {
    expect(ratingRefusal(answer({ status: "streaming" }), "v-1")?.status).toBe(409);
  });

  it("tells another visitor 404 even for a user message (the visitor check comes first)", () => {
    expect(ratingRefusal(answer({ role: "user" }), "v-2")?.status).toBe(404);
  });
});

describe("storedComment", () => {
  it("stores no comment for none or an empty one, the text otherwise", () => {
    expect(storedComment(undefined)).toBeNull();
    expect(storedComment("")).toBeNull();
    expect(storedComment("Too vague")).toBe("Too vague");
  });
});
