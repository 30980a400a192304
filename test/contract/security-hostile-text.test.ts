/**
 * Text Postgres cannot store, and what the logs may say about it:
 * - a NUL in a chat message (visitor's or model's) or in a visitor id no longer keeps the dialog and
 *   its leads out of Postgres forever (the sync stored nothing and retried without end);
 * - a NUL in a display name is a 422, not a 500;
 * - a failed query's log line never carries its bound values (password hashes among them).
 */
import { describe, expect, it, vi } from "vitest";
import { log } from "../../src/lib/log.ts";
import { bearer, GOOD_PASSWORD, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { storedMessages } from "../helpers/chat.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { readSse } from "../helpers/sse.ts";

describe("NUL in the chat", () => {
  it.each([
    ["JSON", "/chat/message"],
    ["SSE", "/chat"],
  ])("%s: the dialog, its messages and its lead reach the cabinet", async (form, suffix) => {
    const owner = await seedOwner();
    const tag = await script({ reply: "Noted\u0000, thanks." });
    const body = {
      user_id: `nul\u0000visitor-${form}`,
      message: `Mail me at nul-${form}@example.com\u0000 ${tag}`,
    };
    const res = await callJson("POST", `/api/v1/tenants/${owner.tenantId}${suffix}`, body);
    expect(res.status).toBe(200);
    const dialogId = form === "SSE" ? String((await readSse(res))[0]?.data.dialog_id) : await dialogOf(res);
    const rows = await storedMessages(dialogId, 2);
    expect(rows.map((r) => r.content)).toEqual([expect.stringContaining("nul-"), "Noted\uFFFD, thanks."]);
    const leads = await call(`/api/v1/tenants/${owner.tenantId}/me/leads`, { headers: bearer(owner.token) });
    expect(await leads.text()).toContain(`nul-${form.toLowerCase()}@example.com`);
  });
});

async function dialogOf(res: Response): Promise<string> {
  return ((await res.json()) as { dialog_id: string }).dialog_id;
}

describe("NUL in a display name", () => {
  it("sign-up, registration and the profile answer 422", async () => {
    const owner = await seedOwner();
    const name = "Ann\u0000";
    const email = () => `${uniqueName("nul")}@example.com`;
    const answers = [
      await callJson("POST", "/api/v1/tenants", {
        slug: uniqueName("n"),
        name,
        email: email(),
        password: GOOD_PASSWORD,
      }),
      await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
        email: email(),
        password: GOOD_PASSWORD,
        name,
      }),
      await callJson("PATCH", `/api/v1/tenants/${owner.tenantId}/me/profile`, { name }, bearer(owner.token)),
    ];
    for (const res of answers) {
      expect(res.status).toBe(422);
      expect((await readError(res)).error.issues?.[0]?.path).toBe("name");
    }
  });
});

describe("the log line of a failed query", () => {
  it("keeps the reason and drops the bound values", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const hash = "scrypt$16384$8$5$UqEUMyMsmJj+XY27aB7GUA==$eB8wd9Wkl0DDZ8eXPbylCIj/84v7Z7O+WiSNIf38ncY=";
    log("error", "request failed", {
      error: `Error: Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: ann@example.com,${hash}`,
    });
    log("error", "stray hash", { note: `hash ${hash} "quoted"` });
    spy.mockRestore();
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toMatch(/scrypt\$|ann@example\.com|UqEUMy/);
    expect(lines[0]).toContain("Failed query: insert into");
  });
});
