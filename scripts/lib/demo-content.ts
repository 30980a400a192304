/** What the demo cabinet is filled with (demo-seed.ts): prompt chunks, gallery pictures, a document, visitors. */
import { deflateSync } from "node:zlib";

/** Chunks added through the cabinet API (so they have a history), in English beside migration 0001's. */
export const DEMO_CHUNKS = [
  {
    question: "What are your opening hours?",
    text: "The CIP demo shop answers every day from 9:00 to 21:00; the AI agent answers around the clock.",
  },
  {
    question: "Do you deliver?",
    text: "Yes: within the city the next day, free from 50 EUR; elsewhere in 3-5 working days for 7 EUR.",
  },
  {
    question: "How do returns work?",
    text: "Any item can be returned within 30 days in its original packaging; the refund takes 5 working days.",
  },
];

export const DEMO_GALLERY = {
  title: "Showroom",
  description: "Photos of the demo shop's showroom and products",
  images: [
    {
      caption: "Sunrise lamp",
      colors: [
        [251, 146, 60],
        [250, 204, 21],
      ],
    },
    {
      caption: "Ocean chair",
      colors: [
        [37, 99, 235],
        [45, 212, 191],
      ],
    },
    {
      caption: "Forest rug",
      colors: [
        [22, 101, 52],
        [163, 230, 53],
      ],
    },
  ],
} as const;

export const DEMO_DOCUMENT = {
  name: "delivery-and-returns.md",
  title: "Delivery and returns",
  text: `# Delivery and returns

## Delivery
Orders placed before 18:00 leave the warehouse the same day. City delivery arrives the next day and is
free from 50 EUR; below that it costs 4 EUR. Regional delivery takes 3-5 working days and costs 7 EUR.

## Returns
Return any item within 30 days in its original packaging. Bring it to the showroom or book a courier
(5 EUR). The refund reaches your card within 5 working days after the item arrives.

## Warranty
Furniture carries a 2-year warranty, lamps 1 year. Keep the receipt or the order e-mail.
`,
};

/** Visitors' conversations: each list is one visitor's messages; contact details become leads. */
export const DEMO_VISITORS: string[][] = [
  ["Hi! Do you deliver outside the city?", "Great, please send me the details: anna.lee@example.com"],
  ["Can I see photos of the showroom?", "The ocean chair is lovely. Call me back on +44 20 7946 0958"],
  ["How do returns work?", "Thanks, that is clear."],
  ["What are your opening hours?"],
];

/** A `width`x`height` PNG: a diagonal gradient between two colours with a soft round light. */
export function gradientPng(
  width: number,
  height: number,
  from: readonly number[],
  to: readonly number[],
): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const dx = x - width * 0.68;
      const dy = y - height * 0.38;
      const glow = Math.max(0, 1 - Math.sqrt(dx * dx + dy * dy) / (height * 0.45)) * 0.55;
      for (let c = 0; c < 3; c++) {
        const base = (from[c] ?? 0) * (1 - t) + (to[c] ?? 0) * t;
        row[1 + x * 3 + c] = Math.round(base + (255 - base) * glow);
      }
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
