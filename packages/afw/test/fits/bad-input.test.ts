// Bad input: every problem gives a typed FitsError naming the file and HDU; nothing hangs and
// nothing allocates what a lying header asks for. Property tests mutate valid files at random.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FitsError, FitsFile, FitsWriter, Header } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-bad-"));
let good: Uint8Array;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const card = (s: string): string => s.padEnd(80);
function fitsBytes(cards: string[], dataBytes = 0): Uint8Array {
  const text = [...cards, "END"].map(card).join("");
  const hlen = Math.ceil(text.length / 2880) * 2880;
  const out = new Uint8Array(hlen + Math.ceil(dataBytes / 2880) * 2880).fill(0);
  out.fill(0x20, 0, hlen);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

async function expectFitsError(bytes: Uint8Array, code: string, pattern?: RegExp): Promise<void> {
  let err: unknown;
  try {
    const f = await FitsFile.open(bytes);
    for (const h of await f.hdus()) if (h.type === "image" || h.type === "compressed-image") await f.readImage(h.index);
  } catch (e) {
    err = e;
  }
  expect(err, "expected a FitsError").toBeInstanceOf(FitsError);
  expect((err as FitsError).code).toBe(code);
  if (pattern) expect((err as FitsError).message).toMatch(pattern);
}

beforeAll(async () => {
  const path = join(dir, "good.fits");
  const w = await FitsWriter.create(path);
  const h = new Header();
  h.set("OBJECT", "test");
  await w.writeImage(
    Int16Array.from({ length: 64 * 16 }, (_, i) => i - 500),
    [64, 16],
    { header: h },
  );
  await w.writeCompressedImage(
    Uint16Array.from({ length: 64 * 16 }, (_, i) => (i * 37) % 4000),
    [64, 16],
    { compression: "RICE_1" },
  );
  await w.writeCompressedImage(
    Float32Array.from({ length: 64 * 16 }, (_, i) => Math.sin(i) * 100),
    [64, 16],
    { compression: "GZIP_2", quantizeLevel: 8 },
  );
  await w.writeImage(new Float64Array(10), [10]);
  await w.close();
  good = new Uint8Array(readFileSync(path));
});

describe("typed errors for broken files", () => {
  it("rejects bytes that are not FITS", async () => {
    await expectFitsError(
      new TextEncoder().encode("hello world, definitely not a FITS file ".repeat(100)),
      "NOT_FITS",
      /not a FITS file/,
    );
    await expectFitsError(new Uint8Array(0), "NOT_FITS");
  });

  it("reports a file cut inside a header or inside the data", async () => {
    await expectFitsError(good.subarray(0, 1000), "TRUNCATED", /HDU 0: file ends inside the header/);
    await expectFitsError(good.subarray(0, 2880 + 100), "TRUNCATED", /HDU 0: file ends inside the data/);
  });

  it("rejects a wrong BITPIX and a negative NAXIS naming the card", async () => {
    await expectFitsError(
      fitsBytes(["SIMPLE  =                    T", "BITPIX  =                   12", "NAXIS   =                    0"]),
      "BAD_VALUE",
      /card BITPIX: BITPIX 12/,
    );
    await expectFitsError(
      fitsBytes([
        "SIMPLE  =                    T",
        "BITPIX  =                   16",
        "NAXIS   =                    1",
        "NAXIS1  =                   -4",
      ]),
      "BAD_VALUE",
      /NAXIS1/,
    );
    await expectFitsError(
      fitsBytes(["SIMPLE  =                    T", "BITPIX  =                   16"]),
      "MISSING_KEYWORD",
      /card NAXIS/,
    );
  });

  it("does not allocate what a lying NAXIS declares", async () => {
    const liar = fitsBytes(
      [
        "SIMPLE  =                    T",
        "BITPIX  =                  -64",
        "NAXIS   =                    2",
        "NAXIS1  =              1000000",
        "NAXIS2  =              1000000",
      ],
      2880,
    );
    await expectFitsError(liar, "TRUNCATED");
    const f = await FitsFile.open(liar, { maxImageBytes: 1 << 20 });
    await expect(f.readImage(0, { section: { start: [0, 0], shape: [1000, 1000] } })).rejects.toThrow(/TRUNCATED|file ends/);
  });

  it("refuses decodes above maxImageBytes", async () => {
    const f = await FitsFile.open(good, { maxImageBytes: 1000 });
    await expect(f.readImage(0)).rejects.toMatchObject({ code: "TOO_LARGE" });
  });

  it("rejects a header with no END card", async () => {
    const noEnd = new Uint8Array(2880 * 3).fill(0x20);
    const text = card("SIMPLE  =                    T");
    for (let i = 0; i < 80; i++) noEnd[i] = text.charCodeAt(i);
    await expectFitsError(noEnd, "TRUNCATED", /no END card/);
  });

  it("reports corrupted compressed tiles as CORRUPT_DATA naming the tile", async () => {
    const f = await FitsFile.open(good);
    const hdu = await f.hdu(1);
    const bad = good.slice();
    const heapStart =
      hdu.dataOffset + (hdu.header.getInt("THEAP") ?? hdu.header.requireInt("NAXIS1") * hdu.header.requireInt("NAXIS2"));
    // Point a descriptor far outside the heap.
    const view = new DataView(bad.buffer, hdu.dataOffset);
    view.setInt32(4, 0x7ffffff0);
    await expectFitsError(bad, "CORRUPT_DATA", /tile 0: descriptor/);
    // Garble tile bytes.
    const garbled = good.slice();
    for (let i = heapStart; i < heapStart + 200; i++) garbled[i] = (garbled[i]! * 7 + 13) & 0xff;
    let err: unknown;
    try {
      const g = await FitsFile.open(garbled);
      const img = await g.readImage(1);
      expect(img.data.length).toBe(64 * 16); // a garbled tile may still decode (to wrong values)
    } catch (e) {
      err = e;
    }
    if (err) expect((err as FitsError).code).toBe("CORRUPT_DATA");
  });

  it("names missing HDUs", async () => {
    const f = await FitsFile.open(good);
    await expect(f.hdu(9)).rejects.toThrow(/no HDU 9 \(the file has 4\)/);
    await expect(f.hdu("NOPE")).rejects.toThrow(/no HDU named "NOPE"/);
    await expect(f.readImage(0, { section: { start: [60, 0], shape: [10, 1] } })).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
  });
});

describe("fuzzing (fast-check)", () => {
  async function readEverything(bytes: Uint8Array): Promise<void> {
    const f = await FitsFile.open(bytes, { maxImageBytes: 1 << 24, maxHeaderBytes: 1 << 20 });
    for (const h of await f.hdus()) {
      h.header.toBytes();
      if (h.type === "image" || h.type === "compressed-image") await f.readImage(h.index);
    }
  }

  it("mutated valid files decode or fail with a FitsError, never anything else", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 12 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (flips, cut) => {
          const bytes = good.slice(0, cut === undefined ? good.length : cut % good.length);
          for (const { at, value } of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          try {
            await readEverything(bytes);
          } catch (e) {
            if (!(e instanceof FitsError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("mutations of header values (digits, quotes, keywords) never escape as other errors", async () => {
    const headerEnd = 2880;
    const alphabet = fc.constantFrom(..."0123456789-+.E'T F=/ ABCXZ".split(""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: headerEnd - 1 }), alphabet), { minLength: 1, maxLength: 20 }),
        async (edits) => {
          const bytes = good.slice();
          for (const [at, ch] of edits) bytes[at] = ch.charCodeAt(0);
          try {
            await readEverything(bytes);
          } catch (e) {
            if (!(e instanceof FitsError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
