import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { applyOverrides, ConfigError, type ConfigOf, defineConfig, field, formatConfig } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Overscan = defineConfig("OverscanConfig", {
  fitType: field.choice({ doc: "Overscan fit", default: "MEDIAN", allowed: { MEDIAN: "median per row", POLY: "polynomial" } }),
  order: field.int({ doc: "Polynomial order", default: 1, min: 0, max: 10 }),
});
const Psfex = defineConfig("PsfexConfig", { spatialOrder: field.int({ doc: "Spatial order", default: 2, min: 0 }) });
const Pca = defineConfig("PcaConfig", {
  nEigen: field.int({ doc: "Eigen components", default: 3, min: 1 }),
  kernelSize: field.float({ doc: "Kernel size", default: 10.5, units: "pixel", min: 0, inclusiveMin: false }),
});

const Isr = defineConfig(
  "IsrConfig",
  {
    doBias: field.bool({ doc: "Subtract the bias", default: true }),
    saturation: field.float({ doc: "Saturation level", default: Number.NaN, units: "adu" }),
    gain: field.float({ doc: "Gain", default: null, optional: true, units: "electron/adu", min: 0, inclusiveMin: false }),
    name: field.string({ doc: "Label", default: "isr", pattern: /^[a-z]+$/ }),
    overscan: field.config(Overscan, { doc: "Overscan correction" }),
    psf: field.registry(
      { psfex: { config: Psfex, doc: "PSFEx" }, pca: { config: Pca, doc: "PCA" } },
      { doc: "PSF determiner", default: "psfex" },
    ),
    plugins: field.multiRegistry({ psfex: { config: Psfex }, pca: { config: Pca } }, { doc: "Plugins", default: ["psfex"] }),
    radii: field.list(field.float({ doc: "radius", default: 0, min: 0 }), {
      doc: "Aperture radii",
      default: [3, 4.5, 6],
      units: "pixel",
      minLength: 1,
    }),
    zeropoints: field.dict(field.float({ doc: "zp", default: 0 }), {
      doc: "Zero points by band",
      default: { g: 25.1, r: 24.9 },
      units: "mag",
    }),
    nThreads: field.int({ doc: "Threads", default: 1, min: 1, check: (v) => (v > 64 ? "at most 64 threads" : undefined) }),
  },
  { validate: (c) => (c.doBias === false && c.overscan.fitType === "POLY" ? "POLY overscan needs doBias" : undefined) },
);
type IsrConfig = ConfigOf<typeof Isr>;

describe("Config types and defaults", () => {
  it("infers the TypeScript type from the definition", () => {
    expectTypeOf<IsrConfig["doBias"]>().toEqualTypeOf<boolean>();
    expectTypeOf<IsrConfig["gain"]>().toEqualTypeOf<number | null>();
    expectTypeOf<IsrConfig["overscan"]["fitType"]>().toEqualTypeOf<"MEDIAN" | "POLY">();
    expectTypeOf<IsrConfig["psf"]["name"]>().toEqualTypeOf<"psfex" | "pca">();
    expectTypeOf<IsrConfig["psf"]["pca"]["kernelSize"]>().toEqualTypeOf<number>();
    expectTypeOf<IsrConfig["plugins"]["names"]>().toEqualTypeOf<("psfex" | "pca")[]>();
    expectTypeOf<IsrConfig["radii"]>().toEqualTypeOf<number[]>();
    expectTypeOf<IsrConfig["zeropoints"]>().toEqualTypeOf<Record<string, number>>();
  });

  it("fills every default, nested configs and every registry choice included", () => {
    const c = Isr.defaults();
    expect(c.doBias).toBe(true);
    expect(Number.isNaN(c.saturation)).toBe(true);
    expect(c.gain).toBeNull();
    expect(c.overscan).toEqual({ fitType: "MEDIAN", order: 1 });
    expect(c.psf).toEqual({ name: "psfex", psfex: { spatialOrder: 2 }, pca: { nEigen: 3, kernelSize: 10.5 } });
    expect(c.radii).toEqual([3, 4.5, 6]);
    // defaults are fresh copies
    c.radii.push(9);
    expect(Isr.defaults().radii).toEqual([3, 4.5, 6]);
  });
});

describe("validation", () => {
  const bad = (mutate: (c: IsrConfig) => void): ConfigError => {
    const c = Isr.defaults();
    mutate(c);
    try {
      Isr.validate(c, "isr");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error("validation passed");
  };

  it("names the full path and value of each bad field", () => {
    const e = bad((c) => {
      c.overscan.order = 11;
      c.radii[1] = -2;
      c.psf.pca.kernelSize = 0;
      (c as Record<string, unknown>).doBias = "yes";
    });
    expect(e.issues.map((i) => [i.path, i.value])).toEqual([
      ["isr.doBias", "yes"],
      ["isr.overscan.order", 11],
      ["isr.psf.pca.kernelSize", 0],
      ["isr.radii[1]", -2],
    ]);
    expect(e.message).toContain("isr.overscan.order = 11: must be <= 10");
    expect(e.message).toContain("isr.psf.pca.kernelSize = 0: must be > 0");
  });

  it("checks choices, patterns, list lengths, integers, registry names, custom and cross-field checks", () => {
    expect(bad((c) => ((c.overscan as Record<string, unknown>).fitType = "MEAN")).message).toContain(
      'isr.overscan.fitType = "MEAN": must be one of MEDIAN, POLY',
    );
    expect(bad((c) => (c.name = "Bad1")).issues[0]!.path).toBe("isr.name");
    expect(bad((c) => (c.radii = [])).message).toContain("must have at least 1 items");
    expect(bad((c) => (c.overscan.order = 1.5)).message).toContain("must be an integer");
    expect(bad((c) => ((c.psf as Record<string, unknown>).name = "gauss")).issues[0]).toMatchObject({
      path: "isr.psf.name",
      value: "gauss",
    });
    expect(bad((c) => (c.plugins.names = ["pca", "pca"])).message).toContain("duplicate");
    expect(bad((c) => (c.nThreads = 65)).message).toContain("isr.nThreads = 65: at most 64 threads");
    expect(bad((c) => ((c as Record<string, unknown>).extra = 1)).message).toContain(
      "isr.extra = 1: is not a field of IsrConfig",
    );
    expect(
      bad((c) => {
        c.doBias = false;
        c.overscan.fitType = "POLY";
      }).message,
    ).toContain("POLY overscan needs doBias");
    expect(bad((c) => (c.gain = -1)).message).toContain("isr.gain = -1: must be > 0");
  });

  it("requires non-optional fields that have no value", () => {
    const S = defineConfig("S", { path: field.string({ doc: "Input path", default: null }) });
    expect(() => S.make()).toThrow(/path = null: is required/);
    expect(S.make({ path: "x" }).path).toBe("x");
  });
});

describe("freeze", () => {
  it("makes the whole config read-only", () => {
    const c = Isr.freeze(Isr.defaults());
    expect(() => {
      (c as IsrConfig).doBias = false;
    }).toThrow(TypeError);
    expect(() => {
      (c.overscan as IsrConfig["overscan"]).order = 2;
    }).toThrow(TypeError);
    expect(() => (c.radii as number[]).push(1)).toThrow(TypeError);
    expect(c.doBias).toBe(true);
  });
  it("validates before freezing", () => {
    const c = Isr.defaults();
    c.nThreads = 0;
    expect(() => Isr.freeze(c)).toThrow(ConfigError);
    expect(Object.isFrozen(c)).toBe(false);
  });
});

describe("overrides", () => {
  it("parses -c values per field type", () => {
    let c = Isr.defaults();
    for (const s of [
      "doBias=no",
      "saturation=inf",
      "gain=1.5",
      "overscan.order=3",
      "radii=[1, 2.5]",
      "zeropoints.i=24.5",
      "psf.name=pca",
      "psf.pca.nEigen=5",
      "plugins.names=pca,psfex",
      "name=abc",
    ])
      c = Isr.applyText(c, s);
    Isr.validate(c);
    expect(c.doBias).toBe(false);
    expect(c.saturation).toBe(Infinity);
    expect(c.gain).toBe(1.5);
    expect(c.overscan.order).toBe(3);
    expect(c.radii).toEqual([1, 2.5]);
    expect(c.zeropoints).toEqual({ g: 25.1, r: 24.9, i: 24.5 });
    expect(c.psf.name).toBe("pca");
    expect(c.psf.pca.nEigen).toBe(5);
    expect(c.plugins.names).toEqual(["pca", "psfex"]);
    expect(Isr.applyText(c, "radii=7,8").radii).toEqual([7, 8]);
    expect(Isr.applyText(c, "radii.0=9").radii).toEqual([9, 2.5]);
    expect(Isr.applyText(c, "gain=None").gain).toBeNull();
  });

  it("reports bad -c paths and values with the path", () => {
    const c = Isr.defaults();
    expect(() => Isr.applyText(c, "overscan.degree=2")).toThrow(/overscan.degree = "2": is not a field of OverscanConfig/);
    expect(() => Isr.applyText(c, "overscan.order=two")).toThrow(/overscan.order = "two": cannot parse "two" as an integer/);
    expect(() => Isr.applyText(c, "doBias=maybe")).toThrow(/doBias = "maybe": must be true or false/);
    expect(() => Isr.applyText(c, "overscan=3")).toThrow(/is a nested config/);
    expect(() => Isr.applyText(c, "noequals")).toThrow(/path.to.field=value/);
    expect(() => Isr.applyText(c, "psf.gauss.x=1")).toThrow(/psf.gauss = "1": unknown registry entry/);
  });

  it("applies YAML and JSON files and -c in the order given", () => {
    const yaml = join(dir, "a.yaml");
    writeFileSync(
      yaml,
      "doBias: false\noverscan:\n  order: 4\nradii: [5]\npsf:\n  name: pca\n  pca: {nEigen: 7}\nsaturation: .nan\n",
    );
    const json = join(dir, "b.json");
    writeFileSync(json, JSON.stringify({ overscan: { order: 6 }, gain: 2 }));
    const c = applyOverrides(Isr, Isr.defaults(), [
      { file: yaml },
      { set: "overscan.order=5" },
      { file: json },
      { set: "radii=[1,2]" },
    ]);
    expect(c.doBias).toBe(false);
    expect(c.overscan).toEqual({ fitType: "MEDIAN", order: 6 });
    expect(c.radii).toEqual([1, 2]);
    expect(c.gain).toBe(2);
    expect(c.psf.name).toBe("pca");
    expect(c.psf.pca).toEqual({ nEigen: 7, kernelSize: 10.5 });
    const c2 = applyOverrides(Isr, Isr.defaults(), [{ file: json }, { set: "overscan.order=5" }]);
    expect(c2.overscan.order).toBe(5);
  });

  it("never runs code from a config file and names the file and the bad field", () => {
    const evil = join(dir, "evil.yaml");
    writeFileSync(evil, "name: !!js/function 'function () { process.exit(3) }'\n");
    expect(() => applyOverrides(Isr, Isr.defaults(), [{ file: evil }])).toThrow(ConfigError);
    const py = join(dir, "isr.py");
    writeFileSync(py, "config.doBias = False\n");
    expect(() => applyOverrides(Isr, Isr.defaults(), [{ file: py }])).toThrow(/must be a mapping of IsrConfig fields/);
    const unknown = join(dir, "unknown.yaml");
    writeFileSync(unknown, "overscan:\n  degree: 3\n");
    expect(() => applyOverrides(Isr, Isr.defaults(), [{ file: unknown }])).toThrow(
      new RegExp(
        `overscan.degree = 3: is not a field of OverscanConfig \\(fields: fitType, order\\) \\(from ${unknown.replace(/[.\\/]/g, "\\$&")}\\)`,
      ),
    );
  });

  it("withDefaults makes a schema with other defaults (an obs package's)", () => {
    const Cfht = Isr.withDefaults("CfhtIsrConfig", { doBias: false, overscan: { fitType: "POLY", order: 3 } });
    expect(Cfht.defaults().overscan).toEqual({ fitType: "POLY", order: 3 });
    expect(Isr.defaults().overscan.fitType).toBe("MEDIAN");
  });
});

describe("JSON round trip", () => {
  const finiteOrNot = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0));
  const arbConfig = fc.record({
    doBias: fc.boolean(),
    saturation: finiteOrNot,
    gain: fc.option(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { nil: null }),
    name: fc.stringMatching(/^[a-z]{1,8}$/),
    overscan: fc.record({ fitType: fc.constantFrom("MEDIAN" as const, "POLY" as const), order: fc.integer({ min: 0, max: 10 }) }),
    psf: fc.record({
      name: fc.constantFrom("psfex" as const, "pca" as const),
      psfex: fc.record({ spatialOrder: fc.integer({ min: 0, max: 1000 }) }),
      pca: fc.record({ nEigen: fc.integer({ min: 1, max: 100 }), kernelSize: fc.double({ min: 1e-3, max: 1e3, noNaN: true }) }),
    }),
    plugins: fc.record({
      names: fc.uniqueArray(fc.constantFrom("psfex" as const, "pca" as const)),
      psfex: fc.record({ spatialOrder: fc.integer({ min: 0, max: 5 }) }),
      pca: fc.record({ nEigen: fc.integer({ min: 1, max: 5 }), kernelSize: fc.constant(2) }),
    }),
    radii: fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 5 }),
    zeropoints: fc.dictionary(
      fc.string({ maxLength: 4 }).filter((k) => k !== "__proto__"),
      finiteOrNot,
      { maxKeys: 4 },
    ),
    nThreads: fc.integer({ min: 1, max: 64 }),
  });

  it("decode(JSON.parse(JSON.stringify(encode(c)))) equals c exactly, -0 and NaN included", () => {
    fc.assert(
      fc.property(arbConfig, (c) => {
        if (c.doBias === false && c.overscan.fitType === "POLY") c.doBias = true;
        Isr.validate(c);
        const text = JSON.stringify(Isr.toJSON(c as IsrConfig));
        const back = Isr.fromJSON(JSON.parse(text));
        expect(back).toEqual(c);
        expect(Object.is(back.saturation, c.saturation)).toBe(true);
        expect(JSON.stringify(Isr.toJSON(back))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a JSON config with a bad value, naming it", () => {
    expect(() => Isr.fromJSON({ overscan: { order: "x" } }, "provenance.json")).toThrow(
      /overscan.order = "x": must be an integer \(from provenance.json\)/,
    );
  });
});

describe("config show", () => {
  it("prints every leaf with its doc, units and type", () => {
    const text = formatConfig(Isr.describe(Isr.defaults(), "isr"));
    expect(text).toContain('# Saturation level [adu] (float)\nisr.saturation = "NaN"');
    expect(text).toContain("# Polynomial order (int >= 0, <= 10)\nisr.overscan.order = 1");
    expect(text).toContain('isr.psf.name = "psfex"');
    expect(text).toContain("# Kernel size [pixel] (float > 0)\nisr.psf.pca.kernelSize = 10.5");
    expect(text).toContain("isr.radii = [3,4.5,6]");
  });
});
