// Plain (uncompressed) images: the direct path (bytes read straight into the output array, byte
// swap and unsigned sign flip on whole words) must give the same values as writing them did, for
// every array type, whole images and row bands, from files (readInto) and from memory.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FitsFile, type FitsPixelArray, FitsWriter } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "plain-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAKERS: Record<string, (n: number, r: () => number) => FitsPixelArray> = {
  uint8: (n, r) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256)),
  int8: (n, r) => Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128),
  int16: (n, r) => Int16Array.from({ length: n }, () => Math.floor(r() * 65536) - 32768),
  uint16: (n, r) => Uint16Array.from({ length: n }, () => Math.floor(r() * 65536)),
  int32: (n, r) => Int32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32) - 2 ** 31),
  uint32: (n, r) => Uint32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32)),
  float32: (n, r) => Float32Array.from({ length: n }, () => (r() - 0.5) * 1e6),
  float64: (n, r) => Float64Array.from({ length: n }, () => (r() - 0.5) * 1e300),
};

let k = 0;
describe("plain image reads", () => {
  it("every array type, whole image and row bands, file and memory sources: values as written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(MAKERS)),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        async (type, w, h, seed, y0r, nr) => {
          let s = seed || 1;
          const rnd = () => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return s / 2 ** 32;
          };
          const data = MAKERS[type]!(w * h, rnd);
          const path = join(dir, `img${k++}.fits`);
          const wr = await FitsWriter.create(path);
          await wr.writeImage(new Uint8Array(0), []);
          await wr.writeImage(data, [w, h]);
          await wr.close();
          const y0 = y0r % h;
          const rows = 1 + (nr % (h - y0));
          for (const f of [await FitsFile.open(path), await FitsFile.open(new Uint8Array(readFileSync(path)))]) {
            const whole = await f.readImage(1);
            expect(whole.data.constructor).toBe(data.constructor);
            expect(Array.from(whole.data as ArrayLike<number>)).toEqual(Array.from(data as ArrayLike<number>));
            const band = await f.readImage(1, { section: { start: [0, y0], shape: [w, rows] } });
            expect(Array.from(band.data as ArrayLike<number>)).toEqual(
              Array.from((data as Uint8Array).subarray(y0 * w, (y0 + rows) * w) as ArrayLike<number>),
            );
            await f.close();
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
