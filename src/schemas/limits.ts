/** Limits of the data contract that services enforce too (DESIGN.md "Domain model"). */

/** A prompt chunk's question and text, in characters (code points). */
export const CHUNK_QUESTION_MAX = 1000;
export const CHUNK_TEXT_MAX = 2000;
/** Chunks one tenant may have. */
export const CHUNKS_PER_TENANT_MAX = 200;

/** Starter questions per tenant, and each one's length in characters (after trimming). */
export const STARTERS_MAX = 6;
export const STARTER_MAX_CHARS = 80;
/** A tenant's own base prompt, in characters. */
export const BASE_PROMPT_MAX = 8000;
/** A visitor's message, in characters: the platform's ceiling, and the least an operator may set. */
export const MESSAGE_CHARS_MAX = 4000;
export const MESSAGE_CHARS_MIN = 100;
/** A tenant's welcome text (the first thing the chat page and Telegram's /start say), in characters. */
export const WELCOME_TEXT_MAX = 500;
/** Earlier turns a sandbox request may carry (the sandbox stores nothing, the cabinet sends them). */
export const SANDBOX_HISTORY_MAX = 40;
