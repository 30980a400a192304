import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { supportTickets } from "../../db/schema.ts";
import type { AppEnv, AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";
import type { AccessClaims } from "../../lib/jwt.ts";
import { UUID_RE } from "../../lib/uuid.ts";

/** What a support token may do: read. Every other method is refused before anything runs. */
const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * The identity of an operator's read-only support token (docs/operator.md): its ticket must exist in the
 * tenant's own rows and not have expired; only GET and HEAD pass (403 `read_only` for any write). The
 * role is the owner's so the support view sees what the owner sees.
 */
export async function supportTicketAuth(
  c: Context<AppEnv>,
  claims: AccessClaims & { ticketId: string },
  tenantId: string,
): Promise<AuthContext> {
  if (!READ_METHODS.has(c.req.method.toUpperCase())) {
    throw new AppError("read_only", "A support session can only read this cabinet.");
  }
  if (!UUID_RE.test(claims.ticketId)) throw new AppError("unauthorized", "The access token is not valid.");
  const [ticket] = await c.var
    .db()
    .select({ id: supportTickets.id })
    .from(supportTickets)
    .where(
      and(
        eq(supportTickets.id, claims.ticketId),
        eq(supportTickets.tenantId, tenantId),
        gt(supportTickets.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!ticket) throw new AppError("unauthorized", "This support session has ended.");
  return { userId: claims.userId, tenantId, role: "owner", readOnly: true };
}
