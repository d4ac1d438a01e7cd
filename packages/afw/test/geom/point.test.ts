import { describe, expect, it } from "vitest";
import { Extent2D, Extent2I, Point2D, Point2I } from "../../src/geom/index.js";
import { AfwError } from "../../src/image/errors.js";

describe("Point2I / Extent2I", () => {
  it("does point and extent algebra", () => {
    const p = new Point2I(3, -4);
    const e = new Extent2I(2, 5);
    expect(p.add(e).equals(new Point2I(5, 1))).toBe(true);
    expect(p.sub(e).equals(new Point2I(1, -9))).toBe(true);
    const d = new Point2I(5, 1).sub(p);
    expect(d).toBeInstanceOf(Extent2I);
    expect(d.equals(e)).toBe(true);
    expect(e.add(e).equals(e.scale(2))).toBe(true);
    expect(e.negate().toArray()).toEqual([-2, -5]);
    expect(p.toString()).toBe("Point2I(3, -4)");
    expect(e.toString()).toBe("Extent2I(2, 5)");
  });

  it("rejects non-integers and int32 overflow with typed errors", () => {
    expect(() => new Point2I(0.5, 0)).toThrow(AfwError);
    try {
      new Point2I(0, 2 ** 31);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AfwError);
      expect((e as AfwError).code).toBe("OVERFLOW");
      expect((e as AfwError).message).toContain("2147483648");
    }
    expect(() => new Extent2I(Number.NaN, 0)).toThrow(/integer/);
  });

  it("converts Point2D to the pixel containing it (floor(x + 0.5))", () => {
    expect(Point2I.fromPoint2D(new Point2D(0.49, -0.5)).toArray()).toEqual([0, 0]);
    expect(Point2I.fromPoint2D(new Point2D(0.5, -0.51)).toArray()).toEqual([1, -1]);
    expect(Point2I.fromPoint2D(new Point2D(-1.5, 2.4999)).toArray()).toEqual([-1, 2]);
  });
});

describe("Point2D / Extent2D", () => {
  it("does point and extent algebra", () => {
    const p = new Point2D(1.5, -2.25);
    const q = p.add(new Extent2D(0.5, 0.25));
    expect(q.toArray()).toEqual([2, -2]);
    const d = q.sub(p);
    expect(d).toBeInstanceOf(Extent2D);
    expect(d.toArray()).toEqual([0.5, 0.25]);
    expect(q.sub(new Extent2I(1, 1)).toArray()).toEqual([1, -3]);
    expect(new Point2D(0, 0).distanceTo(new Point2D(3, 4))).toBe(5);
    expect(new Extent2D(3, 4).norm()).toBe(5);
    expect(new Point2D(Number.NaN, 0).equals(new Point2D(Number.NaN, 0))).toBe(false);
    expect(new Point2I(2, 3).toPoint2D().equals(new Point2D(2, 3))).toBe(true);
  });
});
