import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CodecError, gzip2Shuffle, gzip2Unshuffle } from "../../src/fits/compress/index.js";
import { caseEntry, cutTile, readFloat32, readInt32, tileBytes, tileRegion } from "./fixtures.js";

/** Big-endian bytes of a tile's reference pixels at the stored width. */
function beBytes(px: Int32Array | Float32Array, bytepix: number): Uint8Array {
  const out = new Uint8Array(px.length * bytepix);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < px.length; i++) {
    if (px instanceof Float32Array) dv.setFloat32(4 * i, px[i]!);
    else if (bytepix === 2) dv.setInt16(2 * i, px[i]!);
    else dv.setInt32(4 * i, px[i]!);
  }
  return out;
}

describe("GZIP_2 byte shuffling against fpack fixtures", () => {
  for (const [name, bytepix] of [
    ["gzip2_i16", 2],
    ["gzip2_i32", 4],
    ["gzip2_f32", 4],
  ] as const) {
    const c = caseEntry(name);
    const isFloat = c.pixelsType === "float32";
    const img = isFloat ? readFloat32(c.pixelsFile) : readInt32(c.pixelsFile);
    const width = c.shape![1];

    it(`${name}: gunzip + unshuffle gives the big-endian pixels; shuffle gives the gunzipped bytes (${c.tool})`, () => {
      expect(c.keywords.ZCMPTYPE).toBe("GZIP_2");
      for (const t of c.tiles) {
        const r = tileRegion(c, t.index);
        const inflated = new Uint8Array(gunzipSync(tileBytes(c, t)));
        const expected = beBytes(cutTile(img, width, r), bytepix);
        expect(inflated.length).toBe(expected.length);
        expect(Buffer.from(gzip2Unshuffle(inflated, bytepix)).equals(Buffer.from(expected)), `tile ${t.index}`).toBe(true);
        expect(Buffer.from(gzip2Shuffle(expected, bytepix)).equals(Buffer.from(inflated)), `tile ${t.index}`).toBe(true);
      }
    });
  }
});

describe("GZIP_2 byte shuffling", () => {
  it("groups bytes into planes, most significant first", () => {
    const be = Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c);
    expect(Array.from(gzip2Shuffle(be, 2))).toEqual([1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10, 12]);
    expect(Array.from(gzip2Shuffle(be, 4))).toEqual([1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12]);
    expect(Array.from(gzip2Unshuffle(gzip2Shuffle(be, 4), 4))).toEqual(Array.from(be));
    expect(Array.from(gzip2Shuffle(be, 1))).toEqual(Array.from(be));
  });

  it("rejects a length that is not a whole number of pixels", () => {
    expect(() => gzip2Unshuffle(new Uint8Array(7), 2)).toThrow(CodecError);
    expect(() => gzip2Shuffle(new Uint8Array(8), 0)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
  });
});
