/**
 * The keys of the top-level object. JSON.parse would keep the last of two equal keys and silently
 * drop the first value; the reader instead reports a repeated (or forbidden) key as a record with
 * a problem at path [] and yields none of that value's records, so the first occurrence stands.
 */

import { CocokitError } from "../errors.js";
import { topLevelKeyProblem } from "./json-problem.js";
import { flagged, type ReadContext } from "./read-context.js";

/** The top-level keys seen by one read. */
export class TopLevelKeys {
  private readonly seen = new Map<string, number>(); // how often each was seen

  /**
   * Reads the key string gathered in `ctx.record` into `ctx.key`, sets `ctx.dropping` when its
   * value is not to be yielded and, if so, adds the record that says why.
   */
  read(ctx: ReadContext): void {
    const bytes = ctx.record.take();
    let key: string;
    try {
      key = JSON.parse(ctx.decoder.decode(bytes)) as string;
    } catch (cause) {
      // The decoder throws a TypeError for bytes that are not UTF-8; JSON.parse a SyntaxError.
      if (cause instanceof TypeError)
        throw new CocokitError(
          "invalid_encoding",
          `expected UTF-8 text in a top-level key near line ${ctx.line}, found invalid byte sequences`,
          { ...ctx.file, pointer: "", cause },
        );
      throw new CocokitError(
        "malformed_json",
        `expected a valid top-level key string near line ${ctx.line}`,
        {
          ...ctx.file,
          cause,
        },
      );
    }
    ctx.key = key;
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    const problem = topLevelKeyProblem(key, count);
    ctx.dropping = problem !== undefined;
    if (problem) {
      ctx.records++;
      ctx.batch.push(flagged(key, -1, [problem]));
    }
  }
}
