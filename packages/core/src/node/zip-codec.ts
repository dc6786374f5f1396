import { Duplex } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { useNativeCrc32 } from "../zip/crc32.js";

// Deflate is the slowest step of writing a zip (level 6 runs at ~30 MB/s per core: 17 s of a W1
// convert), and one zlib stream uses one core. Cutting the input into fixed blocks and deflating
// several at once on libuv's thread pool, each primed with the 32 KiB before it as its
// dictionary, gives one valid deflate stream (pigz's method) within 0.1% of one stream's size.

/** Input bytes per block: big enough that a block's flush marker and table costs are noise. */
export const BLOCK_SIZE = 1 << 20;
// Deflate's window: the most a back-reference can reach, so the dictionary a block needs.
const WINDOW = 32 * 1024;
// libuv's thread pool runs this many jobs at once (4 unless UV_THREADPOOL_SIZE says otherwise):
// with fewer blocks in flight the producer waits on the oldest while a core idles.
const DEFAULT_PARALLELISM = Number(process.env.UV_THREADPOOL_SIZE) || 4;
// zlib's own output buffer is 16 KB: a main-thread callback per 16 KB costs more than the work is
// worth (2 s of a W1 read), where 256 KB chunks cost a sixteenth of it.
const OUTPUT_CHUNK = 256 * 1024;
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff);

const deflateRaw = promisify(zlib.deflateRaw) as (
  input: Uint8Array,
  options: zlib.ZlibOptions,
) => Promise<Buffer>;

/** Options of {@link NodeCompressionStream}. */
export interface NodeCompressionOptions {
  /** zlib level, 0–9 (default 6, zip's and gzip's default). */
  level?: number;
  /** Blocks deflated at once (default: libuv's thread pool size, 4 unless `UV_THREADPOOL_SIZE`). */
  parallelism?: number;
}

/**
 * zip.js's compression stream on Node's zlib: a `CompressionStream` look-alike (`deflate-raw`,
 * or `gzip`, which zip.js asks for at level 6 to read the CRC-32 from the trailer) that deflates
 * blocks in parallel on the thread pool, beside the JavaScript producing the entry, and emits
 * them in order. The output depends on the input bytes only, never on how they were chunked or
 * how the threads were scheduled. Memory: `parallelism` blocks of 1 MiB in flight.
 */
export class NodeCompressionStream {
  static readonly supportedFormats = ["deflate-raw", "gzip"];
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  constructor(format: string, options: NodeCompressionOptions = {}) {
    if (format !== "gzip" && format !== "deflate-raw") throw new TypeError(`unsupported format ${format}`);
    const gzip = format === "gzip";
    const level = options.level ?? 6;
    const parallelism = Math.max(1, options.parallelism ?? DEFAULT_PARALLELISM);
    const inFlight: Promise<Buffer>[] = [];
    let block = Buffer.allocUnsafe(BLOCK_SIZE);
    let filled = 0;
    let previous: Buffer | undefined;
    let crc = 0;
    let size = 0;

    const dispatch = (last: boolean) => {
      const input = block.subarray(0, filled);
      const settings: zlib.ZlibOptions = {
        level,
        // zlib's default 16 KB output buffer would cost a main-thread callback per 16 KB.
        chunkSize: OUTPUT_CHUNK,
        // Every block but the last ends on a byte boundary without the final-block bit, so the
        // blocks concatenate into one stream.
        finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      };
      if (previous !== undefined) settings.dictionary = previous.subarray(previous.length - WINDOW);
      const deflated = deflateRaw(input, settings);
      // Awaited in order later; a stream cancelled meanwhile must not leave an unhandled rejection.
      deflated.catch(() => {});
      inFlight.push(deflated);
      previous = input;
      block = Buffer.allocUnsafe(BLOCK_SIZE);
      filled = 0;
    };

    const transform = new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (gzip) controller.enqueue(GZIP_HEADER.slice());
      },
      async transform(chunk, controller) {
        if (gzip) {
          crc = zlib.crc32(chunk, crc);
          size += chunk.length;
        }
        let offset = 0;
        while (offset < chunk.length) {
          const taken = Math.min(BLOCK_SIZE - filled, chunk.length - offset);
          block.set(chunk.subarray(offset, offset + taken), filled);
          filled += taken;
          offset += taken;
          if (filled < BLOCK_SIZE) break;
          dispatch(false);
          while (inFlight.length >= parallelism)
            controller.enqueue(await (inFlight.shift() as Promise<Buffer>));
        }
      },
      async flush(controller) {
        dispatch(true);
        for (const pending of inFlight.splice(0)) controller.enqueue(await pending);
        if (gzip) {
          const trailer = new Uint8Array(8);
          const view = new DataView(trailer.buffer);
          view.setUint32(0, crc >>> 0, true);
          view.setUint32(4, size >>> 0, true);
          controller.enqueue(trailer);
        }
      },
    });
    this.readable = transform.readable;
    this.writable = transform.writable;
  }
}

/**
 * zip.js's decompression stream on Node's zlib (`deflate-raw`): inflates on the thread pool and
 * hands over 256 KB chunks, where Node's web `DecompressionStream` hands over 16 KB ones.
 */
export class NodeDecompressionStream {
  static readonly supportedFormats = ["deflate-raw"];
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  constructor(format: string) {
    if (format !== "deflate-raw") throw new TypeError(`unsupported format ${format}`);
    const pair = Duplex.toWeb(zlib.createInflateRaw({ chunkSize: OUTPUT_CHUNK }));
    this.readable = pair.readable as ReadableStream<Uint8Array>;
    this.writable = pair.writable as WritableStream<Uint8Array>;
  }
}

/**
 * Makes every zip this process writes (`writeZip`, `exportArchive`, `recordsZip`) deflate with
 * Node's zlib in parallel blocks (see {@link NodeCompressionStream}) instead of the web
 * `CompressionStream`, one zlib stream on one core, and every large zip it reads inflate in
 * 256 KB chunks ({@link NodeDecompressionStream}), and check entries' CRC-32 with zlib's `crc32`
 * (Node 20.15+) instead of a JavaScript loop on the main thread. zip.js's configuration is global, so once is
 * enough; `exportToPath` calls it itself. Same entries, CRC-32 and ZIP64 handling; the deflated
 * bytes differ from one stream's (every 1 MiB block ends with a flush marker).
 * @example
 * await useNodeZlib();
 * for await (const chunk of recordsZip(records)) out.write(chunk);
 */
export async function useNodeZlib(): Promise<void> {
  const { configure } = await import("@zip.js/zip.js");
  // zlib.crc32 came in Node 20.15 / 22.2: older Nodes keep the JavaScript loop.
  if (typeof zlib.crc32 === "function") useNativeCrc32(zlib.crc32);
  configure({
    CompressionStream: NodeCompressionStream as never,
    CompressionStreamFallback: NodeCompressionStream as never,
    DecompressionStream: NodeDecompressionStream as never,
    DecompressionStreamFallback: NodeDecompressionStream as never,
  });
}
