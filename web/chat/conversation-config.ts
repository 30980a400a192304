/** What a conversation (conversation.ts) is configured with, and what it gives back. */
import type { CommandEvent } from "../shared/sse.ts";
import type { TranscriptStore } from "./transcript.ts";

export interface ConversationConfig {
  /** The SSE endpoint (absolute path). */
  url: string;
  body: (message: string, dialogId: string | null) => unknown;
  token?: () => string | null;
  /** API path (under /api/v1) that stops a running answer of a dialog; without it Stop only stops reading. */
  stopPath?: (dialogId: string) => string;
  stopBody?: () => unknown;
  /** The URL that replays a dialog's latest answer after an event id; without it nothing resumes. */
  resumeUrl?: (dialogId: string, afterId: number) => string;
  store: TranscriptStore;
  imageSrc: (url: string) => string | null;
  renderCommand: (cmd: CommandEvent) => HTMLElement | null;
  greeting?: string | null;
  label?: string;
  onCommand?: (cmd: CommandEvent) => void;
  onUnauthorized?: () => void;
  composerExtra?: HTMLElement | null;
}

export interface Conversation {
  el: HTMLElement;
  reset(): void;
  focus(): void;
}
