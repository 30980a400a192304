import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { IMAGE_TYPES, looksLikeText, requireType, sniffContentType } from "../../src/lib/sniff.ts";
import { DEFAULT_MAX_UPLOAD_BYTES, maxUploadBytes, safeFileName } from "../../src/lib/upload.ts";
import { PNG } from "../fixtures/uploads.ts";

const bytes = (...values: Array<number | string>) =>
  new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...new TextEncoder().encode(v)] : [v])));

describe("sniffContentType", () => {
  it.each([
    ["image/png", PNG],
    ["image/jpeg", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ["image/gif", bytes("GIF87a", 1, 0)],
    ["image/webp", bytes("RIFF", 0x24, 0, 0, 0, "WEBPVP8 ")],
    ["application/pdf", bytes("%PDF-1.7\n")],
    ["application/zip", bytes("PK", 3, 4, 20, 0)],
    ["application/octet-stream", bytes(0, 1, 2, 3, 0xfe)],
    ["application/octet-stream", bytes("RIFF", 0, 0, 0, 0, "WAVE")],
  ])("finds %s from magic bytes, whatever the label", (type, head) => {
    expect(sniffContentType(head, { name: "x.txt", declaredType: "text/plain" })).toBe(type);
  });

  it("tells text apart and picks its flavour from the name or the label", () => {
    const text = bytes("Привет, мир\n");
    expect(sniffContentType(text)).toBe("text/plain");
    expect(sniffContentType(text, { name: "README.md" })).toBe("text/markdown");
    expect(sniffContentType(text, { declaredType: "text/csv; charset=utf-8" })).toBe("text/csv");
    expect(sniffContentType(text, { declaredType: "image/png" })).toBe("text/plain");
    expect(sniffContentType(bytes("\uFEFF  <!DOCTYPE html><p>x"), { declaredType: "image/png" })).toBe(
      "text/html",
    );
    expect(sniffContentType(bytes("<html lang=ru>"))).toBe("text/html");
  });

  it("accepts a multi-byte character cut at the end of the sample, but not invalid UTF-8", () => {
    const cut = new TextEncoder().encode("окно").slice(0, 7);
    expect(looksLikeText(cut)).toBe(true);
    expect(looksLikeText(bytes("abc", 0xc3, 0x28))).toBe(false);
    expect(looksLikeText(bytes("abc", 0))).toBe(false);
  });

  it("refuses a type outside the allowed list with 415", () => {
    expect(() => requireType("image/png", IMAGE_TYPES, "image")).not.toThrow();
    const err = (() => {
      try {
        requireType("text/html", IMAGE_TYPES, "image");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(415);
  });
});

describe("upload settings and names", () => {
  it("reads MAX_UPLOAD_BYTES, falling back to 10 MiB", () => {
    expect(DEFAULT_MAX_UPLOAD_BYTES).toBe(10 * 1024 * 1024);
    expect(maxUploadBytes({ MAX_UPLOAD_BYTES: "2048" })).toBe(2048);
    for (const raw of [undefined, "", "0", "-5", "1.5", "ten"]) {
      expect(maxUploadBytes({ MAX_UPLOAD_BYTES: raw })).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    }
  });

  it("keeps a safe base name", () => {
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("C:\\Users\\me\\отчёт.pdf")).toBe("отчёт.pdf");
    expect(safeFileName("a\u0000b\nc.txt")).toBe("abc.txt");
    expect(safeFileName("  ")).toBe("upload");
    expect(safeFileName("..")).toBe("upload");
    expect(safeFileName(undefined)).toBe("upload");
    const long = safeFileName(`${"x".repeat(300)}.jpeg`);
    expect(long).toHaveLength(200);
    expect(long.endsWith(".jpeg")).toBe(true);
  });
});
