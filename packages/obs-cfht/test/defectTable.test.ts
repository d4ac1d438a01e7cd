// Defect tables: obs_cfht's real 2004B.mask.0.36.01.nn BINTABLEs (derived by obs_cfht from the
// Elixir mask we also hold) must cover exactly the pixels our Elixir-mask reading flags; the same
// defects written by astropy as ECSV and as a FITS-region table read back to the same pixels;
// readMegacamDefects tells masks and tables apart by content; bad input is a typed error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Box2I } from "@skystack/afw";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { megacamCamera, parseEcsvDefects, readDefectTable, readElixirDefects, readMegacamDefects } from "../src/index.js";
import { REAL } from "./helpers.js";

const MASK = `${REAL}cfht-megacam-obs_cfht/2004B.mask.0.36.01.fits.gz`;
const TABLES = `${REAL}cfht-megacam-obs_cfht/2004B.mask.0.36.01.nn/`;
const FIX = (n: string) => fileURLToPath(new URL(`./fixtures/${n}`, import.meta.url));
const cam = megacamCamera(36);
const dir = mkdtempSync(join(tmpdir(), "defect-table-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The set of pixels covered by boxes, as a 0/1 map over a 2048 × 4612 CCD (throws outside). */
function pixels(boxes: readonly Box2I[]): Uint8Array {
  const W = 2048;
  const m = new Uint8Array(W * 4612);
  for (const b of boxes) {
    expect(b.min.x >= 0 && b.min.y >= 0 && b.max.x < W && b.max.y < 4612, `${b}`).toBe(true);
    for (let y = b.min.y; y <= b.max.y; y++) m.fill(1, y * W + b.min.x, y * W + b.max.x + 1);
  }
  return m;
}
function sameSet(a: Uint8Array, b: Uint8Array): { n: number; differ: number } {
  let n = 0;
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    n += a[i]!;
    if (a[i] !== b[i]) differ++;
  }
  return { n, differ };
}

describe("obs_cfht defect tables vs the Elixir mask they were made from", () => {
  it.each([0, 3, 17, 35])(
    "ccd%i: the BINTABLE's boxes cover exactly the mask's bad data pixels",
    async (id) => {
      const nn = String(id).padStart(2, "0");
      const t = await readDefectTable(`${TABLES}ccd${nn}.fits`);
      expect(t.detector).toBe(id); // NAME = 'CFHT n'
      const fromMask = pixels(await readElixirDefects(MASK, cam.get(id)));
      const fromTable = pixels(t.boxes);
      const { n, differ } = sameSet(fromMask, fromTable);
      expect(n).toBeGreaterThan(1000);
      expect(differ).toBe(0);
    },
    120_000,
  );
});

describe("other table forms (written by astropy from the real tables)", () => {
  it("ECSV (Defects.writeText form) reads to the same pixels as the FITS table; meta DETECTOR is kept", async () => {
    const e = await readDefectTable(FIX("ccd17.ecsv"));
    const f = await readDefectTable(`${TABLES}ccd17.fits`);
    expect(e.detector).toBe(17);
    expect(sameSet(pixels(e.boxes), pixels(f.boxes)).differ).toBe(0);
    expect(e.boxes.map(String)).toEqual(f.boxes.map(String));
  });
  it("FITS-region table (BOX, ROTBOX at 90°, POINT; 1-based centres) reads to the same pixels", async () => {
    const r = await readDefectTable(FIX("ccd00-region.fits"));
    const f = await readDefectTable(`${TABLES}ccd00.fits`);
    expect(r.detector).toBe(0);
    expect(r.boxes.map(String)).toEqual(f.boxes.map(String));
  });
  it("ECSV round trip: any list of boxes, space or comma delimited", () => {
    const box = fc.record({
      x0: fc.integer({ min: -5, max: 3000 }),
      y0: fc.integer({ min: -5, max: 5000 }),
      w: fc.integer({ min: 1, max: 3000 }),
      h: fc.integer({ min: 1, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.array(box, { maxLength: 30 }), fc.constantFrom(" ", ","), fc.integer({ min: 0, max: 39 }), (bs, d, det) => {
        const head = [
          "# %ECSV 1.0",
          "# ---",
          ...(d === "," ? ["# delimiter: ','"] : []),
          "# datatype:",
          ...["x0", "y0", "width", "height"].map((n) => `# - {name: ${n}, datatype: int64}`),
          `# meta: !!omap`,
          `# - {DETECTOR: ${det}}`,
          "# schema: astropy-2.0",
          ["x0", "y0", "width", "height"].join(d),
        ];
        const text = [...head, ...bs.map((b) => [b.x0, b.y0, b.w, b.h].join(d))].join("\n");
        const t = parseEcsvDefects(text);
        expect(t.detector).toBe(det);
        expect(t.boxes.map((b) => [b.min.x, b.min.y, b.width, b.height])).toEqual(bs.map((b) => [b.x0, b.y0, b.w, b.h]));
      }),
    );
  });
});

describe("readMegacamDefects: mask or table, by content", () => {
  it("a mask MEF (OBSTYPE MASK) and the matching table give the same pixels for ccd03", async () => {
    const a = await readMegacamDefects(MASK, cam.get(3));
    const b = await readMegacamDefects(`${TABLES}ccd03.fits`, cam.get(3));
    expect(sameSet(pixels(a), pixels(b)).differ).toBe(0);
  }, 120_000);
  it("a table for another detector is refused, naming both", async () => {
    await expect(readMegacamDefects(`${TABLES}ccd03.fits`, cam.get(4))).rejects.toThrow(/ccd03\.fits.*detector 3, not ccd04/);
  });
  it("files that are neither are typed errors naming the file and what is missing", async () => {
    const txt = join(dir, "notes.txt");
    writeFileSync(txt, "x0 y0 width height\n1 2 3 4\n");
    await expect(readMegacamDefects(txt, cam.get(0))).rejects.toMatchObject({
      code: "BAD_FORMAT",
      message: expect.stringMatching(/notes\.txt: not a defects file/),
    });
    const img = `${REAL}cfht-megacam-ossos/cutout-1616687p.fits`;
    await expect(readMegacamDefects(img, cam.get(10))).rejects.toThrow(
      /cutout-1616687p\.fits: not a defect table \(no table HDU\)/,
    );
    await expect(readDefectTable(`${REAL}cfht-megacam-obs_cfht/ccd00.fits`)).rejects.toThrow(
      /not a defect table: needs columns x0, y0, width, height/,
    );
    const bad = join(dir, "bad.ecsv");
    writeFileSync(bad, "# %ECSV 1.0\n# ---\nx0 y0 width height\n1 2 0 4\n");
    await expect(readDefectTable(bad)).rejects.toThrow(/bad\.ecsv: row 1: box x0=1 y0=2 width=0 height=4/);
    writeFileSync(bad, "# %ECSV 1.0\n# ---\nx0 y0 width height\n1 2 3\n");
    await expect(readDefectTable(bad)).rejects.toThrow(/bad\.ecsv: row 1 has 3 fields, the header names 4/);
  });
});
