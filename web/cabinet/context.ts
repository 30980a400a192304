/** What every cabinet view gets: the tenant, the signed-in profile, an authorized API and navigation. */
import type { ApiOptions } from "../shared/api.ts";
import type { SchemaProfile } from "../shared/api-types.gen.ts";
import type { PublicTenant } from "../shared/tenant.ts";

/** The signed-in user (`GET …/me/profile`), as the API's `Profile` schema gives it. */
export type Profile = SchemaProfile;

export interface CabinetContext {
  tenant: PublicTenant;
  profile: Profile;
  /** Whether the user is a platform operator (the console section shows only then). */
  operator?: boolean;
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
