import { Duplex } from "node:stream";
import zlib from "node:zlib";

// zlib's own output buffer is 16 KB: a callback per 16 KB costs the main thread more than the
// deflate's result is worth; zip.js hands over 256 KB chunks anyway.
const CHUNK_SIZE = 256 * 1024;

/**
 * zip.js's compression stream on Node's zlib, whose deflate runs on the libuv thread pool: beside
 * the JavaScript that produces an entry, not on its thread. `gzip` is what zip.js asks for at
 * level 6 (it reads the CRC-32 from the trailer), `deflate-raw` at other levels.
 */
export class NodeCompressionStream {
  static readonly supportedFormats = ["deflate-raw", "gzip"];
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  constructor(format: string, options: { level?: number } = {}) {
    const opts = { level: options.level ?? 6, chunkSize: CHUNK_SIZE };
    if (format !== "gzip" && format !== "deflate-raw") throw new TypeError(`unsupported format ${format}`);
    const pair = Duplex.toWeb(format === "gzip" ? zlib.createGzip(opts) : zlib.createDeflateRaw(opts));
    this.readable = pair.readable as ReadableStream<Uint8Array>;
    this.writable = pair.writable as WritableStream<Uint8Array>;
  }
}

/**
 * Makes every zip this process writes (`writeZip`, `exportArchive`, `recordsZip`) deflate with
 * Node's zlib (see {@link NodeCompressionStream}) instead of the web `CompressionStream`, which
 * Node builds on zlib with 16 KB buffers. zip.js's configuration is global, so once is enough;
 * `exportToPath` calls it itself. Same archive bytes, same CRC-32 and ZIP64 handling.
 * @example
 * await useNodeZlib();
 * for await (const chunk of recordsZip(records)) out.write(chunk);
 */
export async function useNodeZlib(): Promise<void> {
  const { configure } = await import("@zip.js/zip.js");
  configure({
    CompressionStream: NodeCompressionStream as never,
    CompressionStreamFallback: NodeCompressionStream as never,
  });
}
