/** What every cabinet view gets: the tenant, the signed-in profile, an authorized API and navigation. */
import type { ApiOptions } from "../shared/api.ts";
import type { PublicTenant } from "../shared/tenant.ts";

export interface Profile {
  id: string;
  tenant_id: string;
  email: string;
  name: string | null;
  locale: "ru" | "en" | null;
  role: "owner" | "member";
  confirmed_at: string | null;
  created_at: string;
  notify_leads: boolean;
  telegram_linked: boolean;
}

export interface CabinetContext {
  tenant: PublicTenant;
  profile: Profile;
  token(): string;
  /** Calls `/api/v1/tenants/{tenant_id}{path}` with the bearer token; a 401 signs out. */
  call<T>(path: string, opts?: ApiOptions): Promise<T>;
  /** The address of a cabinet path, e.g. `href("dialogs/…")` -> `/{slug}/my/dialogs/…`. */
  href(path: string): string;
  navigate(path: string): void;
  signOut(): void;
}

/** A cabinet section view: fills `main`; `params` are the path segments after the section name. */
export type View = (ctx: CabinetContext, main: HTMLElement, params: string[]) => Promise<void> | void;

/** A page of a keyset-paginated list. */
export interface PageOf<T> {
  items: T[];
  next_cursor: string | null;
}
