/**
 * The wasm RICE_1 codec on its own: hand-made streams from the FITS standard's layout, round trips,
 * argument checks and the SKYSTACK_RICE_WASM switch. Its agreement with afw's TypeScript codec and
 * with fpack/funpack is tested in packages/afw/test/compress/rice-batch.test.ts.
 */
import { describe, expect, it } from "vitest";
import { KernelError, riceWasm, riceWasmUnavailableReason } from "../src/index.js";

const w = riceWasm();

it.skipIf(process.env.SKYSTACK_RICE_WASM === "0")("loads from build/kernels.wasm", () => {
  expect(riceWasmUnavailableReason()).toBeNull();
  expect(w).toBeDefined();
});

it("SKYSTACK_RICE_WASM=0 turns it off", () => {
  const old = process.env.SKYSTACK_RICE_WASM;
  process.env.SKYSTACK_RICE_WASM = "0";
  try {
    expect(riceWasm()).toBeUndefined();
  } finally {
    if (old === undefined) delete process.env.SKYSTACK_RICE_WASM;
    else process.env.SKYSTACK_RICE_WASM = old;
  }
  if (w) expect(riceWasm()).toBe(w);
});

describe.skipIf(!w)("hand-made streams", () => {
  const one = (n: number) => Int32Array.of(n, n, 0, n, 1, 0);

  it("a constant int16 tile: the first value raw, then a low-entropy block (FS code 0)", () => {
    const out = new Int16Array(5);
    expect(
      w!.decodeTiles({ tiles: [Uint8Array.of(0xff, 0xfd, 0x00)], place: one(5), rowStride: 5, out, bytepix: 2, blockSize: 32 }),
    ).toBeNull();
    expect(Array.from(out)).toEqual([-3, -3, -3, -3, -3]);
    const enc = w!.encodeTiles({
      src: Int16Array.of(-3, -3, -3, -3, -3),
      place: Int32Array.of(0, 5, 1),
      rowStride: 5,
      bytepix: 2,
      blockSize: 32,
    });
    expect(Array.from(enc.chunks[0]!)).toEqual([0xff, 0xfd, 0x00]);
    expect(Array.from(enc.lengths)).toEqual([3]);
  });

  it("uint16 output adds 32768 (FITS BZERO), uint8 keeps bytes", () => {
    const out = new Uint16Array(5);
    w!.decodeTiles({ tiles: [Uint8Array.of(0xff, 0xfd, 0x00)], place: one(5), rowStride: 5, out, bytepix: 2, blockSize: 32 });
    expect(Array.from(out)).toEqual([32765, 32765, 32765, 32765, 32765]);
    const enc = w!.encodeTiles({
      src: Uint16Array.of(32765, 32765),
      place: Int32Array.of(0, 2, 1),
      rowStride: 2,
      bytepix: 2,
      blockSize: 32,
    });
    expect(Array.from(enc.chunks[0]!)).toEqual([0xff, 0xfd, 0x00]);
  });

  it("a one-pixel int32 tile is the raw value plus one FS byte", () => {
    const out = new Int32Array(1);
    w!.decodeTiles({ tiles: [Uint8Array.of(1, 2, 3, 4, 0)], place: one(1), rowStride: 1, out, bytepix: 4, blockSize: 32 });
    expect(out[0]).toBe(0x01020304);
  });

  it("a high-entropy bytepix-1 block: FS code 7, then the mapped differences as raw bytes", () => {
    // values 10, 200, 3: differences 0 (the first pixel against itself), +190 -> -66 (mod 256),
    // -197 -> 59; zigzag 0, 131, 118. Bits: 111 (code 7), 00000000, 10000011, 01110110, padding
    const bytes = Uint8Array.of(10, 0b11100000, 0b00010000, 0b01101110, 0b11000000);
    const out = new Uint8Array(3);
    expect(w!.decodeTiles({ tiles: [bytes], place: one(3), rowStride: 3, out, bytepix: 1, blockSize: 16 })).toBeNull();
    expect(Array.from(out)).toEqual([10, 200, 3]);
    const enc = w!.encodeTiles({
      src: Uint8Array.of(10, 200, 3),
      place: Int32Array.of(0, 3, 1),
      rowStride: 3,
      bytepix: 1,
      blockSize: 16,
    });
    expect(Array.from(enc.chunks[0]!)).toEqual(Array.from(bytes));
  });

  it("reports TRUNCATED and CORRUPT tiles by index", () => {
    const good = Uint8Array.of(0xff, 0xfd, 0x00);
    const out = new Int32Array(15);
    const place = Int32Array.of(5, 5, 0, 5, 1, 0, 5, 5, 0, 5, 1, 5, 5, 5, 0, 5, 1, 10);
    expect(
      w!.decodeTiles({ tiles: [good, good.subarray(0, 2), good], place, rowStride: 5, out, bytepix: 2, blockSize: 32 }),
    ).toEqual({
      tile: 1,
      code: "TRUNCATED",
    });
    // bytepix 4: FS code 31 is above the maximum 26
    const corrupt = Uint8Array.of(0, 0, 0, 0, 0xf8, 0, 0, 0);
    expect(w!.decodeTiles({ tiles: [corrupt], place: one(4), rowStride: 4, out, bytepix: 4, blockSize: 32 })).toEqual({
      tile: 0,
      code: "CORRUPT",
    });
  });

  it("round-trips every source type through the stored integers", () => {
    const n = 1000;
    const ramp = (i: number) => Math.round(100 * Math.sin(i / 9) + ((i * 7919) % 31));
    const cases = [
      { src: Int32Array.from({ length: n }, (_, i) => ramp(i) * 100003), bytepix: 4 as const, out: new Int32Array(n) },
      { src: Int16Array.from({ length: n }, (_, i) => ramp(i)), bytepix: 2 as const, out: new Int16Array(n) },
      { src: Uint16Array.from({ length: n }, (_, i) => ramp(i) + 40000), bytepix: 2 as const, out: new Uint16Array(n) },
      { src: Uint8Array.from({ length: n }, (_, i) => ramp(i) & 255), bytepix: 1 as const, out: new Uint8Array(n) },
    ];
    for (const { src, bytepix, out } of cases) {
      // two tiles of 10 rows x 50 pixels out of a 100-wide image
      const enc = w!.encodeTiles({ src, place: Int32Array.of(0, 50, 10, 50, 50, 10), rowStride: 100, bytepix, blockSize: 32 });
      const all = new Uint8Array(enc.lengths[0]! + enc.lengths[1]!);
      let o = 0;
      for (const c of enc.chunks) {
        all.set(c, o);
        o += c.length;
      }
      const tiles = [all.subarray(0, enc.lengths[0]), all.subarray(enc.lengths[0])];
      const place = Int32Array.of(500, 50, 0, 50, 10, 0, 500, 50, 0, 50, 10, 50);
      expect(w!.decodeTiles({ tiles, place, rowStride: 100, out, bytepix, blockSize: 32 })).toBeNull();
      expect(Array.from(out)).toEqual(Array.from(src));
    }
  });

  it("rejects placements outside the output or the tile, and bad parameters", () => {
    const t = [Uint8Array.of(0xff, 0xfd, 0x00)];
    const out = new Int16Array(5);
    expect(() =>
      w!.decodeTiles({ tiles: t, place: Int32Array.of(5, 5, 0, 5, 1, 1), rowStride: 5, out, bytepix: 2, blockSize: 32 }),
    ).toThrow(KernelError);
    expect(() =>
      w!.decodeTiles({ tiles: t, place: Int32Array.of(5, 5, 1, 5, 1, 0), rowStride: 5, out, bytepix: 2, blockSize: 32 }),
    ).toThrow(KernelError);
    expect(() => w!.decodeTiles({ tiles: t, place: one(5), rowStride: 5, out, bytepix: 3 as 2, blockSize: 32 })).toThrow(
      /bytepix/,
    );
    expect(() => w!.decodeTiles({ tiles: t, place: one(5), rowStride: 5, out, bytepix: 2, blockSize: 0 })).toThrow(/blockSize/);
    expect(() =>
      w!.encodeTiles({ src: new Int16Array(5), place: Int32Array.of(0, 6, 1), rowStride: 5, bytepix: 2, blockSize: 32 }),
    ).toThrow(KernelError);
  });
});
