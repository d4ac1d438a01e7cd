// A file written by astropy with every TFORM of the standard (fixtures/all-tforms.fits, from
// test/fixtures-gen/table/gen_table_fixtures.py), read by skystack and compared column by column
// with astropy's values (fixtures/all-tforms.json; documented representation differences are
// applied by the generator and listed in each column's "notes").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FitsError } from "../../src/fits/errors.js";
import { FitsFile } from "../../src/fits/file.js";
import { encodeBinTable, readAsciiTable, readBinTable, readTable } from "../../src/fits/table/index.js";
import { compareWithFixture, FIXTURES, type FixtureHdu, fitsBytes } from "./helpers.js";

const fixture = JSON.parse(readFileSync(`${FIXTURES}all-tforms.json`, "utf8")) as { hdus: FixtureHdu[] };
const PATH = `${FIXTURES}all-tforms.fits`;

describe("all TFORMs, written by astropy", () => {
  for (const hdu of fixture.hdus) {
    it(`HDU ${hdu.index} ${hdu.extname}: every column equals astropy's`, async () => {
      const f = await FitsFile.open(PATH);
      const table = await readTable(f, hdu.index);
      compareWithFixture(table, hdu, `all-tforms HDU ${hdu.index}`);
      await f.close();
    });
  }

  it("HDU by EXTNAME, and the representations in detail", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "ALLTYPES");
    expect(Array.from(t.column("L").data as Int8Array)).toEqual([1, 0, -1, 1, 0, 1, 0]);
    expect(Array.from((t.column("L3").data as Int8Array).subarray(12, 15))).toEqual([1, -1, 1]);
    const x13 = t.column("X13");
    expect(x13.itemsPerRow).toBe(13);
    expect((x13.data as Uint8Array).length).toBe(7 * 13);
    expect((x13.data as Uint8Array).every((b) => b === 0 || b === 1)).toBe(true);
    // A NaN with a payload comes through bit for bit.
    const e = t.column("E").data as Float32Array;
    expect(new Uint32Array(e.buffer, e.byteOffset, e.length)[4]).toBe(0x7fc01234);
    const d2 = t.column("D2").data as Float64Array;
    expect(new BigUint64Array(d2.buffer, d2.byteOffset, d2.length)[1]).toBe(0x7ff8000000abcdefn);
    expect(t.column("E").unit).toBe("mag");
    expect(t.column("J").disp).toBe("I11");
    const adim = t.column("ADIM");
    expect(adim.dim).toEqual([4, 3]);
    expect(adim.stringLength).toBe(4);
    expect(adim.itemsPerRow).toBe(3);
    expect((adim.data as string[]).slice(0, 3)).toEqual(["r0c0", "r0c", "r0c2"]);
    const m2 = t.column("M2");
    expect(m2.repeat).toBe(2);
    expect((m2.data as Float64Array).length).toBe(7 * 2 * 2);
    await f.close();
  });

  it("scaling conventions and TNULL", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "SCALED");
    expect(t.column("B_I8").data).toBeInstanceOf(Int8Array);
    expect(t.column("I_U16").data).toBeInstanceOf(Uint16Array);
    expect(t.column("J_U32").data).toBeInstanceOf(Uint32Array);
    expect(t.column("K_U64").data).toBeInstanceOf(BigUint64Array);
    expect(Array.from(t.column("K_U64").data as BigUint64Array)).toEqual([
      0n,
      9223372036854775807n,
      9223372036854775808n,
      9223372036854775809n,
      18446744073709551615n,
      9223372036854775815n,
      9223372036854775801n,
    ]);
    expect(t.column("K_U64").zero).toBe(9223372036854775808n);
    const js = t.column("J_SCALED");
    expect(js.null).toBe(-999);
    expect(Array.from(js.data as Float64Array)).toEqual([100, 100.5, Number.NaN, 101.5, 102, Number.NaN, 50100]);
    const jn = t.column("J_NULL");
    expect(jn.data).toBeInstanceOf(Int32Array);
    expect(jn.null).toBe(-99);
    expect(Array.from(jn.data as Int32Array)).toEqual([1, -99, 3, -99, 5, 6, 7]);
    await f.close();
  });

  it("variable-length arrays: per-row typed arrays, scaled, P and Q", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "VARLEN");
    const pj = t.column("PJ");
    expect(pj.varLength).toBe("P");
    expect((pj.data as Int32Array[]).map((r) => Array.from(r))).toEqual([
      [1, 2, 3],
      [],
      [4],
      [5, 6, 7, 8, 9],
      [-1],
      [],
      [2147483647, -2147483648],
    ]);
    expect(t.column("PA").data).toEqual(["abc", "", "hello world", "x", "", "tail", "0123456789abcdef"]);
    expect(t.column("QD").varLength).toBe("Q");
    const pjs = t.column("PJS");
    expect(pjs.unit).toBe("adu");
    expect((pjs.data as Float64Array[]).map((r) => Array.from(r))).toEqual([
      [3, 5, 7],
      [],
      [9],
      [11, 13, 15, 17, 19],
      [-1],
      [],
      [4294967295, -4294967295],
    ]);
    // Only some rows and one column: the same arrays.
    const part = await readTable(f, "VARLEN", { columns: ["pd"], rowStart: 3, rowCount: 2 });
    const whole = t.column("PD").data as Float64Array[];
    expect(part.columns.length).toBe(1);
    expect((part.column("PD").data as Float64Array[]).map((r) => Array.from(r))).toEqual(
      whole.slice(3, 5).map((r) => Array.from(r)),
    );
    await f.close();
  });

  it("an empty table of 0 rows", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "EMPTY");
    expect(t.nrows).toBe(0);
    expect(t.column("E").data).toEqual(new Float32Array(0));
    expect(t.column("A").data).toEqual([]);
    expect(t.column("PJ").data).toEqual([]);
    await f.close();
  });

  it("the ASCII table: TNULL, blank fields, D exponents, wide integers, scaling", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "ASCII");
    expect(t.kind).toBe("ascii");
    expect(t.column("NAME").data).toEqual(["alpha", "beta", "", "delta x", "e", "f", "g"]);
    const count = t.column("COUNT");
    expect(count.null).toBe("-99");
    expect(Array.from(count.data as Float64Array)).toEqual([12, -7, 0, 32000, Number.NaN, 0, 1]);
    expect(t.column("BIG").data).toEqual(new Float64Array([1, 5000000000, -3, 0, 7, 8, 9]));
    expect(Array.from(t.column("DBL").data as Float64Array)).toEqual([1 / 3, -2.5e-300, 1e300, 0.1, -0, 2, 3]);
    expect(Object.is((t.column("DBL").data as Float64Array)[4], -0)).toBe(true);
    expect(Array.from(t.column("SCL").data as Float64Array)).toEqual([10.5, 11, 11.5, 12, 12.5, 13, 13.5]);
    expect((await readTable(f, "ASCII", { columns: ["FIX"], rowStart: 3, rowCount: 1 })).column("FIX").data).toEqual(
      new Float64Array([1000.125]),
    );
    await f.close();
  });

  it("dispatch: readTable refuses images; readBinTable/readAsciiTable refuse the other kind", async () => {
    const f = await FitsFile.open(PATH);
    await expect(readTable(f, 0)).rejects.toMatchObject({ code: "BAD_ARGUMENT", hdu: 0 });
    await expect(readBinTable(f, await f.hdu(5))).rejects.toBeInstanceOf(FitsError);
    await expect(readAsciiTable(f, await f.hdu(1))).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
    const t = await readTable(f, 1);
    expect(() => t.column("nope")).toThrow(/no column named "nope"/);
    await expect(readTable(f, 1, { columns: ["nope"] })).rejects.toMatchObject({ code: "BAD_ARGUMENT", card: "nope" });
    await expect(readTable(f, 1, { rowStart: 5, rowCount: 3 })).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
    await f.close();
  });
});

describe("ASCII table to binary table", () => {
  it("columns read from an ASCII table encode as a binary table with the same values", async () => {
    const f = await FitsFile.open(PATH);
    const t = await readTable(f, "ASCII");
    const { header, data } = encodeBinTable(t.columns, { header: t.header });
    expect(header.get("XTENSION")).toBe("BINTABLE");
    expect(header.has("TBCOL1")).toBe(false);
    expect(["TFORM1", "TFORM2", "TFORM3", "TFORM7"].map((k) => header.get(k))).toEqual(["7A", "1D", "1D", "1D"]);
    const g = await FitsFile.open(fitsBytes([{ header, data }]));
    const b = await readTable(g, 1);
    expect(b.names).toEqual(t.names);
    t.columns.forEach((c, i) => {
      expect(b.columns[i]!.data).toEqual(c.data);
    });
    await f.close();
  });
});
