/** One top-level member of a JSON document to write: an array streamed record by record, or a value. */
export type DocumentMember =
  | { key: string; records: AsyncIterable<unknown> | Iterable<unknown> }
  | { key: string; value: unknown };

const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a JSON object as UTF-8 chunks of about 64 KB, stringifying one record at a time so a
 * document of any size never exists as one string. The inverse of `scanRecords`.
 * @example
 * for await (const chunk of writeDocument([{ key: "images", records: images }, { key: "info", value: info }])) out.write(chunk);
 */
export async function* writeDocument(
  members: AsyncIterable<DocumentMember> | Iterable<DocumentMember>,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let size = 0;
  const add = (text: string) => {
    pending.push(text);
    size += text.length;
  };
  const flush = () => {
    const chunk = encoder.encode(pending.join(""));
    pending = [];
    size = 0;
    return chunk;
  };
  add("{");
  let firstMember = true;
  for await (const member of members) {
    add(`${firstMember ? "" : ","}${JSON.stringify(member.key)}:`);
    firstMember = false;
    if ("records" in member) {
      add("[");
      let first = true;
      const records = member.records;
      if (Symbol.iterator in records) {
        // A synchronous source (the exporter's): no promise round trip per record.
        for (const record of records as Iterable<unknown>) {
          // undefined would make invalid JSON inside an array; JSON.stringify turns it into null too.
          add(`${first ? "" : ","}${JSON.stringify(record) ?? "null"}`);
          first = false;
          if (size >= CHUNK_BYTES) yield flush();
        }
      } else {
        for await (const record of records) {
          add(`${first ? "" : ","}${JSON.stringify(record) ?? "null"}`);
          first = false;
          if (size >= CHUNK_BYTES) yield flush();
        }
      }
      add("]");
    } else {
      add(JSON.stringify(member.value) ?? "null");
    }
    if (size >= CHUNK_BYTES) yield flush();
  }
  add("}");
  yield flush();
}
