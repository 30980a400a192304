/**
 * Plays a day plan (day-shape.ts) against a running CIP: sets the tenants up, then starts every session at
 * its time. A session is one visitor: new (a fresh `user_id` whose first message opens a dialog) or
 * returning (an idle earlier visitor of the same tenant, who continues their latest dialog without a
 * `dialog_id`, or now and then starts a new one); its later turns name the dialog, as the widget does.
 * Each visitor has an address of their own, so the per-address chat limits stay at their defaults.
 */
import { chatTurn, type TurnRecord } from "./chat-client.ts";
import { DAY_SCRIPTS, type DayTenant } from "./day-setup.ts";
import type { DayPlan, SessionPlan } from "./day-shape.ts";

export interface DayTurn extends Omit<TurnRecord, "end"> {
  /** cut_by_deadline: never sent, the run's hard stop came first. */
  end: TurnRecord["end"] | "cut_by_deadline";
  tenant: number;
  visitor: string;
  session: number;
  /** 0 for the session's first turn. */
  index: number;
  sent: string;
  /** The compressed hour of the day it started in (24: after the day's end, a session running late). */
  hour: number;
  burst: number | undefined;
}

export interface DayRunResult {
  turns: DayTurn[];
  newVisitors: number;
  returningVisitors: number;
  /** Returning sessions that asked for a new dialog. */
  returningNewDialog: number;
  /** Returning sessions that sent no dialog_id and whose visitor had a dialog: where they landed. */
  continued: number;
  /** … of them, the ones that did not land in the visitor's latest dialog (a lost conversation). */
  continuedElsewhere: string[];
  /** How late sessions started against their plan (the client's own lag), p99 ms. */
  startLag: number[];
  startedAt: number;
  endedAt: number;
}

interface Visitor {
  id: string;
  ip: string;
  busy: boolean;
  /** The dialog of the visitor's latest answered turn. */
  lastDialog: string | undefined;
}

const SCRIPT_IDS = Object.keys(DAY_SCRIPTS);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Plays the plan; resolves when every session has ended. No turn starts after `hardStopMs` from the start
 * (a session cut there counts its remaining turns as `cut_by_deadline` errors) and none runs past it, so an
 * overloaded stack still gives a report. `progress` is called every 15 s.
 */
export async function playDay(
  baseUrl: string,
  tenants: DayTenant[],
  plan: DayPlan,
  daySeconds: number,
  hardStopMs: number,
  progress: (turns: DayTurn[]) => void,
): Promise<DayRunResult> {
  const visitors: Visitor[][] = tenants.map(() => []);
  const turns: DayTurn[] = [];
  const startLag: number[] = [];
  const counts = { newVisitors: 0, returningVisitors: 0, returningNewDialog: 0, continued: 0 };
  const continuedElsewhere: string[] = [];
  const hourMs = (daySeconds * 1000) / 24;
  let rand = 0;
  const startedAt = Date.now();

  const visitorFor = (s: SessionPlan): { visitor: Visitor; returning: boolean } => {
    const own = visitors[s.tenant] as Visitor[];
    const idle = s.returning ? own.filter((v) => !v.busy) : [];
    if (idle.length > 0) {
      counts.returningVisitors += 1;
      return { visitor: idle[(rand++ * 7919) % idle.length] as Visitor, returning: true };
    }
    const n = own.length;
    const visitor = {
      id: `day-t${s.tenant + 1}-v${n + 1}`,
      ip: `10.${s.tenant + 1}.${(n >> 8) & 255}.${(n & 255) + 1}`,
      busy: false,
      lastDialog: undefined,
    };
    own.push(visitor);
    counts.newVisitors += 1;
    return { visitor, returning: false };
  };

  const session = async (s: SessionPlan, k: number) => {
    const wait = startedAt + s.at - Date.now();
    if (wait > 0) await sleep(wait);
    startLag.push(Math.max(0, Date.now() - startedAt - s.at));
    const { visitor, returning } = visitorFor(s);
    visitor.busy = true;
    const tenant = tenants[s.tenant] as DayTenant;
    const url = `${baseUrl}/api/v1/tenants/${tenant.tenantId}/chat`;
    // A returning visitor continues their latest dialog; every third one starts a new conversation.
    const newDialog = returning && k % 3 === 0;
    if (newDialog) counts.returningNewDialog += 1;
    let dialogId: string | undefined;
    try {
      for (let i = 0; i < s.turns; i++) {
        if (i > 0) await sleep(s.thinkMs[i - 1] ?? 0);
        const left = startedAt + hardStopMs - Date.now();
        if (left < 1000) {
          for (let j = i; j < s.turns; j++) {
            const at = performance.now();
            turns.push({
              status: 0,
              startedAt: at,
              firstTokenAt: undefined,
              endedAt: at,
              dialogId,
              text: "",
              tokens: 0,
              pings: 0,
              events: [],
              end: "cut_by_deadline",
              error: undefined,
              ...{
                tenant: s.tenant,
                visitor: visitor.id,
                session: k,
                index: j,
                sent: "",
                hour: 24,
                burst: s.burst,
              },
            });
          }
          break;
        }
        const script = SCRIPT_IDS[(k + i) % SCRIPT_IDS.length] as string;
        const sent = `Вопрос ${k}.${i} от ${visitor.id}: «где заказ?»\nспасибо [[script:${script}]]`;
        const body: Record<string, unknown> = { user_id: visitor.id, message: sent };
        if (dialogId) body.dialog_id = dialogId;
        else if (newDialog) body.new_dialog = true;
        const hour = Math.min(24, Math.floor((Date.now() - startedAt) / hourMs));
        const turn = await chatTurn(url, body, {
          timeoutMs: Math.min(60_000, left),
          headers: { "cf-connecting-ip": visitor.ip },
        });
        turns.push({
          ...turn,
          tenant: s.tenant,
          visitor: visitor.id,
          session: k,
          index: i,
          sent,
          hour,
          burst: s.burst,
        });
        if (turn.end !== "done" || !turn.dialogId) break; // a visitor whose turn failed leaves
        if (i === 0 && returning && !newDialog && visitor.lastDialog) {
          counts.continued += 1;
          if (turn.dialogId !== visitor.lastDialog)
            continuedElsewhere.push(
              `${visitor.id}: ${turn.dialogId.slice(0, 8)}, not ${visitor.lastDialog.slice(0, 8)}`,
            );
        }
        dialogId = turn.dialogId;
        visitor.lastDialog = dialogId;
      }
    } finally {
      visitor.busy = false;
    }
  };

  const ticker = setInterval(() => progress(turns), 15_000);
  try {
    await Promise.all(plan.sessions.map((s, k) => session(s, k)));
  } finally {
    clearInterval(ticker);
  }
  return { turns, ...counts, continuedElsewhere, startLag, startedAt, endedAt: Date.now() };
}
