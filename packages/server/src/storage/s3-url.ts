/** Where an `s3://` storage URL points. */
export interface S3Location {
  bucket: string;
  /** Key prefix every object gets (`cocokit/` for `s3://bucket/cocokit`), "" for none; ends with `/`. */
  prefix: string;
  /** An S3-compatible server (`http://127.0.0.1:9000`); AWS's own when absent. */
  endpoint?: string;
  region?: string;
}

// S3's rules for bucket names (lowercase, digits, dots and hyphens, 3 to 63 long).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KNOWN = new Set(["endpoint", "region"]);

/**
 * Parses `s3://bucket[/prefix]?endpoint=…&region=…` once, at boot. Throws an error that names
 * the part that is wrong: a bad bucket name, an endpoint that is not an http(s) URL, an unknown
 * parameter (a typo must not silently fall back to AWS).
 */
export function parseS3Url(text: string): S3Location {
  const bad = (what: string) => new Error(`--storage: expected ${what}, found "${text}"`);
  if (!text.startsWith("s3://")) throw bad("an s3://bucket URL");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("a URL such as s3://bucket?endpoint=http://127.0.0.1:9000&region=us-east-1");
  }
  // The URL parser lowercases the host; S3 does not, so the name is read as written.
  const bucket = text.slice("s3://".length).split(/[/?#]/)[0] ?? "";
  if (!BUCKET.test(bucket))
    throw bad(`a bucket name of 3 to 63 lowercase letters, digits, dots or hyphens (found "${bucket}")`);
  for (const key of url.searchParams.keys())
    if (!KNOWN.has(key)) throw bad(`only the parameters endpoint and region (found "${key}")`);
  const endpoint = url.searchParams.get("endpoint") ?? undefined;
  if (endpoint !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:"))
      throw bad(`an endpoint that is an http(s) URL (found "${endpoint}")`);
  }
  const region = url.searchParams.get("region") || undefined;
  const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "");
  return {
    bucket,
    prefix: path ? `${path}/` : "",
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
  };
}
