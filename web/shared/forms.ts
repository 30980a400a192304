/**
 * Accessible forms: labelled fields with hints and per-field errors (aria-invalid, aria-describedby),
 * client-side checks before sending, then the API's own answer: `issues[{path,message}]` land on their
 * fields, anything else in the form's alert line.
 */
import { ApiError, errorText } from "./api.ts";
import { h, uid } from "./dom.ts";

export type Values = Record<string, string>;

export interface FieldSpec {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  value?: string;
  maxlength?: number;
  rows?: number;
  options?: Array<[value: string, label: string]>;
  /** A message when the value is not acceptable (checked on submit, before any request). */
  validate?: (value: string, values: Values) => string | null;
}

export interface Form {
  el: HTMLFormElement;
  values(): Values;
  input(name: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  setStatus(text: string, kind: "error" | "ok"): void;
  reset(): void;
}

interface Field {
  spec: FieldSpec;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
}

function control(spec: FieldSpec, id: string, describedBy: string): Field["input"] {
  const common = { id, name: spec.name, required: spec.required ?? false, "aria-describedby": describedBy };
  if (spec.options) {
    const select = h(
      "select",
      common,
      spec.options.map(([v, label]) => h("option", { value: v }, label)),
    );
    if (spec.value !== undefined) select.value = spec.value;
    return select;
  }
  const extra = { autocomplete: spec.autocomplete ?? "off", maxlength: spec.maxlength };
  const input = spec.rows
    ? h("textarea", { ...common, ...extra, rows: spec.rows })
    : h("input", { ...common, ...extra, type: spec.type ?? "text" });
  input.value = spec.value ?? "";
  return input;
}

/** Builds a form; `onSubmit` gets the values once they pass the field checks. */
export function createForm(opts: {
  fields: FieldSpec[];
  submit: string;
  onSubmit: (values: Values) => Promise<void>;
  className?: string;
  errorSummary?: string;
}): Form {
  const fields: Field[] = [];
  const status = h("p", { class: "form-status", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "btn" }, opts.submit);
  const rows = opts.fields.map((spec) => {
    const id = uid("f");
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const input = control(spec, id, [spec.hint ? hintId : "", errorId].filter(Boolean).join(" "));
    const error = h("p", { id: errorId, class: "field-error" });
    fields.push({ spec, input, error });
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, spec.label),
      input,
      spec.hint ? h("p", { id: hintId, class: "hint" }, spec.hint) : null,
      error,
    );
  });
  const values = (): Values => Object.fromEntries(fields.map((f) => [f.spec.name, f.input.value]));
  const showError = (field: Field, message: string | null) => {
    field.error.textContent = message ?? "";
    if (message) field.input.setAttribute("aria-invalid", "true");
    else field.input.removeAttribute("aria-invalid");
  };
  const setStatus = (text: string, kind: "error" | "ok") => {
    status.textContent = text;
    status.className = `form-status ${kind}`;
    status.setAttribute("role", kind === "error" ? "alert" : "status");
  };

  const el = h("form", { class: opts.className ?? "form", novalidate: true }, rows, status, button);
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (button.disabled) return;
    const current = values();
    let firstBad: Field | null = null;
    for (const field of fields) {
      const v = current[field.spec.name] ?? "";
      const message = field.spec.validate?.(v, current) ?? null;
      showError(field, message);
      if (message && !firstBad) firstBad = field;
    }
    if (firstBad) {
      setStatus(opts.errorSummary ?? "", "error");
      firstBad.input.focus();
      return;
    }
    setStatus("", "ok");
    button.disabled = true;
    el.setAttribute("aria-busy", "true");
    try {
      await opts.onSubmit(current);
    } catch (err) {
      const placed =
        err instanceof ApiError
          ? err.issues.filter((i) => fields.some((f) => f.spec.name === i.path.split(".")[0]))
          : [];
      for (const issue of placed) {
        const field = fields.find((f) => f.spec.name === issue.path.split(".")[0]);
        if (field) showError(field, issue.message);
      }
      setStatus(placed.length > 0 && err instanceof ApiError ? err.message : errorText(err), "error");
      fields.find((f) => f.input.getAttribute("aria-invalid") === "true")?.input.focus();
    } finally {
      button.disabled = false;
      el.removeAttribute("aria-busy");
    }
  });

  return {
    el,
    values,
    input(name) {
      const field = fields.find((f) => f.spec.name === name);
      if (!field) throw new Error(`no field ${name}`);
      return field.input;
    },
    setStatus,
    reset() {
      for (const f of fields) {
        f.input.value = f.spec.value ?? "";
        showError(f, null);
      }
    },
  };
}
