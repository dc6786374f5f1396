import { stderr } from "node:process";

/** A progress display for one long step. */
export interface Progress {
  /** Reports how far the step has got; `total` undefined shows a counter without a bar. */
  update(done: number, total?: number): void;
  /** Clears the line. */
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

/**
 * A one-line progress bar on stderr, redrawn with `\r` at most ten times a second. Silent when
 * stderr is not a TTY (piped, CI) or when `quiet` is set (`--quiet`, `--json`).
 */
export function createProgress(
  label: string,
  options: { quiet?: boolean; unit?: "bytes" | "records" } = {},
): Progress {
  if (options.quiet === true || stderr.isTTY !== true) return silent;
  let last = 0;
  let drawn = false;
  const format = options.unit === "bytes" ? formatBytes : (n: number) => n.toLocaleString("en-US");
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      let line = `${label} ${format(done)}`;
      if (total !== undefined && total > 0) {
        const ratio = Math.min(1, done / total);
        const width = 24;
        const filled = Math.round(ratio * width);
        line = `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${format(done)}/${format(total)}`;
      }
      stderr.write(`\r${line}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stderr.write("\r\u001b[K");
    },
  };
}

/** `1.5 MB`-style sizes for progress lines. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
