import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import type { Role } from "../../lib/jwt.ts";

export interface Member {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  confirmed: boolean;
  created_at: string;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  confirmedAt: users.confirmedAt,
  createdAt: users.createdAt,
};

function toMember(row: {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  confirmedAt: Date | null;
  createdAt: Date;
}): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    confirmed: row.confirmedAt !== null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Every account of the tenant, owners first, then by sign-up time. */
export async function listMembers(db: Database, tenantId: string): Promise<Member[]> {
  const rows = await db
    .select(memberColumns)
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .orderBy(sql`${users.role} = 'owner' desc`, asc(users.createdAt), asc(users.id));
  return rows.map(toMember);
}

/**
 * Promotes or demotes an account. The tenant's owner rows are locked first, so two owners demoting each
 * other at once cannot leave the tenant with none (409 `last_owner`).
 */
export async function setMemberRole(
  db: Database,
  tenantId: string,
  userId: string,
  role: Role,
): Promise<Member> {
  return db.transaction(async (tx) => {
    const owners = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.role, "owner")))
      .for("update");
    const [target] = await tx
      .select(memberColumns)
      .from(users)
      .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
      .limit(1);
    if (!target) throw new AppError("not_found", "No such member in this tenant.");
    if (target.role === "owner" && role === "member" && owners.length <= 1) {
      throw new AppError("last_owner", "A tenant needs at least one owner; promote someone else first.");
    }
    if (target.role === role) return toMember(target);
    const [updated] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
      .returning(memberColumns);
    if (!updated) throw new AppError("not_found", "No such member in this tenant.");
    return toMember(updated);
  });
}
