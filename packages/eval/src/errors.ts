import { CocokitError } from "@cocokit/core";

/** Stable codes of the errors `@cocokit/eval` throws (all as `CocokitError`). */
export type EvalErrorCode =
  | "invalid_results"
  | "mixed_results"
  | "unknown_image"
  | "unsupported_results"
  | "invalid_ground_truth"
  | "invalid_params";

/** Which input a pointer points into: the results list, the ground truth or the options. */
export type EvalFile = "results" | "ground truth" | "params";

/** A short, bounded rendering of a found value for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** A located `CocokitError`: `expected … found …` at a JSON pointer of the results, ground truth or params. */
export function evalError(
  code: EvalErrorCode,
  file: EvalFile,
  pointer: string,
  expected: string,
  found: unknown,
  cause?: unknown,
): CocokitError {
  const where = pointer === "" ? file : `${file} ${pointer}`;
  return new CocokitError(code, `expected ${expected} at ${where}, found ${describe(found)}`, {
    file,
    pointer,
    ...(cause === undefined ? {} : { cause }),
  });
}
