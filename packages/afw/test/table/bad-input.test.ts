// Broken tables give FitsErrors with the right code, naming the column or keyword; random
// mutations of valid table files never hang and only ever throw FitsError.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FitsError } from "../../src/fits/errors.js";
import { FitsFile } from "../../src/fits/file.js";
import { Header } from "../../src/fits/header.js";
import { type ColumnInput, encodeBinTable, parseAsciiReal, readTable } from "../../src/fits/table/index.js";
import { FIXTURES, fitsBytes } from "./helpers.js";

const COLUMNS: ColumnInput[] = [
  { name: "id", data: new Int32Array([1, 2, 3, 4]) },
  { name: "flux", data: new Float32Array([1.5, 2.5, Number.NaN, -4]), unit: "nJy" },
  { name: "spans", data: [new Int16Array([1, 2]), new Int16Array(0), new Int16Array([3, 4, 5]), new Int16Array([6])] },
  { name: "name", data: ["a", "bb", "ccc", ""] },
  {
    name: "big",
    data: [new Float64Array([1]), new Float64Array([2, 3]), new Float64Array(0), new Float64Array([4])],
    format: "QD",
  },
  { name: "flags", data: new Uint8Array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1]), format: "3X" },
];

/** A valid table, with its header changed by `edit` (and its data by `editData`). */
async function tableFile(edit: (h: Header) => void = () => {}, editData: (d: Uint8Array) => void = () => {}): Promise<FitsFile> {
  const { header, data } = encodeBinTable(COLUMNS, { extname: "T" });
  edit(header);
  editData(data);
  return FitsFile.open(fitsBytes([{ header, data }]));
}

async function failure(p: Promise<unknown>): Promise<FitsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FitsError);
    return e as FitsError;
  }
  throw new Error("expected a FitsError");
}

describe("inconsistent binary tables", () => {
  it("reads the valid table", async () => {
    const t = await readTable(await tableFile(), "T");
    expect(Array.from(t.column("id").data as Int32Array)).toEqual([1, 2, 3, 4]);
  });

  it("NAXIS2 claiming more rows than the file holds: TRUNCATED naming NAXIS2", async () => {
    const e = await failure(readTable(await tableFile((h) => h.set("NAXIS2", 4000)), 1));
    expect(e.code).toBe("TRUNCATED");
    expect(e.card).toBe("NAXIS2");
    expect(e.message).toMatch(/<memory>: HDU 1: card NAXIS2: the file ends before the 4000 rows/);
  });

  it("a heap descriptor beyond the heap: CORRUPT_DATA naming the column and row", async () => {
    const { header } = encodeBinTable(COLUMNS);
    const rowBytes = header.requireInt("NAXIS1");
    const spansOffset = 4 + 4; // after id (J) and flux (E)
    const e = await failure(
      readTable(
        await tableFile(
          () => {},
          (d) => new DataView(d.buffer, d.byteOffset).setUint32(2 * rowBytes + spansOffset + 4, 1000),
        ),
        1,
      ),
    );
    expect(e.code).toBe("CORRUPT_DATA");
    expect(e.card).toBe("spans");
    expect(e.message).toMatch(
      /column 3 "spans" \(TFORM3 = '1PI\(3\)'\), row 2 \(0-based\): descriptor \(count 3, offset 1000.*beyond the heap of 44 bytes/,
    );
    // Reading other columns, or rows before the broken one, still works.
    const ok = await readTable(
      await tableFile(
        () => {},
        (d) => new DataView(d.buffer, d.byteOffset).setUint32(2 * rowBytes + spansOffset + 4, 1000),
      ),
      1,
      { rowCount: 2 },
    );
    expect((ok.column("spans").data as Int16Array[]).map((r) => Array.from(r))).toEqual([[1, 2], []]);
  });

  it("a Q descriptor with a count beyond 2^53: CORRUPT_DATA", async () => {
    const { header } = encodeBinTable(COLUMNS);
    const rowBytes = header.requireInt("NAXIS1");
    const bigOffset = 4 + 4 + 8 + 3;
    const e = await failure(
      readTable(
        await tableFile(
          () => {},
          (d) => new DataView(d.buffer, d.byteOffset).setBigUint64(rowBytes + bigOffset, 2n ** 62n),
        ),
        1,
      ),
    );
    expect(e.code).toBe("CORRUPT_DATA");
    expect(e.message).toMatch(/column 5 "big".*row 1/);
  });

  it("TFORM garbage: BAD_VALUE naming TFORMn and the column", async () => {
    const e = await failure(readTable(await tableFile((h) => h.set("TFORM2", "ZZZ")), 1));
    expect(e.code).toBe("BAD_VALUE");
    expect(e.card).toBe("TFORM2");
    expect(e.message).toMatch(/column 2 "flux": cannot parse TFORM "ZZZ"/);
    const p = await failure(readTable(await tableFile((h) => h.set("TFORM3", "3PI")), 1));
    expect(p.message).toMatch(/column 3 "spans": variable-length TFORM 3PI has repeat > 1/);
    const missing = await failure(readTable(await tableFile((h) => h.remove("TFORM4")), 1));
    expect(missing.code).toBe("MISSING_KEYWORD");
    expect(missing.card).toBe("TFORM4");
    expect(missing.message).toMatch(/column 4 "name" has no TFORM4/);
  });

  it("row width mismatch: BAD_VALUE naming NAXIS1 and listing the columns' widths", async () => {
    const e = await failure(readTable(await tableFile((h) => h.set("TFORM1", "2J")), 1));
    expect(e.code).toBe("BAD_VALUE");
    expect(e.card).toBe("NAXIS1");
    expect(e.message).toMatch(/NAXIS1 = 36 but the columns' widths add up to 40 bytes \(TFORM1='2J' 8, TFORM2='1E' 4/);
    const n1 = await failure(readTable(await tableFile((h) => h.set("NAXIS1", 37)), 1));
    expect(n1.card).toBe("NAXIS1");
  });

  it("THEAP, TFIELDS, TDIM, TNULL, BITPIX and GCOUNT inconsistencies", async () => {
    const cases: [(h: Header) => void, string, string, RegExp][] = [
      [(h) => h.set("THEAP", 10), "BAD_VALUE", "THEAP", /THEAP = 10 must lie between the end of the main table/],
      [(h) => h.set("THEAP", 1e6), "BAD_VALUE", "THEAP", /THEAP = 1000000/],
      [(h) => h.set("TFIELDS", 1000), "BAD_VALUE", "TFIELDS", /TFIELDS = 1000 is outside 0..999/],
      [(h) => h.set("TFIELDS", 7), "MISSING_KEYWORD", "TFORM7", /column 7 has no TFORM7/],
      [(h) => h.set("TDIM2", "(2,"), "BAD_VALUE", "TDIM2", /cannot parse TDIM "\(2,"/],
      [
        (h) => h.set("TDIM2", "(2,2)"),
        "BAD_VALUE",
        "TDIM2",
        /column 2 "flux": TDIM2 \(2,2\) holds 4 elements but TFORM2 = '1E' only 1/,
      ],
      [(h) => h.set("TNULL1", "x"), "BAD_VALUE", "TNULL1", /column 1 "id": TNULL1 must be an integer/],
      [(h) => h.set("BITPIX", 16), "BAD_VALUE", "BITPIX", /BITPIX = 8, not 16/],
      [(h) => h.set("GCOUNT", 2), "BAD_VALUE", "GCOUNT", /GCOUNT = 1, not 2/],
      [(h) => h.set("TSCAL2", "abc"), "BAD_CARD", "TSCAL2", /expected a number/],
    ];
    for (const [edit, code, card, pattern] of cases) {
      const e = await failure(readTable(await tableFile(edit), 1));
      expect({ code: e.code, card: e.card }, e.message).toEqual({ code, card });
      expect(e.message).toMatch(pattern);
      expect(e.message).toMatch(/^<memory>: HDU 1: card /);
    }
  });
});

/** An ASCII table built by hand: header cards and the rows' text. */
async function asciiFile(cards: [string, string | number][], rows: string[]): Promise<FitsFile> {
  const width = rows[0]?.length ?? 0;
  const h = Header.fromEntries([
    ["XTENSION", "TABLE"],
    ["BITPIX", 8],
    ["NAXIS", 2],
    ["NAXIS1", width],
    ["NAXIS2", rows.length],
    ["PCOUNT", 0],
    ["GCOUNT", 1],
    ...cards,
  ]);
  const data = Uint8Array.from(rows.join(""), (c) => c.charCodeAt(0));
  return FitsFile.open(fitsBytes([{ header: h, data, padByte: 0x20 }]));
}

describe("ASCII tables", () => {
  const cards: [string, string | number][] = [
    ["TFIELDS", 3],
    ["TTYPE1", "X"],
    ["TFORM1", "F8.2"],
    ["TBCOL1", 1],
    ["TTYPE2", "N"],
    ["TFORM2", "I4"],
    ["TBCOL2", 10],
    ["TTYPE3", "Y"],
    ["TFORM3", "E10.3"],
    ["TBCOL3", 15],
  ];

  it("implied decimal points, Fortran exponents and embedded blanks", async () => {
    const t = await readTable(
      await asciiFile(cards, [
        "   12345" + "  -12" + "   1.5D+02 ",
        "  -1.5  " + "  1 2" + "   2.5-03  ",
        "        " + "     " + "     .25E1 ",
      ]),
      1,
    );
    expect(Array.from(t.column("X").data as Float64Array)).toEqual([123.45, -1.5, 0]);
    expect(t.column("N").data).toEqual(new Int32Array([-12, 12, 0]));
    expect(Array.from(t.column("Y").data as Float64Array)).toEqual([150, 0.0025, 2.5]);
    expect(parseAsciiReal("1.5E", 0)).toBeUndefined();
    expect(parseAsciiReal("  ", 3)).toBe(0);
    expect(parseAsciiReal("-7", 1)).toBe(-0.7);
  });

  it("a field that is not a number: BAD_VALUE naming column and row", async () => {
    const e = await failure(
      readTable(await asciiFile(cards, ["    1.00" + "    1" + "    1.0    ", "    abc " + "    2" + "    2.0    "]), 1),
    );
    expect(e.code).toBe("BAD_VALUE");
    expect(e.card).toBe("X");
    expect(e.message).toMatch(/column 1 "X" \(TFORM1 = 'F8.2'\), row 1 \(0-based\): cannot read " {4}abc " as a number/);
  });

  it("TBCOL outside the row and TFORM garbage: BAD_VALUE naming the card", async () => {
    const row = ["    1.00" + "    1" + "    1.0    "];
    const e = await failure(
      readTable(
        await asciiFile(
          cards.map(([k, v]) => [k, k === "TBCOL3" ? 20 : v]),
          row,
        ),
        1,
      ),
    );
    expect({ code: e.code, card: e.card }).toEqual({ code: "BAD_VALUE", card: "TBCOL3" });
    expect(e.message).toMatch(/column 3 "Y": field at TBCOL3 = 20 of width 10 does not fit in rows of NAXIS1 = 24/);
    const g = await failure(
      readTable(
        await asciiFile(
          cards.map(([k, v]) => [k, k === "TFORM2" ? "I4.2" : v]),
          row,
        ),
        1,
      ),
    );
    expect({ code: g.code, card: g.card }).toEqual({ code: "BAD_VALUE", card: "TFORM2" });
    expect(g.message).toMatch(/column 2 "N".*I fields take no decimals/);
  });
});

/** Byte ranges of the header values (card columns 11-40) and of the data of every HDU. */
async function targets(bytes: Uint8Array): Promise<{ header: number[]; data: [number, number][] }> {
  const f = await FitsFile.open(bytes);
  const header: number[] = [];
  const data: [number, number][] = [];
  for (const h of await f.hdus()) {
    for (let c = h.headerOffset; c < h.dataOffset; c += 80) for (let k = 10; k < 40; k++) header.push(c + k);
    if (h.dataSize > 0) data.push([h.dataOffset, h.dataOffset + h.dataSize]);
  }
  return { header, data };
}

describe("mutations of valid table files", () => {
  const encoded = encodeBinTable(COLUMNS, { extname: "T" });
  const bases: [string, Uint8Array][] = [
    ["encoded", fitsBytes([encoded])],
    ["all-tforms.fits", new Uint8Array(readFileSync(`${FIXTURES}all-tforms.fits`))],
  ];
  for (const [name, base] of bases) {
    it(`${name}: flipped header values and data bytes never hang and only throw FitsError`, async () => {
      const { header, data } = await targets(base);
      const position = fc.oneof(
        fc.constantFrom(...header),
        fc.constantFrom(...data).chain(([a, b]) => fc.integer({ min: a, max: b - 1 })),
        fc.integer({ min: 0, max: base.length - 1 }),
      );
      const byte = fc.oneof(
        fc.constantFrom(...Array.from("0123456789-+.E ()'PQJT", (c) => c.charCodeAt(0))),
        fc.integer({ min: 0, max: 255 }),
      );
      const outcomes = { ok: 0, errors: 0 };
      const codes: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(position, byte), { minLength: 1, maxLength: 4 }), async (flips) => {
          const bytes = base.slice();
          for (const [p, b] of flips) bytes[p] = b;
          const started = Date.now();
          try {
            const f = await FitsFile.open(bytes);
            for (const h of await f.hdus()) {
              if (h.type === "bintable" || h.type === "table") await readTable(f, h.index);
            }
            outcomes.ok++;
          } catch (e) {
            if (!(e instanceof FitsError))
              throw new Error(`not a FitsError after flips ${JSON.stringify(flips)}: ${String(e)}`, { cause: e });
            outcomes.errors++;
            codes[`${(e as FitsError).code} ${((e as FitsError).card ?? "").replace(/\d+$/, "n")}`] =
              (codes[`${(e as FitsError).code} ${((e as FitsError).card ?? "").replace(/\d+$/, "n")}`] ?? 0) + 1;
          }
          expect(Date.now() - started, "time to read the mutated file (ms)").toBeLessThan(2000);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
      );
      if (process.env.FUZZ_RUNS) console.log(name, outcomes, codes);
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.errors).toBeGreaterThan(0);
    }, 120_000);
  }
});
