/**
 * Resolving a turn's model settings: visitor chats do not think unless the tenant said so, the admin chat
 * follows DEEPSEEK_THINKING, `omit` wins over any choice, and the tenant's values override the defaults
 * (values out of bounds in storage are ignored).
 */
import { describe, expect, it } from "vitest";
import {
  channelDefaults,
  modelChannel,
  modelRequestOptions,
  type PlatformModel,
  resolveModelSettings,
  turnModelOptions,
} from "../../src/chat/model-settings.ts";
import { platformThinking } from "../../src/config.ts";
import type { ChannelModelSettings } from "../../src/db/schema.ts";
import { DEFAULT_MODEL } from "../../src/llm/factory.ts";

const platform = (thinking: PlatformModel["thinking"]): PlatformModel => ({
  model: "deepseek-flash",
  thinking,
});

describe("channel defaults", () => {
  it("visitors do not think whatever the platform says, unless it says omit", () => {
    expect(channelDefaults("chat", platform("enabled")).thinking).toBe("disabled");
    expect(channelDefaults("chat", platform("disabled")).thinking).toBe("disabled");
    expect(channelDefaults("chat", platform("omit")).thinking).toBe("omit");
  });

  it("the admin chat follows the platform", () => {
    for (const mode of ["enabled", "disabled", "omit"] as const)
      expect(channelDefaults("admin", platform(mode)).thinking).toBe(mode);
  });

  it("keeps today's length and temperatures", () => {
    expect(channelDefaults("chat", platform("disabled"))).toEqual({
      model: "deepseek-flash",
      thinking: "disabled",
      reasoningEffort: null,
      temperature: 0.5,
      maxTokens: 2048,
    });
    expect(channelDefaults("admin", platform("disabled"))).toMatchObject({
      temperature: 0.3,
      maxTokens: 2048,
    });
  });

  it("maps dialog channels to the two kinds", () => {
    expect([modelChannel("web"), modelChannel("telegram"), modelChannel("admin")]).toEqual([
      "chat",
      "chat",
      "admin",
    ]);
  });
});

describe("resolveModelSettings", () => {
  const all: ChannelModelSettings = {
    model: "deepseek-v4-pro",
    thinking: true,
    reasoningEffort: "max",
    temperature: 1.2,
    maxTokens: 4000,
  };

  it("takes every stored choice", () => {
    expect(resolveModelSettings(all, "chat", platform("disabled"))).toEqual({
      model: "deepseek-v4-pro",
      thinking: "enabled",
      reasoningEffort: "max",
      temperature: 1.2,
      maxTokens: 4000,
    });
    expect(resolveModelSettings({ thinking: false }, "admin", platform("enabled")).thinking).toBe("disabled");
  });

  it("never sends a thinking field when the platform omits it", () => {
    expect(resolveModelSettings({ thinking: true }, "chat", platform("omit")).thinking).toBe("omit");
    expect(resolveModelSettings({ thinking: false }, "admin", platform("omit")).thinking).toBe("omit");
  });

  it("ignores stored values out of bounds", () => {
    const bad = {
      model: "has spaces",
      thinking: "yes",
      reasoningEffort: "extreme",
      temperature: 3,
      maxTokens: 2.5,
    } as unknown as ChannelModelSettings;
    expect(resolveModelSettings(bad, "chat", platform("disabled"))).toEqual(
      channelDefaults("chat", platform("disabled")),
    );
    expect(resolveModelSettings({ maxTokens: 9000 }, "chat", platform("disabled")).maxTokens).toBe(2048);
    expect(resolveModelSettings({ temperature: 0 }, "chat", platform("disabled")).temperature).toBe(0);
  });
});

describe("request options of a turn", () => {
  it("carries the effort only when one is chosen", () => {
    const none = modelRequestOptions(channelDefaults("chat", platform("disabled")));
    expect(none).toEqual({
      model: "deepseek-flash",
      thinking: "disabled",
      maxTokens: 2048,
      temperature: 0.5,
    });
    const set = modelRequestOptions(
      resolveModelSettings({ reasoningEffort: "low" }, "chat", platform("disabled")),
    );
    expect(set.reasoningEffort).toBe("low");
  });

  it("reads the tenant settings of the turn's channel and the environment", () => {
    const settings = { model: { chat: { thinking: true }, admin: { temperature: 0.1 } } };
    expect(turnModelOptions(settings, "telegram", { DEEPSEEK_THINKING: "disabled" })).toEqual({
      model: DEFAULT_MODEL,
      thinking: "enabled",
      maxTokens: 2048,
      temperature: 0.5,
    });
    expect(
      turnModelOptions(settings, "admin", { DEEPSEEK_MODEL: "m-1", DEEPSEEK_THINKING: "enabled" }),
    ).toEqual({
      model: "m-1",
      thinking: "enabled",
      maxTokens: 2048,
      temperature: 0.1,
    });
    expect(turnModelOptions({}, "web", { DEEPSEEK_THINKING: "enabled" }).thinking).toBe("disabled");
  });

  it("reads DEEPSEEK_THINKING leniently: unset or unknown is disabled", () => {
    expect(platformThinking({})).toBe("disabled");
    expect(platformThinking({ DEEPSEEK_THINKING: " Enabled " })).toBe("enabled");
    expect(platformThinking({ DEEPSEEK_THINKING: "omit" })).toBe("omit");
    expect(platformThinking({ DEEPSEEK_THINKING: "sometimes" })).toBe("disabled");
  });
});
