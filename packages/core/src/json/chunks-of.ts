const SLICE_BYTES = 1 << 20;

/**
 * Turns bytes, a Blob or a byte stream into the chunk iterable `scanRecords` reads (browser-safe).
 * In-memory bytes are cut into 1 MB views so progress and abort checks still happen per chunk.
 * @example
 * for await (const record of scanRecords(chunksOf(file), { totalBytes: file.size })) handle(record);
 */
export async function* chunksOf(
  input: Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    for (let i = 0; i < bytes.length; i += SLICE_BYTES) yield bytes.subarray(i, i + SLICE_BYTES);
    return;
  }
  const stream = input instanceof Blob ? (input.stream() as ReadableStream<Uint8Array>) : input;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
