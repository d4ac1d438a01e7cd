// Every column of every table HDU of real survey files, read by skystack, against astropy 5.2.1
// (fixtures/real-tables.json, written by test/fixtures-gen/table/gen_table_fixtures.py).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FitsFile } from "../../src/fits/file.js";
import { readTable } from "../../src/fits/table/index.js";
import { compareWithFixture, FIXTURES, type FixtureHdu, REAL_DIR } from "./helpers.js";

interface RealFixtures {
  files: { file: string; hdus: FixtureHdu[] }[];
}

const fixtures = JSON.parse(readFileSync(`${FIXTURES}real-tables.json`, "utf8")) as RealFixtures;

describe("real tables against astropy", () => {
  for (const { file, hdus } of fixtures.files) {
    describe(file, () => {
      for (const hdu of hdus) {
        it(`HDU ${hdu.index}${hdu.extname ? ` (${hdu.extname})` : ""}: ${hdu.columns.length} columns, ${hdu.nrows} rows`, async () => {
          const f = await FitsFile.open(`${REAL_DIR}${file}`);
          try {
            const table = await readTable(f, hdu.index);
            expect(table.kind).toBe(hdu.xtension === "TABLE" ? "ascii" : "binary");
            compareWithFixture(table, hdu, `${file} HDU ${hdu.index}`);
          } finally {
            await f.close();
          }
        });
      }
    });
  }

  it("photoObj: named columns, vector shapes and row ranges", async () => {
    const f = await FitsFile.open(`${REAL_DIR}sdss-dr8-tractor/photoObj-001000-1-0100.fits`);
    const all = await readTable(f, 1);
    expect(all.nrows).toBe(19);
    const ra = all.column("ra");
    expect(ra.name).toBe("RA");
    expect(ra.data).toBeInstanceOf(Float64Array);
    const prof = all.column("PROFMEAN_NMGY");
    expect(prof.dim).toEqual([15, 5]);
    expect(prof.itemsPerRow).toBe(75);
    expect((prof.data as Float32Array).length).toBe(19 * 75);
    // A row range with a column subset reads the same values.
    const part = await readTable(f, 1, { columns: ["PROFMEAN_NMGY", "ra"], rowStart: 5, rowCount: 3 });
    expect(part.names).toEqual(all.names.filter((n) => n === "RA" || n === "PROFMEAN_NMGY"));
    expect(part.rowStart).toBe(5);
    expect(part.totalRows).toBe(19);
    expect(Array.from(part.column("RA").data as Float64Array)).toEqual(Array.from((ra.data as Float64Array).subarray(5, 8)));
    expect(Array.from(part.column("PROFMEAN_NMGY").data as Float32Array)).toEqual(
      Array.from((prof.data as Float32Array).subarray(5 * 75, 8 * 75)),
    );
    await f.close();
  });

  it("fpM: variable-length span lists, rows read from the middle", async () => {
    const f = await FitsFile.open(`${REAL_DIR}sdss-dr8-tractor/fpM-001000-r1-0100.fit`);
    const all = await readTable(f, 1);
    const part = await readTable(f, 1, { rowStart: 100, rowCount: 50 });
    for (const col of all.columns) {
      const whole = col.data as unknown[];
      const some = part.column(col.name).data as unknown[];
      expect(some.length).toBe(50);
      for (let r = 0; r < 50; r++) expect(some[r]).toEqual(whole[100 + r]);
    }
    await f.close();
  });
});
