/**
 * The shape of a day of chat traffic, scaled down for `npm run load -- --profile day` (docs/load.md):
 * visitor sessions spread over 24 compressed hours with a quiet night and a peak hour at `peakFactor` × the
 * mean rate, short bursts (one tenant's newsletter or ad bringing a crowd at once), tenants' shares by a
 * Zipf law (a few hot tenants, a long tail), new and returning visitors, one to six turns per session.
 * Pure and seeded: the same knobs give the same plan.
 */

export interface DayKnobs {
  tenants: number;
  /** Length of the compressed day in seconds (24 h → this). */
  seconds: number;
  /** Chat turns the plan aims at (sessions × their turns, bursts included). */
  turns: number;
  /** Zipf exponent of the tenants' shares (1: the k-th tenant gets 1/k of the top one's traffic). */
  zipf: number;
  /** The peak hour's rate over the day's mean rate. */
  peakFactor: number;
  /** How many short bursts. */
  bursts: number;
  /** Share of all sessions that arrive in bursts. */
  burstShare: number;
  /** Chance that a session is a returning visitor's (when the tenant has an idle one to return). */
  returningShare: number;
  seed: number;
}

export interface SessionPlan {
  /** Milliseconds from the start of the day. */
  at: number;
  tenant: number;
  returning: boolean;
  turns: number;
  /** Compressed think time before each turn after the first, ms. */
  thinkMs: number[];
  /** Index of the burst it belongs to, if any. */
  burst: number | undefined;
}

export interface DayPlan {
  sessions: SessionPlan[];
  /** Each hour's rate over the day's mean (mean 1, the peak hour = peakFactor). */
  hourly: number[];
  /** Each tenant's planned share of the sessions (sums to 1). */
  shares: number[];
  bursts: Array<{ at: number; tenant: number; sessions: number; lengthMs: number }>;
  peakHour: number;
}

/**
 * Relative traffic per hour of a shop's day (local time): a quiet night, a morning rise, a working-day
 * plateau, an evening peak. The peak hour's weight is set by `hourlyWeights` so it is `peakFactor` × mean.
 */
const BASE_HOURS = [
  0.25, 0.15, 0.1, 0.1, 0.12, 0.2, 0.4, 0.7, 1.0, 1.2, 1.35, 1.4, 1.3, 1.3, 1.35, 1.4, 1.45, 1.5, 1.6, 1.8, 0,
  1.5, 1.0, 0.5,
];
const PEAK_HOUR = 20;

/** Turns per session: [turns, probability]; mean 1.98, half the sessions are multi-turn. */
const TURNS_PER_SESSION: Array<[number, number]> = [
  [1, 0.5],
  [2, 0.25],
  [3, 0.12],
  [4, 0.08],
  [6, 0.05],
];
export const MEAN_TURNS_PER_SESSION = TURNS_PER_SESSION.reduce((s, [n, p]) => s + n * p, 0);

/** Real think time between a visitor's turns, seconds (compressed with the day). */
const THINK_SECONDS: [number, number] = [10, 90];

/** A small seeded generator (mulberry32): the plan is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hour weights with mean 1 whose peak hour is `peakFactor` (the other hours keep their proportions). */
export function hourlyWeights(peakFactor: number): number[] {
  // With S the other hours' sum and p the peak: p = peakFactor × (S + p) / 24, so p = peakFactor × S / (24 − peakFactor).
  const rest = BASE_HOURS.reduce((a, b) => a + b, 0);
  const peak = (peakFactor * rest) / (24 - peakFactor);
  const raw = BASE_HOURS.map((w, h) => (h === PEAK_HOUR ? peak : w));
  const mean = raw.reduce((a, b) => a + b, 0) / 24;
  return raw.map((w) => w / mean);
}

/** Zipf shares over `n` ranks (sum 1). */
export function zipfShares(n: number, s: number): number[] {
  const raw = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}

function pick(weights: number[], r: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

function sessionShape(knobs: DayKnobs, rand: () => number): Pick<SessionPlan, "turns" | "thinkMs"> {
  const turns = TURNS_PER_SESSION[
    pick(
      TURNS_PER_SESSION.map(([, p]) => p),
      rand(),
    )
  ]?.[0] as number;
  const compress = knobs.seconds / 86_400;
  const thinkMs = Array.from({ length: turns - 1 }, () => {
    const real = THINK_SECONDS[0] + rand() * (THINK_SECONDS[1] - THINK_SECONDS[0]);
    return Math.max(30, Math.round(real * 1000 * compress));
  });
  return { turns, thinkMs };
}

/** The day's sessions, in order of arrival. */
export function planDay(knobs: DayKnobs): DayPlan {
  const rand = seededRandom(knobs.seed);
  const hourly = hourlyWeights(knobs.peakFactor);
  const shares = zipfShares(knobs.tenants, knobs.zipf);
  const hourMs = (knobs.seconds * 1000) / 24;
  const totalSessions = Math.max(1, Math.round(knobs.turns / MEAN_TURNS_PER_SESSION));
  const burstSessions = knobs.bursts > 0 ? Math.round(totalSessions * knobs.burstShare) : 0;
  const sessions: SessionPlan[] = [];
  for (let i = 0; i < totalSessions - burstSessions; i++) {
    const hour = pick(hourly, rand());
    sessions.push({
      at: (hour + rand()) * hourMs,
      tenant: pick(shares, rand()),
      returning: rand() < knobs.returningShare,
      burst: undefined,
      ...sessionShape(knobs, rand),
    });
  }
  // A burst: ten real minutes in which one tenant's link (a newsletter, an ad) brings a crowd of new
  // visitors, in the daytime hours; the hottest tenant and tenants of the tail.
  const bursts: DayPlan["bursts"] = [];
  const lengthMs = Math.max(300, (knobs.seconds * 1000) / 144);
  for (let b = 0; b < knobs.bursts; b++) {
    const count = Math.round(burstSessions / knobs.bursts);
    const at = (9 + rand() * 11) * hourMs;
    // The first burst hits the hottest tenant, the others tenants from the tail (a cold tenant's spike).
    const tenant =
      b === 0 || knobs.tenants < 2 ? 0 : knobs.tenants - 1 - ((b * 7) % Math.ceil(knobs.tenants / 2));
    bursts.push({ at, tenant, sessions: count, lengthMs });
    for (let i = 0; i < count; i++)
      sessions.push({
        at: at + rand() * lengthMs,
        tenant,
        returning: false,
        burst: b,
        ...sessionShape(knobs, rand),
      });
  }
  sessions.sort((a, b) => a.at - b.at);
  return { sessions, hourly, shares, bursts, peakHour: PEAK_HOUR };
}
