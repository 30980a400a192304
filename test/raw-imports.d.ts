/** Vite's `?raw` imports (tests only): the file's text. */
declare module "*.txt?raw" {
  const text: string;
  export default text;
}

declare module "*.toml?raw" {
  const text: string;
  export default text;
}

declare module "*.md?raw" {
  const text: string;
  export default text;
}
