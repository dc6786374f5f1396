import { randomBytes } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { onTestFinished } from "vitest";
import { testServer } from "../helpers.js";
import { S3_CREDENTIALS } from "../servers/s3.js";

// The server's S3 clients (the API's and every worker thread's) read the standard variables.
Object.assign(process.env, S3_CREDENTIALS);

/** A `--storage` URL for a fresh prefix of the test bucket, so tests never see each other's objects. */
export function freshStorage(endpoint = testServer("s3")): { url: string; prefix: string; endpoint: string } {
  const prefix = `t-${randomBytes(6).toString("hex")}`;
  return {
    url: `s3://cocokit/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    prefix,
    endpoint,
  };
}

function testClient(endpoint: string): S3Client {
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: {
      accessKeyId: S3_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  onTestFinished(() => client.destroy());
  return client;
}

/** The bytes of one object under a prefix of the test bucket. */
export async function objectBytes(endpoint: string, prefix: string, key: string): Promise<Buffer> {
  const object = await testClient(endpoint).send(
    new GetObjectCommand({ Bucket: "cocokit", Key: `${prefix}/${key}` }),
  );
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** Every key under a prefix of the test bucket, read with a client of the test's own. */
export async function keysUnder(endpoint: string, prefix: string): Promise<string[]> {
  const client = testClient(endpoint);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: "cocokit", Prefix: `${prefix}/` }));
  return (listed.Contents ?? []).map((object) => (object.Key as string).slice(prefix.length + 1)).sort();
}
