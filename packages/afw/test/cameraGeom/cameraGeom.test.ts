import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AfwError, Amplifier, Box2I, Camera, Detector, formatIrafSection, Point2D, parseIrafSection } from "../../src/index.js";

describe("IRAF sections", () => {
  it("parses the MegaCam raw DATASEC (1-based inclusive -> 0-based)", () => {
    const s = parseIrafSection("[33:2080,1:4612]")!;
    expect([s.bbox.min.x, s.bbox.min.y, s.bbox.max.x, s.bbox.max.y]).toEqual([32, 0, 2079, 4611]);
    expect(s.bbox.width).toBe(2048);
    expect(s.flipX || s.flipY).toBe(false);
  });
  it("reads reversed axes of a mosaic DETSEC", () => {
    const s = parseIrafSection("[4160:2113,19351:14740]")!;
    expect(s.flipX && s.flipY).toBe(true);
    expect([s.bbox.min.x, s.bbox.max.x, s.bbox.min.y, s.bbox.max.y]).toEqual([2112, 4159, 14739, 19350]);
  });
  it("[0:0,0:0] means no section; garbage is a typed error naming the card", () => {
    expect(parseIrafSection("[0:0,0:0]")).toBeNull();
    expect(() => parseIrafSection("[1:2,3]", "BSECA")).toThrow(/BSECA/);
    expect(() => parseIrafSection("[0:5,1:4]")).toThrow(AfwError);
  });
  it("format/parse round-trip (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        fc.boolean(),
        (x, y, w, h, fx, fy) => {
          const b = Box2I.fromXYWH(x, y, w, h);
          const s = parseIrafSection(formatIrafSection(b, fx, fy))!;
          expect(s.bbox.equals(b)).toBe(true);
          expect(s.flipX).toBe(fx && w > 1);
          expect(s.flipY).toBe(fy && h > 1);
        },
      ),
    );
  });
});

function amp(name: string, x0: number, gain = 1.5): Amplifier {
  return new Amplifier({
    name,
    bbox: Box2I.fromXYWH(x0, 0, 10, 20),
    gain,
    readNoise: 4,
    saturation: 65535,
    rawBBox: Box2I.fromXYWH(x0 + (x0 ? 4 : 0), 0, 14, 24),
    rawDataBBox: Box2I.fromXYWH(x0 + 4, 0, 10, 20),
  });
}

describe("Amplifier / Detector / Camera", () => {
  it("rejects inconsistent amplifiers", () => {
    expect(() => amp("A", 0, 0)).toThrow(/gain/);
    expect(() => amp("A", 0).with({ rawDataBBox: Box2I.fromXYWH(0, 0, 9, 20) })).toThrow(/differs/);
  });
  it("finds amplifiers and rejects overlaps", () => {
    const d = new Detector({ name: "ccd00", id: 0, bbox: Box2I.fromXYWH(0, 0, 20, 20), amplifiers: [amp("A", 0), amp("B", 10)] });
    expect(d.amplifierAt(12, 3)?.name).toBe("B");
    expect(d.amplifier("A").gain).toBe(1.5);
    expect(() => d.amplifier("C")).toThrow(/no amplifier/);
    expect(
      () => new Detector({ name: "x", id: 1, bbox: Box2I.fromXYWH(0, 0, 20, 20), amplifiers: [amp("A", 0), amp("B", 5)] }),
    ).toThrow(/overlaps/);
  });
  it("maps pixels to the focal plane and back (rotated detector)", () => {
    const d = new Detector({
      name: "r",
      id: 0,
      bbox: Box2I.fromXYWH(0, 0, 20, 20),
      amplifiers: [amp("A", 0), amp("B", 10)],
      placement: { origin: new Point2D(10, -5), pixelSize: 0.0135, flipX: true, flipY: true },
    });
    const fp = d.pixelToFocalPlane(100, 200);
    expect(fp.x).toBeCloseTo(10 - 1.35, 12);
    expect(fp.y).toBeCloseTo(-5 - 2.7, 12);
    const back = d.focalPlaneToPixel(fp);
    expect(back.x).toBeCloseTo(100, 9);
    expect(back.y).toBeCloseTo(200, 9);
    expect(d.yawDeg).toBe(180);
  });
  it("camera lookups by id and name", () => {
    const mk = (i: number) =>
      new Detector({ name: `ccd${i}`, id: i, bbox: Box2I.fromXYWH(0, 0, 20, 20), amplifiers: [amp("A", 0)] });
    const c = new Camera("Test", [mk(2), mk(0), mk(1)]);
    expect(c.detectors.map((d) => d.id)).toEqual([0, 1, 2]);
    expect(c.get("ccd1").id).toBe(1);
    expect(c.get(2).name).toBe("ccd2");
    expect(() => c.get(7)).toThrow(/no detector/);
    expect(() => new Camera("T", [mk(0), mk(0)])).toThrow(/duplicate/);
  });
});
