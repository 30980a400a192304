/**
 * Uploads with progress: XMLHttpRequest is the browser API that reports upload progress (fetch does not).
 * The body is `multipart/form-data` with a `file` field, as the API takes it; errors are ApiErrors.
 */
import { ApiError, apiUrl } from "../shared/api.ts";
import { t } from "../shared/i18n.ts";
import { progressBar } from "./ui.ts";

/** Sends `file` to `/api/v1{path}` and resolves with the JSON answer; `onProgress` gets 0..1. */
export function uploadFile<T>(
  path: string,
  file: File,
  token: string,
  onProgress: (fraction: number) => void,
  query?: Record<string, string | undefined>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(path, query));
    xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        return resolve(body as T);
      }
      const error = (body as { error?: { code?: string; message?: string; issues?: [] } } | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? `http_${xhr.status}`,
          error?.message ?? xhr.statusText,
          error?.issues ?? [],
        ),
      );
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", t("networkError"))));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "aborted", "aborted")));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** A file input plus progress bars: each chosen file is uploaded in turn by `send`. */
export function uploader(opts: {
  label: string;
  accept?: string;
  multiple?: boolean;
  send: (file: File, onProgress: (fraction: number) => void) => Promise<unknown>;
  onDone: () => void | Promise<void>;
  onError: (err: unknown) => void;
}): HTMLElement {
  const id = `upload-${Math.random().toString(36).slice(2, 8)}`;
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.multiple = opts.multiple ?? false;
  if (opts.accept) input.accept = opts.accept;
  const bars = document.createElement("div");
  bars.className = "progress-list";
  bars.setAttribute("aria-live", "polite");
  input.addEventListener("change", async () => {
    const files = Array.from(input.files ?? []);
    input.disabled = true;
    for (const file of files) {
      const bar = progressBar(file.name);
      bars.appendChild(bar.el);
      try {
        await opts.send(file, bar.set);
      } catch (err) {
        bar.el.classList.add("failed");
        opts.onError(err);
      }
    }
    input.value = "";
    input.disabled = false;
    await opts.onDone();
  });
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = opts.label;
  const wrap = document.createElement("div");
  wrap.className = "field uploader";
  for (const node of [label, input, bars]) wrap.appendChild(node);
  return wrap;
}
