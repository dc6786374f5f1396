/**
 * A real S3-compatible server for tests: s3rver (from npm) on 127.0.0.1, files in a temp folder.
 * Path-style addressing; s3rver accepts any credentials, so tests use S3RVER / S3RVER.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { freePort } from "./free-port.js";

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A `--storage` URL for `bucket` on this server. */
  storageUrl(bucket: string): string;
  stop(): Promise<void>;
}

/** Credentials s3rver accepts; the server's S3 client reads them from the standard variables. */
export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

export async function startS3(buckets: string[] = ["cocokit"]): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), "cocokit-s3-"));
  const port = await freePort();
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    storageUrl: (bucket) => `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
