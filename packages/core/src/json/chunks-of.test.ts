import { describe, expect, it } from "vitest";
import { chunksOf } from "./chunks-of.js";

async function joined(chunks: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const c of chunks) out.push(...c);
  return out;
}

describe("chunksOf", () => {
  const bytes = new Uint8Array([1, 2, 3, 250]);
  const inputs: [string, () => Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>][] = [
    ["a Uint8Array", () => bytes],
    ["an ArrayBuffer", () => bytes.slice().buffer],
    ["a Blob", () => new Blob([bytes])],
    ["a ReadableStream", () => new Blob([bytes]).stream() as ReadableStream<Uint8Array>],
  ];
  for (const [name, make] of inputs) {
    it(`yields every byte of ${name}`, async () => {
      expect(await joined(chunksOf(make()))).toEqual([1, 2, 3, 250]);
    });
  }
});
