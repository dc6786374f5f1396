import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { stdin } from "node:process";
import { CocokitError } from "@cocokit/core";

/** An input named on the command line: a path, or `-` for JSON on stdin. */
export interface OpenedInput {
  /** The name used in messages (`<stdin>` for `-`). */
  name: string;
  kind: "json" | "zip" | "directory";
  /** Size in bytes when known (files). */
  size?: number;
}

/**
 * Checks an input exists and says what kind it is, so a command can fail with a clear message
 * before any work: `input_not_found`, `unsupported_input`.
 */
export async function inspectInput(path: string): Promise<OpenedInput> {
  if (path === "-") return { name: "<stdin>", kind: "json" };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new CocokitError(
      "input_not_found",
      `expected an existing file or directory, found nothing at "${path}"`,
      {
        file: path,
        cause,
      },
    );
  }
  if (info.isDirectory()) return { name: path, kind: "directory" };
  const lower = path.toLowerCase();
  if (lower.endsWith(".zip")) return { name: path, kind: "zip", size: info.size };
  if (lower.endsWith(".json")) return { name: path, kind: "json", size: info.size };
  throw new CocokitError(
    "unsupported_input",
    `expected a .json file, a .zip archive or a directory, found "${path}"; pass - to read JSON from stdin`,
    { file: path },
  );
}

/** The bytes of a JSON input, streamed in chunks (a file, or stdin for `-`). */
export function jsonChunks(path: string): AsyncIterable<Uint8Array> {
  if (path === "-") return stdin;
  return createReadStream(path, { highWaterMark: 1 << 20 });
}
