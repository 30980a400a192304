/**
 * The hard limits of docs/capacity.md: for each, the chats a day at which CIP reaches it under the model's
 * assumptions (the whole platform, or the busiest single tenant), so the doc can say which comes first.
 * Pure arithmetic; the words about what CIP does at each limit are the doc's (capacity-doc.ts).
 */
import type { Assumptions } from "./capacity-assumptions.ts";
import type { Prices } from "./capacity-inputs.ts";

const SECONDS_PER_DAY = 86_400;

export type LimitId =
  | "model_concurrency"
  | "hyperdrive_connections"
  | "postgres_writes"
  | "tenant_object"
  | "tenant_tokens";

export interface Limit {
  id: LimitId;
  /** Whether the limit binds the whole platform or one tenant. */
  scope: "platform" | "tenant";
  /** The limit's own number and unit, e.g. "2,500 requests in flight". */
  capacity: number;
  /** Chats a day (of the platform, or of one tenant) at which the limit is reached. */
  chatsPerDay: number;
}

/** Peak turns a second per chat a day. */
function peakTurnsPerChatDay(a: Assumptions): number {
  return (a.turnsPerChat / SECONDS_PER_DAY) * a.peakFactor;
}

/** Every limit, in the order the doc lists them. */
export function limits(p: Prices, a: Assumptions): Limit[] {
  const perChat = peakTurnsPerChatDay(a);
  const modelLimit = p["deepseek.concurrency_limit"];
  const connections = p["hyperdrive.max_origin_connections"];
  const maxCu = p["postgres.max_autoscaling_cu"];
  const objectRps = p["durable_objects.object_requests_per_second_soft_limit"];
  const tokensPerChat = a.turnsPerChat * (a.inputTokensPerTurn + a.outputTokensPerTurn);
  return [
    {
      id: "model_concurrency",
      scope: "platform",
      capacity: modelLimit,
      chatsPerDay: modelLimit / (perChat * a.modelRequestsPerTurn * a.modelSecondsPerRequest),
    },
    {
      id: "hyperdrive_connections",
      scope: "platform",
      capacity: connections,
      // One round trip per sync transaction; the real turn's syncs, not the bench's short answer's.
      chatsPerDay: connections / (perChat * a.pgWriteTxPerTurn * (a.pgRoundTripMs / 1000)),
    },
    {
      id: "postgres_writes",
      scope: "platform",
      capacity: maxCu * a.pgWriteTxPerCuSecond,
      chatsPerDay: (maxCu * a.pgWriteTxPerCuSecond) / (perChat * a.pgWriteTxPerTurn),
    },
    {
      id: "tenant_object",
      scope: "tenant",
      capacity: objectRps,
      chatsPerDay: objectRps / (perChat * a.tenantCallsPerTurn),
    },
    {
      id: "tenant_tokens",
      scope: "tenant",
      capacity: a.platformDailyTokensPerTenant,
      chatsPerDay: a.platformDailyTokensPerTenant / tokensPerChat,
    },
  ];
}

/** The limit of `scope` reached at the fewest chats a day. */
export function firstLimit(all: Limit[], scope: Limit["scope"]): Limit {
  const inScope = all.filter((l) => l.scope === scope);
  const first = inScope.reduce((a, b) => (b.chatsPerDay < a.chatsPerDay ? b : a));
  return first;
}
