/**
 * The visitor's side of human takeover: follows the dialog's live feed (`GET …/chat/{dialog_id}/events`)
 * and reports operator replies (each once, by `seq`) and whether a human currently holds the chat.
 */
import { openLiveFeed } from "../shared/live-feed.ts";

export interface OperatorMessage {
  seq: number;
  text: string;
  name: string | null;
}

export interface OperatorChannelOptions {
  url: (dialogId: string, afterSeq: number) => string;
  /** Request headers for a dialog's feed (a protected chat's widget token). */
  headers?: (dialogId: string) => Promise<Record<string, string>>;
  onMessage: (message: OperatorMessage) => void;
  onState: (active: boolean, name: string | null) => void;
}

export interface OperatorChannel {
  /** Follows `dialogId` after the operator reply `afterSeq` (no-op when already following it). */
  follow(dialogId: string, afterSeq: number): void;
  stop(): void;
}

const text = (v: unknown) => (typeof v === "string" ? v : null);

export function createOperatorChannel(opts: OperatorChannelOptions): OperatorChannel {
  let current: { dialogId: string; close(): void } | null = null;
  const stop = () => {
    current?.close();
    current = null;
  };
  return {
    follow(dialogId, afterSeq) {
      if (current?.dialogId === dialogId) return;
      stop();
      const feed = openLiveFeed({
        url: (lastId) => opts.url(dialogId, lastId),
        ...(opts.headers ? { headers: () => opts.headers?.(dialogId) ?? Promise.resolve({}) } : {}),
        lastId: afterSeq,
        onEvent(event, data) {
          if (event === "state") opts.onState(data.taken_over === true, text(data.operator_name));
          const seq = Number(data.seq);
          if (event === "operator" && Number.isInteger(seq) && typeof data.text === "string") {
            opts.onMessage({ seq, text: data.text, name: text(data.operator_name) });
          }
        },
        // The dialog is gone (or not this visitor's): nobody will answer through it.
        onEnd: () => opts.onState(false, null),
      });
      current = { dialogId, close: () => feed.close() };
    },
    stop,
  };
}
