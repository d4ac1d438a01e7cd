/**
 * Property tests: round trips of every encoder through its decoder, and fuzzing of every decoder
 * with random and corrupted input (it must decode or throw CodecError — never hang, never throw
 * RangeError/TypeError, never write past npix).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hcompressInternals } from "../../src/fits/compress/hcompress.js";
import {
  CodecError,
  dequantizeTile,
  gzip2Shuffle,
  gzip2Unshuffle,
  hcompressDecode,
  hcompressEncode,
  plioDecode,
  plioEncode,
  quantizeTile,
  riceDecode,
  riceEncode,
} from "../../src/fits/compress/index.js";

const RANGE = { 1: [0, 255], 2: [-32768, 32767], 4: [-2147483648, 2147483647] } as const;

/** Tiles of n values in [lo, hi]: noise around a level, runs of constants, or uniform values. */
function tileArb(lo: number, hi: number, maxLen: number): fc.Arbitrary<Int32Array> {
  const clampTo = (v: number) => Math.min(hi, Math.max(lo, v));
  const noise = fc
    .tuple(
      fc.integer({ min: lo, max: hi }),
      fc.integer({ min: 0, max: 20 }),
      fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: maxLen }),
    )
    .map(([base, bitsOfNoise, r]) => Int32Array.from(r, (x) => clampTo(base + Math.round((x * 2 ** bitsOfNoise) / 1000))));
  const runs = fc
    .array(fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: 1, max: 80 })), { minLength: 1, maxLength: 12 })
    .map((rs) => Int32Array.from(rs.flatMap(([v, k]) => Array<number>(k).fill(v))).slice(0, maxLen));
  const uniform = fc.array(fc.integer({ min: lo, max: hi }), { minLength: 1, maxLength: maxLen }).map((a) => Int32Array.from(a));
  return fc.oneof(noise, runs, uniform);
}

/** Call a decoder; only a CodecError may escape. */
function decodesOrThrowsCodecError(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
}

/** Random corruption of a valid stream: truncate, flip bytes, or append garbage. */
const corruptArb = fc.tuple(
  fc.constantFrom("truncate", "flip", "append", "zero"),
  fc.nat(),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
);
function corrupt(bytes: Uint8Array, [kind, cut, flips]: [string, number, [number, number][]]): Uint8Array {
  if (bytes.length === 0) return bytes;
  if (kind === "truncate") return bytes.slice(0, cut % bytes.length);
  const b = bytes.slice();
  if (kind === "append") return Uint8Array.from([...b, ...flips.map(([, v]) => v)]);
  for (const [pos, x] of flips) b[pos % b.length] = kind === "zero" ? 0 : b[pos % b.length]! ^ x;
  return b;
}

describe("RICE_1 properties", () => {
  it("decode(encode(x)) = x for every bytepix, block size and tile length", () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(1, 2, 4)
          .chain((bp) =>
            fc.tuple(
              fc.constant(bp as 1 | 2 | 4),
              fc.constantFrom(16, 32, 1, 7, 64),
              tileArb(RANGE[bp as 1 | 2 | 4][0], RANGE[bp as 1 | 2 | 4][1], 700),
            ),
          ),
        ([bytepix, blockSize, values]) => {
          const n = values.length;
          const enc = riceEncode(values, n, bytepix, blockSize);
          const out = new Int32Array(n + 2).fill(7);
          riceDecode(enc, out, n, bytepix, blockSize);
          expect(Array.from(out.subarray(0, n))).toEqual(Array.from(values));
          expect([out[n], out[n + 1]]).toEqual([7, 7]);
          // never longer than raw pixels plus an FS code per block (+ rounding)
          expect(enc.length).toBeLessThanOrEqual(bytepix + Math.ceil((n * (8 * bytepix + 4) + 5 * Math.ceil(n / blockSize)) / 8));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("random and corrupted streams decode or throw CodecError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4),
        fc.constantFrom(16, 32, 3),
        fc.integer({ min: 1, max: 3000 }),
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        (bytepix, blockSize, npix, bytes) => {
          const out = new Int32Array(npix + 1).fill(-9);
          decodesOrThrowsCodecError(() => riceDecode(bytes, out, npix, bytepix as 1 | 2 | 4, blockSize));
          expect(out[npix]).toBe(-9);
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(
        fc
          .constantFrom(1, 2, 4)
          .chain((bp) =>
            fc.tuple(fc.constant(bp as 1 | 2 | 4), tileArb(RANGE[bp as 1 | 2 | 4][0], RANGE[bp as 1 | 2 | 4][1], 500)),
          ),
        corruptArb,
        ([bytepix, values], how) => {
          const bad = corrupt(riceEncode(values, values.length, bytepix, 32), how);
          const out = new Int32Array(values.length + 1).fill(-9);
          decodesOrThrowsCodecError(() => riceDecode(bad, out, values.length, bytepix, 32));
          expect(out[values.length]).toBe(-9);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("PLIO_1 properties", () => {
  it("decode(encode(x)) = x for values in 0..2^24-1, including runs longer than 4095", () => {
    const runs = fc
      .array(
        fc.tuple(
          fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 16777215 })),
          fc.oneof(
            fc.integer({ min: 1, max: 5 }),
            fc.integer({ min: 1, max: 300 }),
            fc.constantFrom(4094, 4095, 4096, 8190, 8191),
          ),
        ),
        { minLength: 1, maxLength: 20 },
      )
      .map((rs) => Int32Array.from(rs.flatMap(([v, k]) => Array<number>(k).fill(v))));
    fc.assert(
      fc.property(runs, (values) => {
        const n = values.length;
        const words = plioEncode(values, n);
        expect(words.length).toBeLessThanOrEqual(7 + 3 * n);
        const out = new Int32Array(n + 1).fill(-5);
        plioDecode(words, out, n);
        expect(Array.from(out.subarray(0, n))).toEqual(Array.from(values));
        expect(out[n]).toBe(-5);
      }),
      { numRuns: 300 },
    );
  });

  it("random line lists decode or throw CodecError", () => {
    fc.assert(
      fc.property(
        fc.int16Array({ minLength: 0, maxLength: 200 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        (w, npix, header) => {
          const words = header ? Int16Array.from([0, 7, -100, Math.min(w.length + 7, 32767), 0, 0, 0, ...w]) : w;
          const out = new Int32Array(npix + 1).fill(-5);
          decodesOrThrowsCodecError(() => plioDecode(words, out, npix));
          expect(out[npix]).toBe(-5);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("HCOMPRESS_1 properties", () => {
  it("decode(encode(x, scale 0)) = x for any size and int32 values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...(Object.values(RANGE) as unknown as [number, number][])),
        fc.infiniteStream(fc.integer({ min: -3, max: 3 })),
        fc.nat(),
        (nx, ny, [lo, hi], jitter, seed) => {
          const n = nx * ny;
          const it = jitter[Symbol.iterator]();
          const base = lo + (seed % (hi - lo + 1));
          const values = Int32Array.from({ length: n }, (_, i) =>
            i % 11 === 5
              ? lo + ((seed * (i + 1) * 2654435761) % (hi - lo + 1))
              : Math.min(hi, Math.max(lo, base + it.next().value * (1 + (seed % 97)))),
          );
          const d = hcompressDecode(hcompressEncode(values, nx, ny, 0), false, { nx, ny });
          expect(Array.from(d.values)).toEqual(Array.from(values));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("lossy streams decode within the scale of the input and smoothing keeps the size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 30 }),
        fc.integer({ min: 4, max: 30 }),
        fc.integer({ min: 2, max: 40 }),
        (nx, ny, scale) => {
          const values = Int32Array.from({ length: nx * ny }, (_, i) => 1000 + ((i * 7919) % 23) + (i % nx));
          const enc = hcompressEncode(values, nx, ny, scale);
          for (const smooth of [false, true]) {
            const d = hcompressDecode(enc, smooth, { nx, ny });
            expect(d.scale).toBe(scale);
            let maxErr = 0;
            for (let i = 0; i < values.length; i++) maxErr = Math.max(maxErr, Math.abs(d.values[i]! - values[i]!));
            expect(maxErr).toBeLessThanOrEqual(4 * scale);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("the int32 and float64 inverse transforms give the same pixels, with and without smoothing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(0, 1, 2, 7, 64),
        fc.integer({ min: -30000, max: 30000 }),
        fc.nat(),
        (nx, ny, scale, base, seed) => {
          const values = Int32Array.from({ length: nx * ny }, (_, i) => base + (((seed + i * 2654435761) >>> 0) % 401) - 200);
          const enc = hcompressEncode(values, nx, ny, scale);
          for (const smooth of [false, true]) {
            const fast = hcompressDecode(enc, smooth).values;
            hcompressInternals.forceFloat64 = true;
            try {
              const exact = hcompressDecode(enc, smooth).values;
              expect(Array.from(fast)).toEqual(Array.from(exact));
            } finally {
              hcompressInternals.forceFloat64 = false;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("corrupted streams decode or throw CodecError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), fc.nat(), corruptArb, (nx, ny, seed, how) => {
        const values = Int32Array.from({ length: nx * ny }, (_, i) => ((seed + i * 40503) % 2001) - 1000);
        const bad = corrupt(hcompressEncode(values, nx, ny, seed % 3 === 0 ? 4 : 0), how);
        decodesOrThrowsCodecError(() => hcompressDecode(bad, seed % 2 === 0, { nx, ny }));
        // header fields corrupted too: without an expected size the decoder still stays bounded
        decodesOrThrowsCodecError(() => hcompressDecode(bad, false));
      }),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        (nx, ny, body) => {
          const head = new Uint8Array(25);
          const dv = new DataView(head.buffer);
          head[0] = 0xdd;
          head[1] = 0x99;
          dv.setInt32(2, ny);
          dv.setInt32(6, nx);
          dv.setInt32(10, body[0] ?? 0);
          dv.setInt32(18, body[1] ?? 0);
          head[22] = (body[2] ?? 0) % 60;
          head[23] = (body[3] ?? 0) % 60;
          head[24] = (body[4] ?? 0) % 60;
          decodesOrThrowsCodecError(() => hcompressDecode(Uint8Array.from([...head, ...body]), true, { nx, ny }));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe("GZIP_2 and quantization properties", () => {
  it("unshuffle(shuffle(b)) = b; bad lengths throw CodecError", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4, 8), fc.uint8Array({ maxLength: 200 }), (bytepix, b) => {
        const whole = b.subarray(0, b.length - (b.length % bytepix));
        expect(Array.from(gzip2Unshuffle(gzip2Shuffle(whole, bytepix), bytepix))).toEqual(Array.from(whole));
        decodesOrThrowsCodecError(() => gzip2Unshuffle(b, bytepix));
      }),
      { numRuns: 300 },
    );
  });

  it("dequantize(quantize(x)) is within one step of x (dithered) and NaN stays NaN", () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 2, maxLength: 300, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.constantFrom("NO_DITHER", "SUBTRACTIVE_DITHER_1", "SUBTRACTIVE_DITHER_2"),
        fc.constantFrom(4, 1, -0.5, -3),
        fc.integer({ min: 0, max: 20000 }),
        fc.integer({ min: 1, max: 10000 }),
        (x, method, level, tileIndex, ditherSeed) => {
          const n = x.length;
          const q = quantizeTile(x, n, { level, method, tileIndex, ditherSeed });
          if (q === null) return; // cfitsio would store this tile losslessly
          const out = new Float32Array(n);
          dequantizeTile(q.ints, n, out, {
            zscale: q.zscale,
            zzero: q.zzero,
            method,
            tileIndex,
            ditherSeed,
            nullValue: -2147483647,
          });
          for (let i = 0; i < n; i++) {
            const v = x[i]!;
            if (Number.isNaN(v)) expect(out[i]).toBeNaN();
            else if (method === "SUBTRACTIVE_DITHER_2" && v === 0) expect(out[i]).toBe(0);
            else expect(Math.abs(out[i]! - v)).toBeLessThanOrEqual(q.zscale * 1.0001 + Math.abs(v) * 1e-6);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
