/** Types of the Worker's bindings and of the per-request context shared by every route. */
import type { Database } from "./db/client.ts";
import type { Role } from "./lib/jwt.ts";
import type { Mailer } from "./mail/mailer.ts";

/**
 * Bindings and vars from wrangler.toml, secrets, and `npm run dev`. Every setting is a string. The Durable
 * Object namespaces take their types from `WranglerEnv`, which `npm run cf-typegen` (`wrangler types`)
 * generates into worker-configuration.d.ts from wrangler.toml: a global type, so this layer never imports
 * the object classes above it (CI checks the file is current).
 */
export interface Bindings {
  HYPERDRIVE?: Hyperdrive;
  FILES: R2Bucket;
  DIALOGS: WranglerEnv["DIALOGS"];
  RATE_LIMITER: WranglerEnv["RATE_LIMITER"];
  TENANTS: WranglerEnv["TENANTS"];
  /** Per tenant: webhook deliveries and lead alerts (src/durable-objects/outbox-object.ts). */
  OUTBOX: WranglerEnv["OUTBOX"];
  /** One object per (tenant, web visitor): the visitor's latest dialog. */
  VISITORS: WranglerEnv["VISITORS"];
  ASSETS?: Fetcher;
  /** Rate Limiting bindings: chat messages and new dialogs per (tenant, address), 60 s periods. */
  CHAT_IP_MESSAGES?: RateLimit;
  CHAT_IP_NEW_DIALOGS?: RateLimit;
  /** Platform defaults of the per-address chat limits (per minute; 0 = off). */
  CHAT_IP_MESSAGES_PER_MINUTE?: string;
  CHAT_IP_NEW_DIALOGS_PER_MINUTE?: string;
  /** Tokens a tenant may spend per UTC day whatever its own caps say (default 2 000 000; 0 = none). */
  PLATFORM_DAILY_TOKENS_PER_TENANT?: string;
  /** The slug of the platform tenant whose users may be operators (docs/operator.md); unset: no operators. */
  PLATFORM_TENANT_SLUG?: string;
  /** Comma-separated e-mails of the platform tenant's users who are operators. */
  PLATFORM_ADMINS?: string;
  /** Platform defaults of the content quotas per tenant (operators override them per tenant). */
  PLATFORM_QUOTA_DOCUMENTS?: string;
  PLATFORM_QUOTA_GALLERIES?: string;
  PLATFORM_QUOTA_IMAGES_PER_GALLERY?: string;
  PLATFORM_QUOTA_CHUNKS?: string;
  PLATFORM_QUOTA_STORAGE_BYTES?: string;
  DATABASE_URL?: string;
  /** `host:port/path` of a WebSocket-to-TCP proxy for the Neon driver (local use only). */
  NEON_WS_PROXY?: string;
  DEEPSEEK_API_URL?: string;
  DEEPSEEK_API_KEY?: string;
  DEEPSEEK_MODEL?: string;
  /**
   * How model requests speak about thinking: `disabled` (default), `enabled`, or `omit` (no `thinking`
   * field, for OpenAI-compatible providers that reject it). Visitor chats default to no thinking anyway.
   */
  DEEPSEEK_THINKING?: string;
  JWT_SECRET?: string;
  JWT_EXPIRE_MINUTES?: string;
  FRONTEND_BASE_URL?: string;
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_FROM?: string;
  TELEGRAM_API_URL?: string;
  /** Largest upload (files, gallery images, documents) in bytes; default 10 MiB. */
  MAX_UPLOAD_BYTES?: string;
  /** Secret: base64 of 32 bytes, the AES-GCM key of stored bot tokens (unset: derived from JWT_SECRET). */
  TELEGRAM_TOKEN_KEY?: string;
  /** Cloudflare Turnstile's siteverify endpoint (tests and dev point it at a local fake). */
  TURNSTILE_VERIFY_URL?: string;
  /** The Turnstile widget script the chat pages load (tests and dev use a local stand-in). */
  TURNSTILE_SCRIPT_URL?: string;
  /** "1": webhooks may target http:// and private addresses (local development and tests only). */
  WEBHOOK_ALLOW_PRIVATE?: string;
  /**
   * "1" (set by `npm run dev` only, never in wrangler.toml): the demo tenant's login page may offer the
   * demo owner's sign-in, read from DEV_DEMO_EMAIL / DEV_DEMO_PASSWORD, to requests on a loopback host.
   */
  DEV_DEMO_LOGIN?: string;
  DEV_DEMO_EMAIL?: string;
  DEV_DEMO_PASSWORD?: string;
}

export interface Variables {
  requestId: string;
  /** Opens the request's database connection on first use; closed after the response. */
  db: () => Database;
  /**
   * Commits the request's open transaction now (it otherwise commits as the response leaves): call it
   * before telling another object to re-read what this request wrote.
   */
  commit: () => Promise<void>;
  mailer: Mailer;
  /** Set by `requireAuth` on authenticated routes. */
  auth: AuthContext;
  /** Set when the request was authenticated with an API key (src/middleware/auth/api-key.ts). */
  apiKey: ApiKeyIdentity | undefined;
}

/** A verified API key of the request's tenant: which one, and what it may do. */
export interface ApiKeyIdentity {
  id: string;
  tenantId: string;
  /** The owner who made it (keys die with that account). */
  createdBy: string;
  scopes: Array<"read" | "chat">;
}

/** Who is calling, as checked by the auth middleware (role read from the database, not the token). */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: Role;
  /** Set for an operator's support ticket: the cabinet may be read, never written (docs/operator.md). */
  readOnly?: boolean;
  /** Set by `requireOperator` on the platform routes: the operator's e-mail, for the audit trail. */
  operatorEmail?: string;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
