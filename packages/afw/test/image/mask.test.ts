import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Box2I, Point2I } from "../../src/geom/index.js";
import { AfwError, DEFAULT_MASK_PLANES, Mask, MaskPlaneDict } from "../../src/image/index.js";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AfwError) return e.code;
    throw e;
  }
  return undefined;
}

describe("MaskPlaneDict", () => {
  it("starts with the 11 LSST default planes", () => {
    const d = new MaskPlaneDict();
    expect(d.toMap()).toEqual(
      new Map([
        ["BAD", 0],
        ["SAT", 1],
        ["INTRP", 2],
        ["CR", 3],
        ["EDGE", 4],
        ["DETECTED", 5],
        ["DETECTED_NEGATIVE", 6],
        ["SUSPECT", 7],
        ["NO_DATA", 8],
        ["VIGNETTED", 9],
        ["STREAK", 10],
      ]),
    );
    expect(DEFAULT_MASK_PLANES.length).toBe(11);
    expect(d.getDoc("SAT")).toMatch(/saturated/);
    expect(MaskPlaneDict.getDefault()).toBe(MaskPlaneDict.getDefault());
  });

  it("adds planes on the first unused bit, reusing existing names", () => {
    const d = new MaskPlaneDict();
    expect(d.add("CLIPPED")).toBe(11);
    expect(d.add("CLIPPED")).toBe(11);
    d.remove("INTRP");
    expect(d.add("SENSOR_EDGE")).toBe(2);
    expect(d.add("INJECTED")).toBe(12);
  });

  it("fails with MASK_PLANES_FULL once 32 planes are in use", () => {
    const d = new MaskPlaneDict();
    for (let i = 11; i < 32; i++) expect(d.add(`P${i}`)).toBe(i);
    expect(d.size).toBe(32);
    expect(codeOf(() => d.add("ONE_TOO_MANY"))).toBe("MASK_PLANES_FULL");
    expect(() => d.add("ONE_TOO_MANY")).toThrow(/ONE_TOO_MANY.*32/);
    expect(d.add("BAD")).toBe(0); // existing names still resolve
  });

  it("computes bit masks and interprets values", () => {
    const d = new MaskPlaneDict();
    expect(d.getPlaneBitMask("DETECTED")).toBe(32);
    expect(d.getPlaneBitMask(["BAD", "SAT", "NO_DATA"])).toBe(1 + 2 + 256);
    expect(d.interpret(1 + 8 + 1024)).toEqual(["BAD", "CR", "STREAK"]);
    expect(d.interpret(1 << 20)).toEqual([]);
    expect(codeOf(() => d.getPlaneBitMask("NOPE"))).toBe("MASK_PLANE_NOT_FOUND");
    expect(() => d.getBit("NOPE")).toThrow(/"NOPE".*BAD, SAT/);
    const full = new MaskPlaneDict([["TOP", 31]]);
    expect(full.getPlaneBitMask("TOP")).toBe(-2147483648);
    expect(full.interpret(-2147483648)).toEqual(["TOP"]);
  });

  it("validates explicit dictionaries", () => {
    expect(codeOf(() => new MaskPlaneDict([["A", 32]]))).toBe("INVALID_ARGUMENT");
    expect(
      codeOf(
        () =>
          new MaskPlaneDict([
            ["A", 1],
            ["B", 1],
          ]),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => new MaskPlaneDict([["", 1]]))).toBe("INVALID_ARGUMENT");
  });

  it("compares dictionaries", () => {
    const a = new MaskPlaneDict();
    const b = a.clone();
    expect(a.equals(b)).toBe(true);
    b.add("EXTRA");
    expect(a.equals(b)).toBe(false);
    expect(a.isCompatibleWith(b)).toBe(true);
    const c = new MaskPlaneDict([["BAD", 1]]);
    expect(a.isCompatibleWith(c)).toBe(false);
    const e = new MaskPlaneDict([["OTHER", 0]]);
    expect(a.isCompatibleWith(e)).toBe(false);
  });
});

describe("Mask", () => {
  it("shares the default dictionary across masks unless given one", () => {
    const m1 = Mask.make(2, 2);
    const m2 = Mask.make(3, 3);
    expect(m1.planeDict).toBe(MaskPlaneDict.getDefault());
    const bit = m1.addMaskPlane("TEST_SHARED_PLANE");
    expect(m2.getMaskPlane("TEST_SHARED_PLANE")).toBe(bit);
    const own = new MaskPlaneDict();
    const m3 = Mask.make(1, 1, { planeDict: own });
    expect(m3.planeDict.has("TEST_SHARED_PLANE")).toBe(false);
  });

  it("sets and clears planes over PARENT boxes", () => {
    const m = Mask.make(4, 3, { xy0: new Point2I(-2, 5), planeDict: new MaskPlaneDict() });
    m.setMaskPlane("SAT", Box2I.fromXYWH(-1, 6, 2, 2));
    m.setMaskPlane(["BAD", "CR"]);
    expect(m.get(0, 0)).toBe(1 + 8);
    expect(m.get(-1, 6, "PARENT")).toBe(1 + 2 + 8);
    expect(m.get(0, 7, "PARENT")).toBe(1 + 2 + 8);
    expect(m.get(1, 7, "PARENT")).toBe(1 + 8);
    expect(m.countBits(m.getPlaneBitMask("SAT"))).toBe(4);
    m.clearMaskPlane("BAD", Box2I.fromXYWH(-2, 5, 1, 1));
    expect(m.get(0, 0)).toBe(8);
    expect(m.interpretMask(m.get(-1, 6, "PARENT"))).toEqual(["BAD", "SAT", "CR"]);
    m.clearAllMaskPlanes();
    expect(m.countBits(-1)).toBe(0);
    expect(codeOf(() => m.setMaskPlane("SAT", Box2I.fromXYWH(0, 0, 1, 1)))).toBe("OUT_OF_BOUNDS");
  });

  it("sub-masks are views sharing memory and dictionary", () => {
    const m = Mask.make(4, 4, { planeDict: new MaskPlaneDict() });
    const s = m.subimage(Box2I.fromXYWH(1, 1, 2, 2));
    expect(s.planeDict).toBe(m.planeDict);
    s.setMaskPlane("EDGE");
    expect(m.get(1, 1)).toBe(16);
    expect(m.get(0, 0)).toBe(0);
    expect(m.countBits(16)).toBe(4);
    const c = s.clone();
    expect(c.planeDict).toBe(m.planeDict);
    c.clearAllMaskPlanes();
    expect(m.get(2, 2)).toBe(16);
  });

  it("removeAndClearMaskPlane is copy-on-write unless asked to remove from the shared dictionary", () => {
    const dict = new MaskPlaneDict();
    const a = Mask.make(2, 1, { planeDict: dict });
    const b = Mask.make(2, 1, { planeDict: dict });
    a.setMaskPlane(["CR", "SAT"]);
    b.setMaskPlane("CR");
    a.removeAndClearMaskPlane("CR");
    expect(a.get(0, 0)).toBe(2);
    expect(a.planeDict).not.toBe(dict);
    expect(a.planeDict.has("CR")).toBe(false);
    expect(b.planeDict.has("CR")).toBe(true);
    expect(b.get(0, 0)).toBe(8);
    b.removeAndClearMaskPlane("CR", true);
    expect(dict.has("CR")).toBe(false);
    expect(b.get(1, 0)).toBe(0);
    expect(codeOf(() => b.removeAndClearMaskPlane("CR"))).toBe("MASK_PLANE_NOT_FOUND");
  });

  it("combines masks bitwise and checks dictionaries", () => {
    const dict = new MaskPlaneDict();
    const a = Mask.fromArray(new Int32Array([1, 2, 3, 0]), 2, 2, { planeDict: dict });
    const b = Mask.fromArray(new Int32Array([2, 2, 1, 8]), 2, 2, { planeDict: dict });
    expect([...a.clone().or(b).array]).toEqual([3, 2, 3, 8]);
    expect([...a.clone().and(b).array]).toEqual([0, 2, 1, 0]);
    expect([...a.clone().xor(b).array]).toEqual([3, 0, 2, 8]);
    expect([...a.clone().and(1).array]).toEqual([1, 0, 1, 0]);
    const other = Mask.fromArray(new Int32Array(4), 2, 2, { planeDict: new MaskPlaneDict([["BAD", 5]]) });
    expect(codeOf(() => a.or(other))).toBe("MASK_DICT_MISMATCH");
    expect(codeOf(() => a.or(Mask.make(1, 1, { planeDict: dict })))).toBe("SIZE_MISMATCH");
  });
});

describe("Mask.conform (FITS MP_ cards)", () => {
  it("remaps bits by name, adds missing planes and drops unnamed bits", () => {
    const target = new MaskPlaneDict();
    const fileDict = new Map([
      ["BAD", 0],
      ["CR", 1],
      ["SAT", 3],
      ["FOO", 5],
      ["BAR", 20],
    ]);
    const all = 1 | 2 | 8 | 32 | (1 << 20) | 4 | (1 << 31);
    const px = new Int32Array([0, 1, 2, 8, 32, 1 << 20, 4, all]);
    const r = Mask.conform(px, fileDict, target);
    expect([...px]).toEqual([0, 1, 8, 2, 2048, 4096, 0, 1 | 8 | 2 | 2048 | 4096]);
    expect(r.remapped).toBe(true);
    expect(r.addedPlanes).toEqual(["FOO", "BAR"]);
    expect(r.droppedBits).toBe(4 | (1 << 31));
    expect(target.get("FOO")).toBe(11);
    expect(target.get("BAR")).toBe(12);
  });

  it("leaves identical layouts alone apart from unnamed bits", () => {
    const target = new MaskPlaneDict();
    const px = new Int32Array([1, 2 | 4096, 1024]);
    const r = Mask.conform(px, target.toMap(), target);
    expect(r).toEqual({ remapped: false, droppedBits: 4096, addedPlanes: [] });
    expect([...px]).toEqual([1, 2, 1024]);
  });

  it("treats an empty file dictionary as 'no information'", () => {
    const px = new Int32Array([5, 1 << 30]);
    const r = Mask.conform(px, new Map(), new MaskPlaneDict());
    expect(r.remapped).toBe(false);
    expect([...px]).toEqual([5, 1 << 30]);
  });

  it("rejects bad file dictionaries and overflowing targets", () => {
    expect(codeOf(() => Mask.conform(new Int32Array(1), new Map([["A", 40]]), new MaskPlaneDict()))).toBe("INVALID_ARGUMENT");
    const fileDict = new Map(Array.from({ length: 22 }, (_, i) => [`NEW${i}`, i] as [string, number]));
    expect(codeOf(() => Mask.conform(new Int32Array(1), fileDict, new MaskPlaneDict()))).toBe("MASK_PLANES_FULL");
  });

  it("works on strided views and via conformTo", () => {
    const fileDict = new MaskPlaneDict([
      ["SAT", 0],
      ["BAD", 1],
    ]);
    const m = Mask.fromArray(new Int32Array([1, 2, 3, 1, 2, 3]), 3, 2, { planeDict: fileDict });
    const view = m.subimage(Box2I.fromXYWH(1, 0, 2, 2));
    Mask.conform(view, fileDict.toMap(), new MaskPlaneDict());
    expect([...m.array]).toEqual([1, 1, 3, 1, 1, 3]);
    const n = Mask.fromArray(new Int32Array([1, 2, 3]), 3, 1, { planeDict: fileDict.clone() });
    const target = new MaskPlaneDict();
    n.conformTo(target);
    expect(n.planeDict).toBe(target);
    expect([...n.array]).toEqual([2, 1, 3]);
    expect(n.interpretMask(n.get(0, 0))).toEqual(["SAT"]);
  });

  it("property: plane names of every pixel survive conforming from a random layout", () => {
    const names = DEFAULT_MASK_PLANES.map((p) => p[0]).concat(["CLIPPED", "INJECTED", "CROSSTALK"]);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 32 }, (_, i) => i),
          { minLength: names.length, maxLength: names.length },
        ),
        fc.array(fc.integer(), { minLength: 1, maxLength: 40 }),
        (bits, values) => {
          const fileDict = new MaskPlaneDict(names.map((n, i) => [n, bits[i] as number] as [string, number]));
          const target = new MaskPlaneDict();
          const px = Int32Array.from(values);
          const before = [...px].map((v) => fileDict.interpret(v));
          Mask.conform(px, fileDict.toMap(), target);
          const after = [...px].map((v) => target.interpret(v));
          expect(after.map((a) => a.sort())).toEqual(before.map((b) => b.sort()));
          // nothing outside the named target planes survives
          const defined = target.definedBits();
          for (const v of px) expect(v & ~defined).toBe(0);
        },
      ),
    );
  });
});
