import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Exposure, FitsFile, type FitsTable, FitsWriter, Header } from "@skystack/afw";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  Butler,
  ButlerError,
  compileWhere,
  dataIdKey,
  evalWhere,
  ingestRaws,
  loadInstrument,
  parseWhere,
  registerStorageClass,
} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-butler-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newRepo = () => Butler.create(join(dir, `repo${n++}`));

describe("where expressions", () => {
  const id = { instrument: "TOY", visit: 12, detector: 3, band: "r" };
  it("evaluates comparisons, IN lists with ranges, AND/OR/NOT and parentheses", () => {
    const t = (s: string) => evalWhere(parseWhere(s), id);
    expect(t("visit = 12")).toBe(true);
    expect(t("visit != 12")).toBe(false);
    expect(t("visit <> 11 and detector >= 3")).toBe(true);
    expect(t("detector IN (1, 5..9)")).toBe(false);
    expect(t("detector IN (0..10:3)")).toBe(true);
    expect(t("detector NOT IN (3)")).toBe(false);
    expect(t("band = 'r' AND (visit < 10 OR detector = 3)")).toBe(true);
    expect(t('NOT band = "g"')).toBe(true);
    expect(t("instrument = 'TOY' and visit > 11.5")).toBe(true);
    // three-valued: a dimension the data id lacks is unknown; only false rejects
    expect(t("tract = 5")).toBeNull();
    expect(t("tract = 5 OR visit = 12")).toBe(true);
    expect(t("tract = 5 AND visit = 13")).toBe(false);
    expect(compileWhere("tract = 5")(id)).toBe(true);
  });
  it("reports syntax errors with their position", () => {
    expect(() => parseWhere("visit = ")).toThrow(/at character 9 \(end\)/);
    expect(() => parseWhere("visit IN (1, 2")).toThrow(ButlerError);
    expect(() => parseWhere("visit = 'x")).toThrow(/unterminated string/);
    expect(() => compileWhere("vist = 1", ["visit"])).toThrow(/unknown dimension vist/);
  });
  it("agrees with a direct evaluation on random expressions (property)", () => {
    type E =
      | { k: "cmp"; d: "visit" | "detector"; op: string; v: number }
      | { k: "in"; d: "visit" | "detector"; vs: number[] }
      | { k: "and" | "or"; a: E; b: E }
      | { k: "not"; a: E };
    const leaf = fc.oneof(
      fc.record({
        k: fc.constant("cmp" as const),
        d: fc.constantFrom("visit" as const, "detector" as const),
        op: fc.constantFrom("=", "!=", "<", "<=", ">", ">="),
        v: fc.integer({ min: -3, max: 20 }),
      }),
      fc.record({
        k: fc.constant("in" as const),
        d: fc.constantFrom("visit" as const, "detector" as const),
        vs: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 4 }),
      }),
    );
    const expr = fc.letrec<{ e: E }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.record({ k: fc.constantFrom("and" as const, "or" as const), a: tie("e"), b: tie("e") }),
        fc.record({ k: fc.constant("not" as const), a: tie("e") }),
      ),
    })).e;
    const render = (e: E): string =>
      e.k === "cmp"
        ? `${e.d} ${e.op} ${e.v}`
        : e.k === "in"
          ? `${e.d} IN (${e.vs.join(", ")})`
          : e.k === "not"
            ? `NOT (${render(e.a)})`
            : `(${render(e.a)}) ${e.k.toUpperCase()} (${render(e.b)})`;
    const direct = (e: E, d: Record<string, number>): boolean => {
      if (e.k === "cmp") {
        const x = d[e.d]!;
        return { "=": x === e.v, "!=": x !== e.v, "<": x < e.v, "<=": x <= e.v, ">": x > e.v, ">=": x >= e.v }[e.op]!;
      }
      if (e.k === "in") return e.vs.includes(d[e.d]!);
      if (e.k === "not") return !direct(e.a, d);
      return e.k === "and" ? direct(e.a, d) && direct(e.b, d) : direct(e.a, d) || direct(e.b, d);
    };
    fc.assert(
      fc.property(expr, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (e, visit, detector) => {
        expect(evalWhere(parseWhere(render(e)), { visit, detector })).toBe(direct(e, { visit, detector }));
      }),
      { numRuns: 500 },
    );
  });
});

describe("registry", () => {
  it("registers dataset types once and rejects a conflicting definition", async () => {
    const b = await newRepo();
    const dt = await b.registerDatasetType({
      name: "calexp",
      storageClass: "Exposure",
      dimensions: ["detector", "instrument", "visit"],
    });
    expect(dt.dimensions).toEqual(["instrument", "visit", "detector"]);
    await b.registerDatasetType({ name: "calexp", storageClass: "Exposure", dimensions: ["instrument", "visit", "detector"] });
    await expect(
      b.registerDatasetType({ name: "calexp", storageClass: "Catalog", dimensions: ["instrument", "visit", "detector"] }),
    ).rejects.toThrow(/registered as Exposure/);
    await expect(b.registerDatasetType({ name: "x", storageClass: "Nope", dimensions: [] })).rejects.toThrow(
      /unknown storage class Nope/,
    );
    await expect(b.registerDatasetType({ name: "y", storageClass: "StructuredData", dimensions: ["vist"] })).rejects.toThrow(
      /unknown dimension vist/,
    );
    await expect(Butler.create(b.root)).rejects.toThrow(/already a butler repository/);
    await expect(Butler.open(dir)).rejects.toThrow(/not a butler repository/);
  });

  it("finds datasets along RUN and CHAINED collections, first match wins; queries with where", async () => {
    const b = await newRepo();
    await b.registerDatasetType({
      name: "stats",
      storageClass: "StructuredData",
      dimensions: ["instrument", "visit", "detector"],
    });
    for (const visit of [1, 2, 3])
      for (const detector of [0, 1])
        await b.put({ visit, detector, run: "a" }, "stats", { instrument: "TOY", visit, detector }, { run: "runs/a" });
    await b.put({ visit: 2, detector: 1, run: "b" }, "stats", { instrument: "TOY", visit: "2", detector: 1 }, { run: "runs/b" });
    await b.setChain("chain", ["runs/b", "runs/a"]);
    await b.setChain("outer", ["chain"]);
    expect(await b.resolveCollections(["outer", "runs/a"])).toEqual(["runs/b", "runs/a"]);
    expect(await b.get("stats", { instrument: "TOY", visit: 2, detector: 1 }, { collections: ["outer"] })).toEqual({
      visit: 2,
      detector: 1,
      run: "b",
    });
    expect(await b.get("stats", { instrument: "TOY", visit: 2, detector: 0 }, { collections: ["outer"] })).toEqual({
      visit: 2,
      detector: 0,
      run: "a",
    });
    const q = await b.queryDatasets("stats", { collections: ["outer"], where: "visit IN (2..3) AND detector = 1" });
    expect(q.map((r) => [dataIdKey(r.dataId), r.run])).toEqual([
      ["instrument=TOY,visit=2,detector=1", "runs/b"],
      ["instrument=TOY,visit=3,detector=1", "runs/a"],
    ]);
    expect(await b.queryDatasets("stats", { collections: ["outer"], where: "visit = 2", findFirst: false })).toHaveLength(3);
    await expect(b.get("stats", { instrument: "TOY", visit: 9, detector: 0 }, { collections: ["outer"] })).rejects.toThrow(
      /not found in collections \[outer\]/,
    );
    await expect(b.put({}, "stats", { instrument: "TOY", visit: 1, detector: 0 }, { run: "runs/a" })).rejects.toThrow(
      /already exists in run runs\/a/,
    );
    expect(
      (await b.put({ other: 1 }, "stats", { instrument: "TOY", visit: 1, detector: 0 }, { run: "runs/a", skipExisting: true }))
        .run,
    ).toBe("runs/a");
    await expect(b.put({}, "stats", { instrument: "TOY", visit: "x", detector: 0 }, { run: "r" })).rejects.toThrow(
      /dimension visit must be an integer, not "x"/,
    );
    await expect(b.put({}, "stats", { instrument: "TOY", visit: 1 }, { run: "r" })).rejects.toThrow(/lacks dimension detector/);
    await expect(b.setChain("runs/a", [])).rejects.toThrow(/is a RUN, not CHAINED/);
    await expect(b.setChain("chain", ["outer"])).rejects.toThrow(/cycle/);
  });

  it("removes runs with their records and files, refusing runs still in a chain", async () => {
    const b = await newRepo();
    await b.registerDatasetType({ name: "s", storageClass: "StructuredData", dimensions: ["instrument"] });
    await b.put(1, "s", { instrument: "A" }, { run: "r1" });
    await b.put(2, "s", { instrument: "A" }, { run: "r2" });
    await b.setChain("c", ["r1", "r2"]);
    await expect(b.removeRuns(["r1"])).rejects.toThrow(/is in chained collection\(s\) c/);
    expect(await b.removeRuns(["r1"], { unlinkFromChains: true })).toBe(1);
    expect(await b.findCollection("r1")).toBeUndefined();
    expect(existsSync(join(b.root, "datastore", "r1"))).toBe(false);
    expect(await b.get("s", { instrument: "A" }, { collections: ["c"] })).toBe(2);
  });
});

describe("formatters and atomic puts", () => {
  it("round-trips an Exposure through FITS, with provenance recorded", async () => {
    const b = await newRepo();
    await b.registerDatasetType({ name: "calexp", storageClass: "Exposure", dimensions: ["instrument", "visit", "detector"] });
    const e = Exposure.make(7, 5);
    e.image.array.forEach((_, i, a) => {
      a[i] = i * 0.5 - 3;
    });
    e.variance.array.fill(2);
    e.mask.array[3] = 5;
    const ref = await b.put(
      e,
      "calexp",
      { instrument: "TOY", visit: 1, detector: 2 },
      { run: "r", provenance: { task: { label: "t", class: "x#T", config: { a: 1 } } } },
    );
    expect(ref.provenance?.software.name).toBe("skystack");
    expect(ref.provenance?.task?.config).toEqual({ a: 1 });
    const back = await b.get<Exposure<Float32Array>>(ref, { verify: true });
    expect(Array.from(back.image.array)).toEqual(Array.from(e.image.array));
    expect(back.mask.array[3]).toBe(5);
    expect(back.variance.array[0]).toBe(2);
  });

  it("round-trips a catalog through a FITS binary table", async () => {
    const b = await newRepo();
    await b.registerDatasetType({ name: "src", storageClass: "Catalog", dimensions: ["instrument", "visit"] });
    const ref = await b.put(
      {
        columns: [
          { name: "flux", data: new Float64Array([1.5, -2, 3e10]), unit: "nJy" },
          { name: "id", data: new Int32Array([7, 8, 9]) },
        ],
      },
      "src",
      { instrument: "TOY", visit: 1 },
      { run: "r" },
    );
    const t = await b.get<FitsTable>(ref);
    expect(t.nrows).toBe(3);
    expect(Array.from(t.column("flux").data as Float64Array)).toEqual([1.5, -2, 3e10]);
    expect(t.column("flux").unit).toBe("nJy");
    expect(Array.from(t.column("id").data as Int32Array)).toEqual([7, 8, 9]);
  });

  it("a failing write leaves neither a record nor a file", async () => {
    registerStorageClass<unknown>("Flaky", {
      extension: ".bin",
      async write(path) {
        const { writeFile } = await import("node:fs/promises");
        await writeFile(path, "half");
        throw new Error("disk on fire");
      },
      async read() {
        return null;
      },
    });
    const b = await newRepo();
    await b.registerDatasetType({ name: "f", storageClass: "Flaky", dimensions: ["instrument"] });
    await expect(b.put(1, "f", { instrument: "A" }, { run: "r" })).rejects.toThrow(/disk on fire/);
    expect(await b.queryDatasets("f", { collections: ["r"] })).toEqual([]);
    expect(readdirSync(join(b.root, "datastore", "r", "f"))).toEqual([]);
  });
});

describe("ingest-raws", () => {
  it("translates headers with the instrument and registers one raw per detector HDU", async () => {
    const file = join(dir, "raw-mef.fits");
    const w = await FitsWriter.create(file);
    await w.writeImage(new Uint8Array(0), [], { header: new Header().set("INSTRUME", "TOY").set("EXPNUM", 1234) });
    for (const ccd of [0, 1]) {
      const px = new Float32Array(12).map((_, i) => i + 100 * ccd);
      await w.writeImage(px, [4, 3], { header: new Header().set("CCDNUM", ccd), extname: `CCD${ccd}` });
    }
    await w.close();
    const b = await newRepo();
    const inst = await loadInstrument("generic");
    const r = await ingestRaws(b, [file], { instrument: inst });
    expect(r.ingested.map((x) => [dataIdKey(x.dataId), x.hdu])).toEqual([
      ["instrument=TOY,exposure=1234,detector=0", 1],
      ["instrument=TOY,exposure=1234,detector=1", 2],
    ]);
    const again = await ingestRaws(b, [file], { instrument: inst });
    expect(again.ingested).toEqual([]);
    expect(again.skipped).toHaveLength(2);
    const raw = await b.get<Exposure<Float32Array>>(
      "raw",
      { instrument: "TOY", exposure: 1234, detector: 1 },
      { collections: ["TOY/raw/all"], verify: true },
    );
    expect(raw.width).toBe(4);
    expect(raw.height).toBe(3);
    const f = await FitsFile.open(file);
    const { data } = await f.readImage(2);
    await f.close();
    expect(Array.from(raw.image.array)).toEqual(Array.from(data as Float32Array));
    expect(raw.info.metadata.get("EXPNUM")).toBe(1234);
    await expect(loadInstrument("nosuchcam")).rejects.toThrow(/unknown instrument nosuchcam/);
    const bad = join(dir, "noexp.fits");
    const wb = await FitsWriter.create(bad);
    await wb.writeImage(new Float32Array(4), [2, 2], { header: new Header().set("INSTRUME", "TOY") });
    await wb.close();
    await expect(ingestRaws(b, [bad], { instrument: inst })).rejects.toThrow(
      new RegExp(`${bad.replace(/[.\\/]/g, "\\$&")} HDU 0: no integer EXPNUM/EXPID/VISIT/OBSID card`),
    );
  });
});
