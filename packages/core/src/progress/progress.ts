import { CocokitError } from "../errors.js";

/**
 * The steps of an import or an export, in the order they usually run. `read` is bytes taken
 * from the input, `unzip` entries inflated, `parse` JSON bytes scanned, `media` image files
 * matched and their headers read, `validate` records checked, `build` model objects made,
 * `write` output bytes produced, `compress` zip entries deflated.
 */
export type ProgressPhase =
  | "read"
  | "unzip"
  | "parse"
  | "media"
  | "validate"
  | "build"
  | "write"
  | "compress";

/** What `done` and `total` count. */
export type ProgressUnit = "bytes" | "records" | "files" | "items";

/** One progress report: how far a phase has got. Plain data (it crosses `postMessage`). */
export interface ProgressEvent {
  phase: ProgressPhase;
  done: number;
  /** Known wherever it can be (a file's size, an archive's entry count, a dataset's items). */
  total?: number;
  unit: ProgressUnit;
  /** The file the phase is working on, when there is one. */
  file?: string;
}

/** Receives progress reports; called at most about ten times a second. */
export type ProgressListener = (event: ProgressEvent) => void;

/** What long operations accept: a progress listener and a signal that stops them. */
export interface ProgressOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

// 100 ms between events: at most ten a second, the rate a progress bar or a job row needs.
const MIN_INTERVAL_MS = 100;

/**
 * A throttled reporter for one operation. `report` drops events that come sooner than 100 ms
 * after the last one sent, except the first event of each phase and every event that
 * completes a phase (`done === total`), so a listener always sees a phase start and end.
 */
export class ProgressReporter {
  private lastSent = Number.NEGATIVE_INFINITY;
  private lastPhase: ProgressPhase | undefined;
  private readonly listener: ProgressListener | undefined;
  private readonly now: () => number;

  constructor(listener: ProgressListener | undefined, now: () => number = Date.now) {
    this.listener = listener;
    this.now = now;
  }

  /** True when someone listens: callers may skip computing an event otherwise. */
  get active(): boolean {
    return this.listener !== undefined;
  }

  report(event: ProgressEvent): void {
    if (!this.listener) return;
    const time = this.now();
    const phaseStart = event.phase !== this.lastPhase;
    const phaseEnd = event.total !== undefined && event.done >= event.total;
    if (!phaseStart && !phaseEnd && time - this.lastSent < MIN_INTERVAL_MS) return;
    this.lastSent = time;
    this.lastPhase = event.phase;
    this.listener(event);
  }
}

/**
 * Throws `CocokitError` `aborted` when the signal has fired. Long loops call it at least every
 * few milliseconds of work so that an abort takes effect within 100 ms.
 */
export function throwIfAborted(signal: AbortSignal | undefined, file?: string): void {
  if (signal?.aborted)
    throw new CocokitError("aborted", "expected the operation to run to the end, found it aborted", {
      ...(file === undefined ? {} : { file }),
      cause: signal.reason,
    });
}
