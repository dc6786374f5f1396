import { describe, expect, it } from "vitest";
import { parseS3Url } from "../../src/storage/s3-url.js";

describe("parseS3Url", () => {
  it("reads the bucket, a prefix, the endpoint and the region", () => {
    expect(parseS3Url("s3://bucket?endpoint=http://127.0.0.1:9000&region=us-east-1")).toEqual({
      bucket: "bucket",
      prefix: "",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
    });
    expect(parseS3Url("s3://my.bucket/a/b/?endpoint=https%3A%2F%2Fs3.example.org")).toEqual({
      bucket: "my.bucket",
      prefix: "a/b/",
      endpoint: "https://s3.example.org",
    });
    expect(parseS3Url("s3://cocokit-data")).toEqual({ bucket: "cocokit-data", prefix: "" });
  });

  it("names what is wrong", () => {
    expect(() => parseS3Url("http://bucket")).toThrow(/expected an s3:\/\/bucket URL/);
    expect(() => parseS3Url("s3://Bad_Bucket")).toThrow(/bucket name .*found "Bad_Bucket"/);
    expect(() => parseS3Url("s3://ab")).toThrow(/bucket name of 3 to 63/);
    expect(() => parseS3Url("s3://bucket?endpoint=127.0.0.1:9000")).toThrow(
      /endpoint that is an http\(s\) URL/,
    );
    expect(() => parseS3Url("s3://bucket?endpiont=http://x")).toThrow(
      /only the parameters endpoint and region \(found "endpiont"\)/,
    );
  });
});
