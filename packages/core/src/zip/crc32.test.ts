import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, hex32 } from "./crc32.js";

describe("crc32", () => {
  it("gives the check value of the zip polynomial for '123456789'", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("matches zlib on any bytes, and continues across any split into chunks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % bytes.length;
        const whole = crc32(bytes);
        expect(whole).toBe(zlibCrc32(bytes));
        expect(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at)))).toBe(whole);
      }),
    );
  });
});

describe("hex32", () => {
  it("prints eight hex digits, zero-padded, for any 32-bit value", () => {
    expect(hex32(0x4d2)).toBe("0x000004d2");
    expect(hex32(0xffffffff)).toBe("0xffffffff");
  });
});
