/** Limits of the data contract that services enforce too (DESIGN.md "Domain model"). */

/** A prompt chunk's question and text, in characters (code points). */
export const CHUNK_QUESTION_MAX = 1000;
export const CHUNK_TEXT_MAX = 2000;
/** Chunks one tenant may have. */
export const CHUNKS_PER_TENANT_MAX = 200;
