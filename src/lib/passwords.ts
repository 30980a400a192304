/**
 * Password hashing with scrypt (node:crypto, which workerd provides). OWASP lists N=2^14, r=8, p=5 as an
 * equivalent to its strongest row; N*r*p stays within workerd's 2^20 limit and memory at 16 MiB.
 * Hashes carry their scheme and parameters, so they can be raised later: `needsRehash` tells login to
 * store a fresh hash.
 */
import { scrypt, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors.ts";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 5, keyLength: 32, saltLength: 16 } as const;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(
  password: string,
  salt: Uint8Array,
  params: ScryptParams,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Why a password is refused, or null when it is acceptable. Never truncates. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return "This password is too common; choose another.";
  return null;
}

/** Throws a 422 naming the `field` when the password is not acceptable. */
export function assertPasswordAcceptable(password: string, field = "password"): void {
  const problem = passwordProblem(password);
  if (problem)
    throw new AppError("validation_failed", problem, { issues: [{ path: field, message: problem }] });
}

/** `scrypt$N$r$p$salt$hash` with base64 salt and hash. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = crypto.getRandomValues(new Uint8Array(saltLength));
  const key = await derive(password, salt, { N, r, p }, keyLength);
  return ["scrypt", N, r, p, Buffer.from(salt).toString("base64"), key.toString("base64")].join("$");
}

/** Bounds a stored hash must respect before any work is spent on it (workerd's limits included). */
const MAX_SCRYPT_COST = 2 ** 20;
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;
const MIN_STORED_BYTES = 16;

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split("$");
  if (parts.length !== 6) return null;
  const [scheme, n, r, p, salt, key] = parts;
  if (scheme !== "scrypt" || !salt || !key) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  // N a power of two above 1; cost and memory within what production workerd accepts.
  if (params.N < 2 || (params.N & (params.N - 1)) !== 0) return null;
  if (params.N * params.r * params.p > MAX_SCRYPT_COST || 128 * params.N * params.r > MAX_SCRYPT_MEMORY) {
    return null;
  }
  const saltBytes = Buffer.from(salt, "base64");
  const keyBytes = Buffer.from(key, "base64");
  // An empty or truncated key would make any password "match" (two empty buffers compare equal).
  if (saltBytes.length < MIN_STORED_BYTES || keyBytes.length < MIN_STORED_BYTES) return null;
  return { params, salt: saltBytes, key: keyBytes };
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  try {
    const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other (older) parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  return (
    !parsed ||
    parsed.params.N !== N ||
    parsed.params.r !== r ||
    parsed.params.p !== p ||
    parsed.key.length !== keyLength
  );
}

/**
 * A stand-in hash with today's parameters, fixed salt and an all-zero key: checking a password against it
 * costs exactly one derivation (like a real check) and never matches. Built eagerly from constants, so
 * the first unknown e-mail is not slower than the rest (no lazy hashing on the first call).
 */
const DUMMY_HASH = [
  "scrypt",
  SCRYPT_PARAMS.N,
  SCRYPT_PARAMS.r,
  SCRYPT_PARAMS.p,
  Buffer.alloc(SCRYPT_PARAMS.saltLength, 0x5a).toString("base64"),
  Buffer.alloc(SCRYPT_PARAMS.keyLength, 0).toString("base64"),
].join("$");

/**
 * Spends the same work as a real check when there is no account, so an unknown e-mail answers in about
 * the same time as a wrong password.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
