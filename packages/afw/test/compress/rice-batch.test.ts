/**
 * The batched RICE_1 codec (WebAssembly, @skystack/kernels) against the TypeScript codec and the
 * fpack/astropy fixtures: same pixels, same bytes, same errors on corrupt and truncated tiles, no
 * write outside the call's buffers in wasm memory. Then the tiled reader and writer with the wasm
 * codec against themselves with SKYSTACK_RICE_WASM=0 (the TypeScript path).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { riceWasm } from "@skystack/kernels";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { CodecError, riceDecode, riceDecodeTiles, riceEncode, riceEncodeTiles } from "../../src/fits/compress/index.js";
import { FitsFile, FitsWriter } from "../../src/index.js";
import { caseEntry, cutTile, manifest, readInt32, tileBytes, tileRegion } from "./fixtures.js";

const wasm = riceWasm();

it.skipIf(process.env.SKYSTACK_RICE_WASM === "0")(
  "the wasm RICE codec is built and loads (npm run build:wasm -w @skystack/kernels)",
  () => {
    expect(wasm).toBeDefined();
  },
);

const RANGE = { 1: [0, 255], 2: [-32768, 32767], 4: [-2147483648, 2147483647] } as const;

/** Noisy tiles with occasional outliers, constant runs and raw values (all three block kinds). */
function tileArb(bytepix: 1 | 2 | 4, maxLen: number): fc.Arbitrary<Int32Array> {
  const [lo, hi] = RANGE[bytepix];
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  return fc
    .tuple(
      fc.integer({ min: lo, max: hi }),
      fc.integer({ min: 0, max: 8 * bytepix }),
      fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.nat(99)), { minLength: 1, maxLength: maxLen }),
    )
    .map(([base, bitsOfNoise, r]) => {
      let v = base;
      return Int32Array.from(r, ([x, kind]) => {
        if (kind < 3) return lo + Math.floor(((x + 1) / 2) * (hi - lo)); // raw outlier
        if (kind < 20) return v; // runs
        v = clamp(Math.round(v + x * 2 ** bitsOfNoise));
        return v;
      });
    });
}

const paramsArb = fc.record({
  bytepix: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
  blockSize: fc.constantFrom(32, 16, 1, 7, 64),
});

/** Runs riceDecode; returns the values or the CodecError code. */
function tsDecode(bytes: Uint8Array, npix: number, bytepix: 1 | 2 | 4, blockSize: number): Int32Array | string {
  const out = new Int32Array(npix);
  try {
    riceDecode(bytes, out, npix, bytepix, blockSize);
    return out;
  } catch (e) {
    if (e instanceof CodecError) return e.code;
    throw e;
  }
}

function rowPlacement(npix: number[]): Int32Array {
  const place = new Int32Array(6 * npix.length);
  let off = 0;
  npix.forEach((n, k) => {
    place.set([n, n, 0, n, 1, off], 6 * k);
    off += n;
  });
  return place;
}

describe.skipIf(!wasm)("wasm RICE_1 against the fpack/astropy fixtures", () => {
  const cases = Object.entries(manifest.cases)
    .filter(([, c]) => String(c.keywords.ZCMPTYPE).startsWith("RICE") && c.pixelsType === "int32" && c.shape !== undefined)
    .map(([name]) => name);

  for (const name of cases) {
    const c = caseEntry(name);
    const bytepix = Number(c.keywords.ZVAL2 ?? 4) as 1 | 2 | 4;
    const blockSize = Number(c.keywords.ZVAL1 ?? 32);
    const img = readInt32(c.pixelsFile);
    const orig = readInt32(`${c.image}.orig.bin`);
    const [height, width] = c.shape!;
    const regions = c.tiles.map((t) => tileRegion(c, t.index));
    const place = new Int32Array(6 * regions.length);
    regions.forEach((r, k) => {
      place.set([r.nx * r.ny, r.nx, 0, r.nx, r.ny, r.y0 * width + r.x0], 6 * k);
    });

    it(`${name}: decodes the whole image in one call, into every output type`, () => {
      const tiles = c.tiles.map((t) => tileBytes(c, t));
      const out = new Int32Array(width * height);
      expect(riceDecodeTiles(tiles, place, width, out, bytepix, blockSize, "wasm")).toBeNull();
      expect(Array.from(out)).toEqual(Array.from(img));
      const ts = new Int32Array(width * height);
      expect(riceDecodeTiles(tiles, place, width, ts, bytepix, blockSize, "ts")).toBeNull();
      expect(Array.from(ts)).toEqual(Array.from(img));
      if (bytepix === 2) {
        const u16 = new Uint16Array(width * height);
        riceDecodeTiles(tiles, place, width, u16, bytepix, blockSize, "wasm");
        expect(Array.from(u16)).toEqual(Array.from(img, (v) => v + 32768));
        const i16 = new Int16Array(width * height);
        riceDecodeTiles(tiles, place, width, i16, bytepix, blockSize, "wasm");
        expect(Array.from(i16)).toEqual(Array.from(img));
      }
      if (bytepix === 1) {
        const u8 = new Uint8Array(width * height);
        riceDecodeTiles(tiles, place, width, u8, bytepix, blockSize, "wasm");
        expect(Array.from(u8)).toEqual(Array.from(img));
      }
    });

    it(`${name}: encodes the tiles to the stored bytes (${c.tool})`, () => {
      const encPlace = new Int32Array(3 * regions.length);
      regions.forEach((r, k) => {
        encPlace.set([r.y0 * width + r.x0, r.nx, r.ny], 3 * k);
      });
      const src = bytepix === 1 ? Uint8Array.from(orig) : bytepix === 2 ? Int16Array.from(orig) : orig;
      const enc = riceEncodeTiles(src, encPlace, width, bytepix, blockSize, "wasm");
      const all = Buffer.concat(enc.chunks);
      let off = 0;
      c.tiles.forEach((t, k) => {
        const want = tileBytes(c, t);
        expect(enc.lengths[k], `tile ${t.index}`).toBe(want.length);
        expect(all.subarray(off, off + want.length).toString("hex"), `tile ${t.index}`).toBe(Buffer.from(want).toString("hex"));
        expect(
          Buffer.from(
            riceEncode(
              cutTile(orig, width, regions[k]!),
              want.length > 0 ? regions[k]!.nx * regions[k]!.ny : 0,
              bytepix,
              blockSize,
            ),
          ).toString("hex"),
        ).toBe(Buffer.from(want).toString("hex"));
        off += want.length;
      });
    });
  }
});

describe.skipIf(!wasm)("wasm RICE_1 against the TypeScript codec (property)", () => {
  it("encodes every tile to the same bytes, and decodes them back", () => {
    fc.assert(
      fc.property(
        paramsArb.chain((p) => fc.tuple(fc.constant(p), fc.array(tileArb(p.bytepix, 700), { minLength: 1, maxLength: 5 }))),
        ([{ bytepix, blockSize }, tiles]) => {
          // tiles side by side as rows of one image (each row its own length via the placement)
          const npix = tiles.map((t) => t.length);
          const flat = new Int32Array(npix.reduce((a, b) => a + b, 0));
          const encPlace = new Int32Array(3 * tiles.length);
          let off = 0;
          tiles.forEach((t, k) => {
            flat.set(t, off);
            encPlace.set([off, t.length, 1], 3 * k);
            off += t.length;
          });
          const src = bytepix === 1 ? Uint8Array.from(flat) : bytepix === 2 ? Int16Array.from(flat) : flat;
          const enc = riceEncodeTiles(src, encPlace, 0, bytepix, blockSize, "wasm");
          const all = Buffer.concat(enc.chunks);
          const bytes: Uint8Array[] = [];
          let b = 0;
          tiles.forEach((t, k) => {
            const want = riceEncode(t, t.length, bytepix, blockSize);
            expect(enc.lengths[k]).toBe(want.length);
            bytes.push(all.subarray(b, b + want.length));
            expect(Buffer.from(bytes[k]!).equals(Buffer.from(want))).toBe(true);
            b += want.length;
          });
          const out = new Int32Array(flat.length);
          expect(riceDecodeTiles(bytes, rowPlacement(npix), 0, out, bytepix, blockSize, "wasm")).toBeNull();
          expect(Buffer.from(out.buffer).equals(Buffer.from(flat.buffer))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("decodes corrupt, truncated and random tiles exactly as riceDecode: same pixels or same error, first failing tile", () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        kind: fc.constant("flip" as const),
        edits: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat(255)), {
          minLength: 1,
          maxLength: 4,
        }),
      }),
      fc.record({ kind: fc.constant("random" as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
      fc.record({ kind: fc.constant("none" as const) }),
    );
    fc.assert(
      fc.property(
        paramsArb.chain((p) =>
          fc.tuple(fc.constant(p), fc.array(fc.tuple(tileArb(p.bytepix, 400), damage), { minLength: 1, maxLength: 4 })),
        ),
        ([{ bytepix, blockSize }, items]) => {
          const tiles = items.map(([vals, d]) => {
            const enc = riceEncode(vals, vals.length, bytepix, blockSize);
            if (d.kind === "truncate") return enc.subarray(0, Math.floor(d.at * enc.length));
            if (d.kind === "random") return d.bytes;
            if (d.kind === "flip") {
              const e = enc.slice();
              for (const [at, v] of d.edits) e[Math.floor(at * e.length)] = v;
              return e;
            }
            return enc;
          });
          const npix = items.map(([vals]) => vals.length);
          const expected = tiles.map((t, k) => tsDecode(t, npix[k]!, bytepix, blockSize));
          const firstBad = expected.findIndex((e) => typeof e === "string");
          const out = new Int32Array(npix.reduce((a, b) => a + b, 0));
          const before = wasm!.memorySnapshot();
          const f = riceDecodeTiles(tiles, rowPlacement(npix), 0, out, bytepix, blockSize, "wasm");
          // nothing outside the call's buffers changed in wasm memory
          const after = wasm!.memorySnapshot();
          const { start, end } = wasm!.lastExtent();
          expect(Buffer.from(after.subarray(0, start)).equals(Buffer.from(before.subarray(0, start)))).toBe(true);
          expect(Buffer.from(after.subarray(end)).equals(Buffer.from(before.subarray(end, after.length)))).toBe(true);
          if (firstBad < 0) {
            expect(f).toBeNull();
            let off = 0;
            expected.forEach((e) => {
              expect(Array.from(out.subarray(off, off + (e as Int32Array).length))).toEqual(Array.from(e as Int32Array));
              off += (e as Int32Array).length;
            });
          } else {
            expect(f?.tile).toBe(firstBad);
            expect(f?.error).toBeInstanceOf(CodecError);
            expect(f?.error.code).toBe(expected[firstBad]);
          }
          // the kernels API itself reports the same tile and code (the batch re-runs riceDecode on
          // the failing tile only for the message)
          const raw = wasm!.decodeTiles({ tiles, place: rowPlacement(npix), rowStride: 0, out, bytepix, blockSize });
          expect(raw === null ? null : [raw.tile, raw.code]).toEqual(firstBad < 0 ? null : [firstBad, expected[firstBad]]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("dequantizes like dequantizeTile (every method, nulls, dither seeds, clipped placements): identical float32 bits", () => {
    fc.assert(
      fc.property(
        fc.array(tileArb(4, 300), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("NO_DITHER" as const, "SUBTRACTIVE_DITHER_1" as const, "SUBTRACTIVE_DITHER_2" as const),
        fc.integer({ min: 1, max: 10000 }),
        fc.integer({ min: 0, max: 20000 }),
        fc.boolean(),
        fc.nat(7),
        (tiles, method, ditherSeed, firstRow, withNull, clip) => {
          // plant the reserved values: a null, a SUBTRACTIVE_DITHER_2 zero
          for (const t of tiles) {
            t[Math.floor(t.length / 2)] = -2147483647;
            if (t.length > 2) t[1] = -2147483646;
          }
          const npix = tiles.map((t) => t.length);
          const bytes = tiles.map((t) => riceEncode(t, t.length, 4, 32));
          // each tile is one output row of width max(npix); the first `clip` pixels are left out
          const width = Math.max(...npix);
          const place = new Int32Array(6 * tiles.length);
          tiles.forEach((t, k) => {
            const c = Math.min(clip, t.length - 1);
            place.set([t.length, t.length, c, t.length - c, 1, k * width + c], 6 * k);
          });
          const dq = {
            method,
            zscale: Float64Array.from(tiles, (_, k) => 0.01 * (k + 1) + 1e-7),
            zzero: Float64Array.from(tiles, (_, k) => 1000 - 3.3 * k),
            tileIndex: Int32Array.from(tiles, (_, k) => firstRow + k),
            ditherSeed,
            nullValue: withNull ? -2147483647 : undefined,
          };
          const a = new Float32Array(width * tiles.length).fill(-1);
          const b = new Float32Array(width * tiles.length).fill(-1);
          expect(riceDecodeTiles(bytes, place, width, a, 4, 32, "wasm", dq)).toBeNull();
          expect(riceDecodeTiles(bytes, place, width, b, 4, 32, "ts", dq)).toBeNull();
          expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("writes only the placed pixels (section clipping) and validates placements", () => {
    const vals = Int32Array.from({ length: 12 * 5 }, (_, i) => (i * 37) % 101);
    const bytes = riceEncode(vals, vals.length, 2, 32);
    // the 12x5 tile's pixels x 2..9, rows 1..3 into a 10-wide output at (1, 1)
    const place = Int32Array.of(60, 12, 1 * 12 + 2, 8, 3, 1 * 10 + 1);
    for (const choice of ["wasm", "ts"] as const) {
      const out = new Int16Array(10 * 5).fill(-7);
      expect(riceDecodeTiles([bytes], place, 10, out, 2, 32, choice)).toBeNull();
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 10; x++) {
          const inside = y >= 1 && y <= 3 && x >= 1 && x <= 8;
          expect(out[y * 10 + x], `${choice} (${x}, ${y})`).toBe(inside ? vals[y * 12 + x + 1] : -7);
        }
      }
      expect(() => riceDecodeTiles([bytes], Int32Array.of(60, 12, 0, 12, 5, 1), 10, out, 2, 32, choice)).toThrow(
        expect.objectContaining({ code: "BAD_ARGUMENT" }),
      );
    }
  });
});

describe.skipIf(!wasm)("tiled images with the wasm codec and with SKYSTACK_RICE_WASM=0", () => {
  const dir = mkdtempSync(join(tmpdir(), "rice-batch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withTs<T>(f: () => Promise<T>): Promise<T> {
    const old = process.env.SKYSTACK_RICE_WASM;
    process.env.SKYSTACK_RICE_WASM = "0";
    try {
      return await f();
    } finally {
      if (old === undefined) delete process.env.SKYSTACK_RICE_WASM;
      else process.env.SKYSTACK_RICE_WASM = old;
    }
  }

  async function write(
    path: string,
    data: Uint16Array | Int16Array | Int32Array | Uint8Array | Int8Array | Uint32Array | Float32Array,
    shape: number[],
    tileShape?: number[],
  ) {
    const w = await FitsWriter.create(path);
    await w.writeCompressedImage(data, shape, { compression: "RICE_1", tileShape });
    await w.close();
  }

  async function read(path: string, section?: { start: number[]; shape: number[] }) {
    const f = await FitsFile.open(path);
    try {
      return await f.readImage(1, section ? { section } : {});
    } finally {
      await f.close();
    }
  }

  const W = 173;
  const H = 61;
  const ramp = (i: number) => Math.round(3000 + 40 * Math.sin(i / 7) + ((i * 7919) % 53));
  const arrays = {
    uint16: Uint16Array.from({ length: W * H }, (_, i) => (i % 97 === 0 ? 65535 : ramp(i))),
    int16: Int16Array.from({ length: W * H }, (_, i) => ramp(i) - 3100),
    int32: Int32Array.from({ length: W * H }, (_, i) => ramp(i) * 70001),
    uint8: Uint8Array.from({ length: W * H }, (_, i) => ramp(i) & 255),
    int8: Int8Array.from({ length: W * H }, (_, i) => (ramp(i) & 255) - 128),
    uint32: Uint32Array.from({ length: W * H }, (_, i) => ramp(i) * 1000003),
  };

  for (const [type, data] of Object.entries(arrays)) {
    for (const tileShape of [undefined, [40, 7]]) {
      const tag = `${type}, tiles ${tileShape?.join("x") ?? "rows"}`;
      it(`${tag}: same file bytes and same pixels, whole and in sections`, async () => {
        const a = join(dir, `${type}-${tileShape ? "t" : "r"}-wasm.fits`);
        const b = join(dir, `${type}-${tileShape ? "t" : "r"}-ts.fits`);
        await write(a, data, [W, H], tileShape);
        await withTs(() => write(b, data, [W, H], tileShape));
        const { readFileSync } = await import("node:fs");
        expect(Buffer.from(readFileSync(a)).equals(Buffer.from(readFileSync(b)))).toBe(true);
        const whole = await read(a);
        expect(whole.data.constructor).toBe(data.constructor);
        expect(Array.from(whole.data as ArrayLike<number>)).toEqual(Array.from(data));
        await fc.assert(
          fc.asyncProperty(fc.nat(W - 1), fc.nat(H - 1), fc.nat(W), fc.nat(H), async (x0, y0, w, h) => {
            const section = { start: [x0, y0], shape: [Math.max(1, Math.min(w, W - x0)), Math.max(1, Math.min(h, H - y0))] };
            const got = await read(a, section);
            const want = await withTs(() => read(a, section));
            expect(Array.from(got.data as ArrayLike<number>)).toEqual(Array.from(want.data as ArrayLike<number>));
            expect(got.data.constructor).toBe(want.data.constructor);
          }),
          { numRuns: 15 },
        );
      });
    }
  }

  it("quantized float32 (SUBTRACTIVE_DITHER_1): identical float bits with both codecs, whole and in sections", async () => {
    const f32 = Float32Array.from({ length: W * H }, (_, i) => 100 + 10 * Math.sin(i * 0.37) + ((i * 7919) % 13) * 0.3);
    f32[5] = Number.NaN;
    const p = join(dir, "f32.fits");
    await write(p, f32, [W, H], [W, 3]);
    for (const section of [undefined, { start: [5, 4], shape: [100, 20] }]) {
      const got = await read(p, section);
      const want = await withTs(() => read(p, section));
      expect(Buffer.from((got.data as Float32Array).buffer).equals(Buffer.from((want.data as Float32Array).buffer))).toBe(true);
    }
  });

  it("quantized float64 (the chunked path: wasm decode, TypeScript dequantize): identical bits with both codecs", async () => {
    const f64 = Float64Array.from({ length: W * H }, (_, i) => -50 + 7 * Math.cos(i * 0.11) + ((i * 104729) % 17) * 0.01);
    const p = join(dir, "f64.fits");
    await write(p, f64 as unknown as Float32Array, [W, H], [50, 9]);
    for (const section of [undefined, { start: [7, 3], shape: [120, 41] }]) {
      const got = await read(p, section);
      const want = await withTs(() => read(p, section));
      expect(got.data).toBeInstanceOf(Float64Array);
      expect(Buffer.from((got.data as Float64Array).buffer).equals(Buffer.from((want.data as Float64Array).buffer))).toBe(true);
    }
  });

  it("a corrupt tile gives the same FitsError with both codecs", async () => {
    const p = join(dir, "corrupt.fits");
    await write(p, arrays.uint16, [W, H]);
    const { readFileSync, writeFileSync } = await import("node:fs");
    const bytes = readFileSync(p);
    // shorten tile 10's descriptor (row 10: int32 count, int32 heap offset) to 3 bytes: truncated
    const f = await FitsFile.open(p);
    const hdu = (await f.hdus())[1]!;
    await f.close();
    new DataView(bytes.buffer, bytes.byteOffset).setInt32(hdu.dataOffset + 10 * 8, 3);
    writeFileSync(p, bytes);
    const err = async () => {
      try {
        await read(p);
        return "no error";
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const got = await err();
    expect(got).toMatch(/FitsError.*tile \d+ \(RICE_1\) cannot be decoded/);
    expect(got).toBe(await withTs(err));
  });
});
