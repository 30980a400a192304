/** The prompt-chunks service as the admin-chat commands call it (no HTTP schema in front). */
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { addChunk, listChunks, updateChunk } from "../../src/services/prompt/prompt-chunks.ts";
import { type Owner, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";

describe("prompt-chunks service", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });
  const origin = () => ({ authorId: owner.userId, channel: "admin_chat" as const });

  it("treats a non-finite position as 'do not move'", async () => {
    await withDb(async ({ db }) => {
      const a = await addChunk(db, owner.tenantId, { question: "a", text: "1" }, origin());
      await addChunk(db, owner.tenantId, { question: "b", text: "2" }, origin());
      const edited = await updateChunk(
        db,
        owner.tenantId,
        a.id,
        { text: "1b", position: Number("abc") },
        origin(),
      );
      expect(edited.position).toBe(1);
      expect((await listChunks(db, owner.tenantId)).map((c) => c.question)).toEqual(["a", "b"]);
    });
  });

  it("refuses NUL characters with validation_failed instead of a database error", async () => {
    await withDb(async ({ db }) => {
      const attempt = addChunk(db, owner.tenantId, { question: "q", text: "a\u0000b" }, origin());
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: "validation_failed" });
    });
  });
});
