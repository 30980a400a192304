/**
 * One chat turn over SSE: fills the assistant entry from the events and reports how the turn ended. A
 * stream that breaks after the dialog is known is picked up again where it broke (`GET .../stream`
 * after the last event id: the server replays the rest without a new model call).
 */
import { ApiError, api, codeText } from "../shared/api.ts";
import { type CommandEvent, streamTurn, type TurnRequest } from "../shared/sse.ts";
import type { MessageView } from "./message-view.ts";
import type { StoredMessage } from "./transcript.ts";

export interface TurnHooks {
  /** The dialog the turn belongs to (first event). */
  onDialog(dialogId: string): void;
  /** The entry's text or commands changed. */
  onChange(kind: "text" | "commands"): void;
  /** The model is thinking before it answers (until its first token). */
  onThinking?(): void;
  onCommand?(cmd: CommandEvent): void;
}

export interface TurnOutcome {
  /** The stream's `error` event, as text for people. */
  failure: string | null;
  /** Why the request failed or broke off (ApiError, AbortError), if it did. */
  refused: unknown;
  /** A human operator holds the dialog: the message was kept and no answer will come from the model. */
  takenOver?: boolean;
}

type Request = Omit<TurnRequest, "onEvent">;

/** Hooks that keep `view` in step with `entry` while it streams. */
export function viewHooks(
  entry: StoredMessage,
  view: MessageView,
  onDialog: (dialogId: string) => void,
  scroll: () => void,
  onCommand?: (cmd: CommandEvent) => void,
): TurnHooks {
  return {
    onDialog,
    onChange(kind) {
      if (kind === "commands") {
        view.setCommands(entry.commands);
        return;
      }
      view.setText(entry.text);
      view.setState("streaming");
      scroll();
    },
    onThinking() {
      if (!entry.text) view.setState("thinking");
    },
    onCommand,
  };
}

/** Runs one request of a turn; `entry` gets the text, commands and final status (complete or stopped). */
export async function runTurn(req: Request, entry: StoredMessage, hooks: TurnHooks): Promise<TurnOutcome> {
  const outcome: TurnOutcome = { failure: null, refused: null };
  try {
    await streamTurn({
      ...req,
      onEvent(ev) {
        if (ev.type === "meta") {
          // The answer's id: the visitor rates it by this id (answer feedback).
          if (ev.message_id) entry.id = ev.message_id;
          hooks.onDialog(ev.dialog_id);
        } else if (ev.type === "thinking") {
          hooks.onThinking?.();
        } else if (ev.type === "token") {
          entry.text += ev.content;
          hooks.onChange("text");
        } else if (ev.type === "command") {
          const { type: _type, ...cmd } = ev;
          entry.commands.push(cmd);
          hooks.onChange("commands");
          hooks.onCommand?.(cmd);
        } else if (ev.type === "done") {
          if (ev.message_id) entry.id = ev.message_id;
          entry.status = ev.status === "stopped" ? "stopped" : "complete";
          if (ev.status === "taken_over") outcome.takenOver = true;
        } else if (ev.type === "error") {
          outcome.failure = codeText(ev.code, ev.message);
        }
      },
    });
  } catch (err) {
    outcome.refused = err;
  }
  return outcome;
}

const broken = (o: TurnOutcome) => !o.failure && o.refused instanceof ApiError && o.refused.status === 0;

/**
 * Runs a turn; when its stream breaks (connection lost, not refused), resumes it up to 3 times through
 * `resumeUrl(lastEventId)` (null: the dialog is not known yet, or the chat cannot resume).
 */
export async function runResilientTurn(
  first: Request,
  entry: StoredMessage,
  hooks: TurnHooks,
  resumeUrl: (afterId: number) => string | null,
): Promise<TurnOutcome> {
  const progress = first.progress ?? { lastId: 0 };
  let outcome = await runTurn({ ...first, progress }, entry, hooks);
  for (let attempt = 1; attempt <= 3 && broken(outcome); attempt++) {
    const url = resumeUrl(progress.lastId);
    if (!url || first.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, 300 * attempt));
    outcome = await runTurn(
      { url, method: "GET", token: first.token, headers: first.headers, signal: first.signal, progress },
      entry,
      hooks,
    );
  }
  return outcome;
}

/**
 * Stops a running turn: with a stop route (`path`), the server stops the model and ends the stream
 * with `done` (status stopped), keeping the part so far; the request is aborted if that does not happen
 * within 4 s (`stillRunning`), if the call fails, or when there is no route (or no dialog id yet).
 */
export async function stopTurn(
  running: AbortController,
  path: string | null,
  body: unknown,
  token: string | null | undefined,
  stillRunning: () => boolean,
  headers?: Record<string, string>,
): Promise<void> {
  if (!path) {
    running.abort();
    return;
  }
  setTimeout(() => {
    if (stillRunning()) running.abort();
  }, 4000);
  try {
    await api(path, { method: "POST", body, token, headers });
  } catch {
    running.abort();
  }
}
