import { JsonBytes } from "./json-bytes.js";

/** One top-level member of a JSON document to write: an array streamed record by record, or a value. */
export type DocumentMember =
  | { key: string; records: AsyncIterable<unknown> | Iterable<unknown> }
  | { key: string; value: unknown };

const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a JSON object as UTF-8 chunks of about 64 KB, one record at a time, so a document of any
 * size never exists as one string: the same text `JSON.stringify` gives (a `NumericRecord` is
 * written as its value). The inverse of `scanRecords`.
 * @example
 * for await (const chunk of writeDocument([{ key: "images", records: images }, { key: "info", value: info }])) out.write(chunk);
 */
export async function* writeDocument(
  members: AsyncIterable<DocumentMember> | Iterable<DocumentMember>,
): AsyncGenerator<Uint8Array> {
  const out = new JsonBytes();
  out.raw("{");
  let firstMember = true;
  for await (const member of members) {
    out.raw(`${firstMember ? "" : ","}${JSON.stringify(member.key)}:`);
    firstMember = false;
    if ("records" in member) {
      out.raw("[");
      let first = true;
      const records = member.records;
      if (Symbol.iterator in records) {
        // A synchronous source (the exporter's): no promise round trip per record.
        for (const record of records as Iterable<unknown>) {
          if (!first) out.raw(",");
          first = false;
          out.value(record);
          if (out.size >= CHUNK_BYTES) yield out.take();
        }
      } else {
        for await (const record of records) {
          if (!first) out.raw(",");
          first = false;
          out.value(record);
          if (out.size >= CHUNK_BYTES) yield out.take();
        }
      }
      out.raw("]");
    } else out.value(member.value);
    if (out.size >= CHUNK_BYTES) yield out.take();
  }
  out.raw("}");
  yield out.take();
}
