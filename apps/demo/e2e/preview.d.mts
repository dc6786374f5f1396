/** Builds the page into `outDir` and serves it with `vite preview` on 127.0.0.1 at a free port. */
export function buildAndPreview(outDir: string): Promise<{ url: string; close: () => Promise<void> }>;
