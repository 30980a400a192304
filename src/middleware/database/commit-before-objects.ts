/**
 * A request's queries share one transaction (row-level security scope). A Durable Object the request
 * calls works on its own connections: it must see what the request wrote, and it must not wait on the
 * request's open transaction (an embedded single-session Postgres, as in `npm run dev`, would deadlock).
 * So the request's view of the dialog and tenant objects commits first, on every call. A read-only
 * transaction's commit is not waited for, so this costs the chat path nothing.
 */
import type { Bindings } from "../../env.ts";

type Commit = () => Promise<void>;

/**
 * `env` with DIALOGS, TENANTS and OUTBOX stubs whose every call commits the request's transaction first. A view,
 * not a copy: spreading `env` would read every binding on every request (measured: ~0.5 ms a request
 * under local workerd once the static-assets binding is among them).
 */
export function commitBeforeObjects(env: Bindings, commit: Commit): Bindings {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(env, {
    get(target, prop) {
      if (prop !== "DIALOGS" && prop !== "TENANTS" && prop !== "OUTBOX")
        return Reflect.get(target, prop, target);
      let namespace = wrapped.get(prop);
      if (namespace === undefined) {
        namespace = committingNamespace(target[prop] as unknown as DurableObjectNamespace, commit);
        wrapped.set(prop, namespace);
      }
      return namespace;
    },
  });
}

function committingNamespace<N extends DurableObjectNamespace>(namespace: N, commit: Commit): N {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "getByName" || prop === "get")
        return (...args: unknown[]) => committingStub(Reflect.apply(value, target, args) as object, commit);
      return value.bind(target);
    },
  });
}

function committingStub<S extends object>(stub: S, commit: Commit): S {
  return new Proxy(stub, {
    get(target, prop) {
      const member = Reflect.get(target, prop, target) as unknown;
      // Stub properties (`id`, `name`) pass through; RPC methods commit, then call.
      if (typeof member !== "function" || typeof prop === "symbol" || prop === "then") return member;
      // Reflect.apply: an RPC method's own `.apply` would be taken for a remote method named "apply".
      return async (...args: unknown[]) => {
        await commit();
        return Reflect.apply(member, target, args);
      };
    },
  });
}
