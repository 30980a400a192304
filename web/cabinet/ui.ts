/** Small building blocks of the cabinet views: tables, "load more", copy buttons, notices. */
import { ApiError, errorText } from "../shared/api.ts";
import { type Child, h, replace } from "../shared/dom.ts";
import { ct } from "./texts.ts";

/** A table with a header row; `rows` are arrays of cells. */
export function table(caption: string, columns: string[], rows: Child[][]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      null,
      h("caption", { class: "sr-only" }, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          columns.map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((cells) =>
          h(
            "tr",
            null,
            cells.map((c) => h("td", null, c)),
          ),
        ),
      ),
    ),
  );
}

/** A status line for short confirmations and errors of a view. */
export function statusLine(): { el: HTMLElement; ok(text: string): void; error(err: unknown): void } {
  const el = h("p", { class: "form-status", "aria-live": "polite" });
  return {
    el,
    ok(text) {
      el.className = "form-status ok";
      el.setAttribute("role", "status");
      el.textContent = text;
    },
    error(err) {
      el.className = "form-status error";
      el.setAttribute("role", "alert");
      el.textContent = typeof err === "string" ? err : errorText(err);
    },
  };
}

/** Shows why a view could not load: a missing route (404/405) reads as "not available yet". */
export function viewFailure(main: HTMLElement, err: unknown): void {
  const missing =
    err instanceof ApiError &&
    (err.status === 405 || (err.status === 404 && err.message.startsWith("No route")));
  const text = missing
    ? ct("notAvailable")
    : err instanceof ApiError && err.status === 403
      ? ct("forbidden")
      : errorText(err);
  replace(main, h("p", { class: "notice-inline", role: "alert" }, text));
}

/** A button that copies `text()` and says so. */
export function copyButton(text: () => string, label = ct("copy")): HTMLButtonElement {
  const button = h("button", { type: "button", class: "btn btn-small btn-ghost" }, label);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
    } catch {
      const area = h("textarea", { class: "sr-only" });
      area.value = text();
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.textContent = ct("copied");
    setTimeout(() => {
      button.textContent = label;
    }, 1500);
  });
  return button;
}

/** Asks before deleting. */
export function confirmDelete(name: string): boolean {
  return window.confirm(ct("confirmDelete", { name }));
}

/** A "Load more" button that disables itself while loading and hides when there is no more. */
export function loadMore(load: () => Promise<boolean>): HTMLButtonElement {
  const button = h("button", { type: "button", class: "btn btn-ghost load-more" }, ct("loadMore"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      button.hidden = !(await load());
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A small progress bar for uploads. */
export function progressBar(label: string): { el: HTMLElement; set(fraction: number): void } {
  const bar = h("progress", { max: 100, value: 0, "aria-label": label });
  const text = h("span", { class: "progress-text" }, "0%");
  return {
    el: h("div", { class: "progress" }, h("span", { class: "progress-label" }, label), bar, text),
    set(fraction) {
      const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
      bar.value = pct;
      text.textContent = `${pct}%`;
    },
  };
}
