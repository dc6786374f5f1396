// The zip library is cocokit's choice, not the caller's: jszip reads small, plain archives in
// memory, zip.js reads Blobs (by range) and everything jszip is not trusted with. Tests reach
// both by handing the same archive over as bytes and as a Blob.

/** How an archive is handed to the readers. */
export type ZipInputKind = "bytes" | "blob";

/** Both kinds: `bytes` (jszip when the archive is small and plain, else zip.js) and `blob` (zip.js). */
export const ZIP_INPUTS: readonly ZipInputKind[] = ["bytes", "blob"];

/** The archive as the given kind of input. */
export function zipInput(bytes: Uint8Array, kind: ZipInputKind): Uint8Array | Blob {
  return kind === "bytes" ? bytes : new Blob([bytes as BlobPart]);
}
