// The built page served on 127.0.0.1 at a free port, for the e2e tests and the bench (plain
// JavaScript so the bench, run by Node without a TypeScript loader, can import it too).
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the page into `outDir` and serves it with `vite preview`.
 * @param {string} outDir
 * @returns {Promise<{ url: string; close: () => Promise<void> }>}
 */
export async function buildAndPreview(outDir) {
  await build({ root: ROOT, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root: ROOT,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: true, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite preview gave no local URL");
  return { url, close: () => server.close() };
}
