/**
 * Thumbs up / down as inline SVG (answer feedback): drawn the same everywhere, with no emoji font needed.
 * Decorative: the button or text next to it names the rating.
 */
const NS = "http://www.w3.org/2000/svg";
// Material Design "thumb_up" (Apache License 2.0); thumbs down is the same shape turned over.
const THUMB =
  "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";

/** A 1em thumb icon pointing up or down. */
export function thumbIcon(rating: "up" | "down"): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "1em");
  svg.setAttribute("height", "1em");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `thumb thumb-${rating}`);
  const path = document.createElementNS(NS, "path");
  path.setAttribute("d", THUMB);
  path.setAttribute("fill", "currentColor");
  if (rating === "down") path.setAttribute("transform", "rotate(180 12 12)");
  svg.appendChild(path);
  return svg;
}
