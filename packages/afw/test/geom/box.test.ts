import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Box2D, Box2I, Extent2D, Extent2I, Point2D, Point2I } from "../../src/geom/index.js";
import { AfwError } from "../../src/image/errors.js";

const box = (x0: number, y0: number, x1: number, y1: number) => new Box2I(x0, y0, x1, y1);

describe("Box2I", () => {
  it("is inclusive: width = max - min + 1", () => {
    const b = box(-3, 2, 4, 2);
    expect(b.width).toBe(8);
    expect(b.height).toBe(1);
    expect(b.area).toBe(8);
    expect(b.endX).toBe(5);
    expect(b.min.equals(new Point2I(-3, 2))).toBe(true);
    expect(b.max.equals(new Point2I(4, 2))).toBe(true);
    expect(b.dimensions.equals(new Extent2I(8, 1))).toBe(true);
    expect(b.center.equals(new Point2D(0.5, 2))).toBe(true);
    expect(b.toString()).toBe("Box2I(minimum=(-3, 2), maximum=(4, 2))");
  });

  it("has a single empty box", () => {
    const e = box(5, 5, 4, 9);
    expect(e.isEmpty()).toBe(true);
    expect(e.equals(Box2I.EMPTY)).toBe(true);
    expect([e.minX, e.minY, e.maxX, e.maxY]).toEqual([0, 0, -1, -1]);
    expect(e.width).toBe(0);
    expect(e.height).toBe(0);
    expect(e.area).toBe(0);
    expect(Box2I.fromMinSize(new Point2I(3, 3), new Extent2I(0, 5)).isEmpty()).toBe(true);
    expect(Box2I.fromXYWH(3, 3, 4, -1).isEmpty()).toBe(true);
    expect(e.toString()).toBe("Box2I(empty)");
    expect(e.corners()).toEqual([]);
    expect(e.center.x).toBeNaN();
  });

  it("builds from corners in any order, min+size, and centred", () => {
    const b = Box2I.fromCorners(new Point2I(4, -1), new Point2I(-2, 3));
    expect(b.equals(box(-2, -1, 4, 3))).toBe(true);
    expect(Box2I.fromMinMax(new Point2I(4, -1), new Point2I(-2, 3)).isEmpty()).toBe(true);
    expect(Box2I.fromMinSize(new Point2I(-2, -1), new Extent2I(7, 5)).equals(b)).toBe(true);
    expect(Box2I.makeCentered(new Point2D(0, 0), new Extent2I(3, 3)).equals(box(-1, -1, 1, 1))).toBe(true);
    expect(Box2I.makeCentered(new Point2D(0, 0), new Extent2I(2, 2)).equals(box(0, 0, 1, 1))).toBe(true);
    expect(Box2I.makeCentered(new Point2D(10.2, -3.7), new Extent2I(5, 4)).equals(box(8, -5, 12, -2))).toBe(true);
  });

  it("handles single-pixel boxes", () => {
    const p = box(-7, -7, -7, -7);
    expect(p.area).toBe(1);
    expect(p.contains(new Point2I(-7, -7))).toBe(true);
    expect(p.contains(new Point2I(-6, -7))).toBe(false);
    expect(p.overlaps(p)).toBe(true);
    expect(p.intersection(p).equals(p)).toBe(true);
    expect(p.erodedBy(1).isEmpty()).toBe(true);
    expect(p.dilatedBy(1).equals(box(-8, -8, -6, -6))).toBe(true);
    expect(p.toBox2D().equals(new Box2D(-7.5, -7.5, -6.5, -6.5))).toBe(true);
  });

  it("contains points and boxes; the empty box is in every box", () => {
    const b = box(-2, -2, 2, 2);
    expect(b.contains(new Point2I(2, -2))).toBe(true);
    expect(b.contains(new Point2I(3, 0))).toBe(false);
    expect(b.contains(box(-2, -2, 2, 2))).toBe(true);
    expect(b.contains(box(-2, -2, 3, 2))).toBe(false);
    expect(b.contains(Box2I.EMPTY)).toBe(true);
    expect(Box2I.EMPTY.contains(Box2I.EMPTY)).toBe(true);
    expect(Box2I.EMPTY.contains(new Point2I(0, 0))).toBe(false);
    expect(Box2I.EMPTY.contains(b)).toBe(false);
  });

  it("overlaps / intersects, with edge and empty cases", () => {
    const a = box(0, 0, 9, 9);
    expect(a.overlaps(box(9, 9, 20, 20))).toBe(true); // share pixel (9,9)
    expect(a.overlaps(box(10, 0, 20, 9))).toBe(false); // adjacent, no common pixel
    expect(a.intersection(box(9, -5, 20, 3)).equals(box(9, 0, 9, 3))).toBe(true);
    expect(a.clippedTo(box(10, 0, 20, 9)).isEmpty()).toBe(true);
    expect(a.overlaps(Box2I.EMPTY)).toBe(false);
    expect(a.intersection(Box2I.EMPTY).isEmpty()).toBe(true);
    expect(
      box(-5, -5, -1, -1)
        .intersection(box(-3, -10, 4, -4))
        .equals(box(-3, -5, -1, -4)),
    ).toBe(true);
  });

  it("expands, dilates, erodes and shifts", () => {
    const a = box(0, 0, 2, 2);
    expect(a.expandedTo(new Point2I(-1, 5)).equals(box(-1, 0, 2, 5))).toBe(true);
    expect(Box2I.EMPTY.expandedTo(new Point2I(-4, 7)).equals(box(-4, 7, -4, 7))).toBe(true);
    expect(a.expandedTo(Box2I.EMPTY).equals(a)).toBe(true);
    expect(Box2I.EMPTY.expandedTo(a).equals(a)).toBe(true);
    expect(a.expandedTo(box(5, -3, 6, -2)).equals(box(0, -3, 6, 2))).toBe(true);
    expect(a.dilatedBy(new Extent2I(1, 0)).equals(box(-1, 0, 3, 2))).toBe(true);
    expect(a.erodedBy(1).equals(box(1, 1, 1, 1))).toBe(true);
    expect(a.erodedBy(2).isEmpty()).toBe(true);
    expect(a.dilatedBy(-2).isEmpty()).toBe(true);
    expect(Box2I.EMPTY.dilatedBy(3).isEmpty()).toBe(true);
    expect(a.shiftedBy(new Extent2I(-10, 3)).equals(box(-10, 3, -8, 5))).toBe(true);
    expect(Box2I.EMPTY.shiftedBy(new Extent2I(5, 5)).isEmpty()).toBe(true);
  });

  it("converts to and from Box2D with the pixel convention", () => {
    const b = box(-1, 2, 3, 2);
    const d = b.toBox2D();
    expect([d.minX, d.minY, d.maxX, d.maxY]).toEqual([-1.5, 1.5, 3.5, 2.5]);
    expect(Box2I.fromBox2D(d).equals(b)).toBe(true);
    expect(Box2I.fromBox2D(d, "SHRINK").equals(b)).toBe(true);
    const f = new Box2D(0.2, -0.7, 1.7, 0.1);
    // EXPAND: every pixel touched. x: [0.2, 1.7] touches 0, 1, 2; y: [-0.7, 0.1] touches -1, 0
    expect(Box2I.fromBox2D(f, "EXPAND").equals(box(0, -1, 2, 0))).toBe(true);
    // SHRINK: pixels wholly inside. x: only pixel 1 ([0.5, 1.5]); y: none
    expect(Box2I.fromBox2D(f, "SHRINK").isEmpty()).toBe(true);
    expect(Box2I.fromBox2D(new Box2D(0.2, -0.7, 1.7, 1.6), "SHRINK").equals(box(1, 0, 1, 1))).toBe(true);
    // a max exactly on a pixel boundary does not pull in the next pixel
    expect(Box2I.fromBox2D(new Box2D(-0.5, -0.5, 1.5, 0.5)).equals(box(0, 0, 1, 0))).toBe(true);
    expect(Box2I.fromBox2D(Box2D.EMPTY).isEmpty()).toBe(true);
    expect(Box2D.fromBox2I(Box2I.EMPTY).isEmpty()).toBe(true);
    expect(() => Box2I.fromBox2D(new Box2D(0, 0, Number.POSITIVE_INFINITY, 1))).toThrow(AfwError);
  });

  it("rejects out-of-range coordinates and sizes", () => {
    expect(() => box(0, 0, 0.5, 1)).toThrow(AfwError);
    try {
      box(-(2 ** 31), 0, 2 ** 31 - 1, 0);
      expect.unreachable();
    } catch (e) {
      expect((e as AfwError).code).toBe("OVERFLOW");
    }
  });

  const arbBox = fc
    .tuple(
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: -5, max: 30 }),
      fc.integer({ min: -5, max: 30 }),
    )
    .map(([x, y, w, h]) => Box2I.fromXYWH(x, y, w, h));

  it("property: intersection is commutative and contained in both", () => {
    fc.assert(
      fc.property(arbBox, arbBox, (a, b) => {
        const i = a.intersection(b);
        expect(i.equals(b.intersection(a))).toBe(true);
        expect(a.contains(i)).toBe(true);
        expect(b.contains(i)).toBe(true);
        expect(i.isEmpty()).toBe(!a.overlaps(b));
      }),
    );
  });

  it("property: a pixel is in the intersection iff it is in both boxes; union box contains both", () => {
    fc.assert(
      fc.property(arbBox, arbBox, fc.integer({ min: -60, max: 90 }), fc.integer({ min: -60, max: 90 }), (a, b, x, y) => {
        const p = new Point2I(x, y);
        expect(a.intersection(b).contains(p)).toBe(a.contains(p) && b.contains(p));
        const u = a.expandedTo(b);
        expect(u.contains(a) && u.contains(b)).toBe(true);
        expect(u.area).toBeGreaterThanOrEqual(Math.max(a.area, b.area));
      }),
    );
  });

  it("property: Box2I -> Box2D -> Box2I round-trips for both edge handlings", () => {
    fc.assert(
      fc.property(arbBox, (a) => {
        expect(Box2I.fromBox2D(a.toBox2D(), "EXPAND").equals(a)).toBe(true);
        expect(Box2I.fromBox2D(a.toBox2D(), "SHRINK").equals(a)).toBe(true);
      }),
    );
  });
});

describe("Box2D", () => {
  it("has half-open point containment and NaN empty box", () => {
    const d = new Box2D(-0.5, -0.5, 1.5, 0.5);
    expect(d.width).toBe(2);
    expect(d.height).toBe(1);
    expect(d.area).toBe(2);
    expect(d.center.equals(new Point2D(0.5, 0))).toBe(true);
    expect(d.contains(new Point2D(-0.5, -0.5))).toBe(true);
    expect(d.contains(new Point2D(1.5, 0))).toBe(false);
    expect(d.contains(new Point2I(1, 0))).toBe(true);
    expect(new Box2D(0, 0, 0, 1).isEmpty()).toBe(true);
    expect(new Box2D(0, 0, Number.NaN, 1).isEmpty()).toBe(true);
    expect(Box2D.EMPTY.width).toBe(0);
    expect(Box2D.EMPTY.equals(new Box2D(3, 3, 1, 1))).toBe(true);
    expect(Box2D.fromCorners(new Point2D(2, -1), new Point2D(-1, 2)).equals(new Box2D(-1, -1, 2, 2))).toBe(true);
    expect(Box2D.makeCentered(new Point2D(1, 1), new Extent2D(2, 4)).equals(new Box2D(0, -1, 2, 3))).toBe(true);
  });

  it("overlaps only with interior intersection", () => {
    const a = new Box2D(0, 0, 1, 1);
    expect(a.overlaps(new Box2D(1, 0, 2, 1))).toBe(false);
    expect(a.overlaps(new Box2D(0.999, 0.5, 2, 1))).toBe(true);
    expect(a.intersection(new Box2D(0.5, -1, 3, 0.25)).equals(new Box2D(0.5, 0, 1, 0.25))).toBe(true);
    expect(a.intersection(new Box2D(1, 0, 2, 1)).isEmpty()).toBe(true);
    expect(a.contains(Box2D.EMPTY)).toBe(true);
  });

  it("expandedTo a point makes contains() true, even on the max edge", () => {
    const a = new Box2D(0, 0, 1, 1);
    const b = a.expandedTo(new Point2D(1, 3));
    expect(b.contains(new Point2D(1, 3))).toBe(true);
    expect(b.minX).toBe(0);
    expect(b.maxY).toBeGreaterThan(3);
    expect(b.maxY - 3).toBeLessThan(1e-15);
    const e = Box2D.EMPTY.expandedTo(new Point2D(-2, 5));
    expect(e.isEmpty()).toBe(false);
    expect(e.contains(new Point2D(-2, 5))).toBe(true);
    expect(a.expandedTo(new Box2D(-1, 0.5, 0.5, 2)).equals(new Box2D(-1, 0, 1, 2))).toBe(true);
  });

  it("dilates, erodes, shifts", () => {
    const a = new Box2D(0, 0, 2, 2);
    expect(a.dilatedBy(0.5).equals(new Box2D(-0.5, -0.5, 2.5, 2.5))).toBe(true);
    expect(a.erodedBy(1).isEmpty()).toBe(true);
    expect(a.erodedBy(new Extent2D(0.5, 0.25)).equals(new Box2D(0.5, 0.25, 1.5, 1.75))).toBe(true);
    expect(a.shiftedBy(new Extent2D(-1, 1)).equals(new Box2D(-1, 1, 1, 3))).toBe(true);
  });
});
