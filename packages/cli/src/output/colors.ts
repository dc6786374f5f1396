import { stderr } from "node:process";

/** Colour functions for one stream; plain text when NO_COLOR is set or the stream is not a TTY. */
export interface Colors {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
}

/** Colours for a stream, respecting NO_COLOR (https://no-color.org) and FORCE_COLOR. */
export function colorsFor(stream: { isTTY?: boolean } = stderr): Colors {
  const env = process.env;
  const set = (value: string | undefined) => value !== undefined && value !== "";
  const on = set(env.NO_COLOR)
    ? false
    : set(env.FORCE_COLOR) && env.FORCE_COLOR !== "0"
      ? true
      : stream.isTTY === true;
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    green: wrap(32, 39),
  };
}
