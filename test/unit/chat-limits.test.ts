import { describe, expect, it } from "vitest";
import {
  ADMISSION_LEASE_MS,
  admissionLease,
  capsOf,
  PLATFORM_DAILY_TOKENS_DEFAULT,
  platformDailyTokens,
} from "../../src/chat/budget-rules.ts";
import {
  BINDING_LIMITS,
  ipLimitsFor,
  platformIpLimits,
  visitorLanguage,
} from "../../src/services/budgets/chat-limits.ts";
import wranglerToml from "../../wrangler.toml?raw";

describe("per-address chat limits", () => {
  it("the Rate Limiting bindings in wrangler.toml are configured with the platform defaults", () => {
    const limitOf = (name: string) =>
      Number(new RegExp(`name = "${name}"[^[]*?limit = (\\d+), period = 60`).exec(wranglerToml)?.[1]);
    expect(limitOf("CHAT_IP_MESSAGES")).toBe(BINDING_LIMITS.messages);
    expect(limitOf("CHAT_IP_NEW_DIALOGS")).toBe(BINDING_LIMITS.newDialogs);
    const varOf = (name: string) => Number(new RegExp(`^${name} = "(\\d+)"`, "m").exec(wranglerToml)?.[1]);
    expect(varOf("CHAT_IP_MESSAGES_PER_MINUTE")).toBe(BINDING_LIMITS.messages);
    expect(varOf("CHAT_IP_NEW_DIALOGS_PER_MINUTE")).toBe(BINDING_LIMITS.newDialogs);
  });

  it("platform defaults come from the environment, else 30 and 10; bad values fall back", () => {
    expect(platformIpLimits({})).toEqual({ messages: 30, newDialogs: 10 });
    expect(
      platformIpLimits({ CHAT_IP_MESSAGES_PER_MINUTE: "5", CHAT_IP_NEW_DIALOGS_PER_MINUTE: "0" }),
    ).toEqual({
      messages: 5,
      newDialogs: 0,
    });
    expect(
      platformIpLimits({ CHAT_IP_MESSAGES_PER_MINUTE: "-1", CHAT_IP_NEW_DIALOGS_PER_MINUTE: "x" }),
    ).toEqual({
      messages: 30,
      newDialogs: 10,
    });
  });

  it("a tenant's own number wins, null means the platform's, 0 switches a limit off", () => {
    const platform = { messages: 30, newDialogs: 10 };
    expect(ipLimitsFor({}, platform)).toEqual(platform);
    expect(ipLimitsFor({ budget: { ipMessagesPerMinute: 0, ipNewDialogsPerMinute: 3 } }, platform)).toEqual({
      messages: 0,
      newDialogs: 3,
    });
  });

  it("speaks the visitor's language", () => {
    expect(visitorLanguage("en-US,en;q=0.9")).toBe("en");
    expect(visitorLanguage("ru-RU,ru;q=0.9,en;q=0.8")).toBe("ru");
    expect(visitorLanguage(undefined)).toBe("ru");
  });
});

describe("the platform's daily token cap", () => {
  it("is 2 000 000 unless set; 0 removes it", () => {
    expect(platformDailyTokens(undefined)).toBe(PLATFORM_DAILY_TOKENS_DEFAULT);
    expect(platformDailyTokens("500")).toBe(500);
    expect(platformDailyTokens("0")).toBeNull();
    expect(platformDailyTokens("lots")).toBe(PLATFORM_DAILY_TOKENS_DEFAULT);
  });

  it("holds without a tenant cap, and a tenant's own cap can only be lower", () => {
    expect(capsOf({}, 1000)).toEqual({
      dailyTokens: 1000,
      monthlyTokens: null,
      visitorMessagesPerHour: null,
    });
    expect(capsOf({ budget: { dailyTokens: 5000 } }, 1000)?.dailyTokens).toBe(1000);
    expect(capsOf({ budget: { dailyTokens: 10 } }, 1000)?.dailyTokens).toBe(10);
    expect(capsOf({}, null)).toBeNull();
  });
});

describe("admission leases", () => {
  const caps = { dailyTokens: 1_000_000, monthlyTokens: null, visitorMessagesPerHour: null };
  it("hold far from the cap, for at most one margin of tokens, and end near it", () => {
    expect(admissionLease(caps, { day: 0, month: 0 })).toEqual({ ms: ADMISSION_LEASE_MS, tokens: 50_000 });
    expect(admissionLease(caps, { day: 920_000, month: 0 })).toEqual({
      ms: ADMISSION_LEASE_MS,
      tokens: 30_000,
    });
    expect(admissionLease(caps, { day: 960_000, month: 0 }).ms).toBe(0);
    expect(admissionLease({ ...caps, monthlyTokens: 100_000 }, { day: 0, month: 90_000 }).ms).toBe(0);
  });
  it("never hold when every message must be counted, or the counters are unknown", () => {
    expect(admissionLease({ ...caps, visitorMessagesPerHour: 10 }, { day: 0, month: 0 }).ms).toBe(0);
    expect(admissionLease(caps, null).ms).toBe(0);
  });
});
