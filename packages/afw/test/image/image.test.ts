import { describe, expect, it } from "vitest";
import { Box2I, Point2I } from "../../src/geom/index.js";
import { AfwError, Image } from "../../src/image/index.js";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AfwError) return e.code;
    throw e;
  }
  return undefined;
}

/** 5x4 float32 image at xy0 = (10, 20) with value 100·y + x (LOCAL). */
function ramp(): Image {
  const im = Image.make(5, 4, "float32", { xy0: new Point2I(10, 20) });
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) im.set(x, y, 100 * y + x);
  return im;
}

describe("Image construction", () => {
  it("allocates zeroed images of every dtype", () => {
    const cases = [
      ["float32", Float32Array],
      ["float64", Float64Array],
      ["int32", Int32Array],
      ["uint16", Uint16Array],
    ] as const;
    for (const [dtype, Ctor] of cases) {
      const im = Image.fromBBox(Box2I.fromXYWH(-3, 7, 4, 2), dtype);
      expect(im.dtype).toBe(dtype);
      expect(im.array).toBeInstanceOf(Ctor);
      expect(im.array.length).toBe(8);
      expect([...im.array].every((v) => v === 0)).toBe(true);
      expect(im.xy0.equals(new Point2I(-3, 7))).toBe(true);
      expect(im.bbox.equals(Box2I.fromXYWH(-3, 7, 4, 2))).toBe(true);
      expect(im.getBBox("LOCAL").equals(Box2I.fromXYWH(0, 0, 4, 2))).toBe(true);
      expect(im.stride).toBe(4);
      expect(im.isContiguous).toBe(true);
    }
    expect(Image.make(3, 2).dtype).toBe("float32");
  });

  it("wraps an existing array without copying", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const im = Image.fromArray(data, 3, 2);
    expect(im.array).toBe(data);
    data[4] = 42;
    expect(im.get(1, 1)).toBe(42);
    im.set(0, 0, -1);
    expect(data[0]).toBe(-1);
    // strided wrap: 2 columns out of a 3-wide buffer
    const s = new Image(data, 2, 2, { stride: 3 });
    expect(s.isContiguous).toBe(false);
    expect(s.get(1, 1)).toBe(42);
    expect(s.array.length).toBe(5);
  });

  it("rejects bad layouts with typed errors", () => {
    expect(codeOf(() => new Image(new Float32Array(5), 3, 2))).toBe("SIZE_MISMATCH");
    expect(codeOf(() => new Image(new Float32Array(6), 3, 2, { stride: 2 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => new Image(new Float32Array(6), -1, 2))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => new Image(new Int8Array(6) as unknown as Float32Array, 3, 2))).toBe("DTYPE_MISMATCH");
  });
});

describe("pixel access", () => {
  it("uses LOCAL by default and PARENT on request", () => {
    const im = ramp();
    expect(im.get(2, 3)).toBe(302);
    expect(im.get(12, 23, "PARENT")).toBe(302);
    im.set(10, 20, -5, "PARENT");
    expect(im.get(0, 0)).toBe(-5);
    expect(im.indexOf(4, 1)).toBe(9);
  });

  it("throws OUT_OF_BOUNDS naming the pixel and the box", () => {
    const im = ramp();
    expect(codeOf(() => im.get(5, 0))).toBe("OUT_OF_BOUNDS");
    expect(codeOf(() => im.get(2, 3, "PARENT"))).toBe("OUT_OF_BOUNDS");
    expect(codeOf(() => im.get(-1, 0))).toBe("OUT_OF_BOUNDS");
    expect(codeOf(() => im.get(0.5, 0))).toBe("OUT_OF_BOUNDS");
    expect(codeOf(() => im.set(0, 4, 1))).toBe("OUT_OF_BOUNDS");
    expect(() => im.get(9, 9, "PARENT")).toThrow(/pixel \(9, 9\) PARENT.*Box2I\(minimum=\(10, 20\), maximum=\(14, 23\)\)/);
  });

  it("gives row views that share memory", () => {
    const im = ramp();
    const r = im.row(2);
    expect([...r]).toEqual([200, 201, 202, 203, 204]);
    r[0] = 7;
    expect(im.get(0, 2)).toBe(7);
    expect([...im.row(21, "PARENT")]).toEqual([100, 101, 102, 103, 104]);
    expect(codeOf(() => im.row(4))).toBe("OUT_OF_BOUNDS");
    const rows = [...im.rows()].map((row) => row[1]);
    expect(rows).toEqual([1, 101, 201, 301]);
  });
});

describe("sub-images", () => {
  it("are views in PARENT coordinates sharing the buffer", () => {
    const im = ramp();
    const sub = im.subimage(Box2I.fromXYWH(11, 21, 3, 2));
    expect(sub.xy0.equals(new Point2I(11, 21))).toBe(true);
    expect(sub.width).toBe(3);
    expect(sub.height).toBe(2);
    expect(sub.stride).toBe(5);
    expect(sub.isContiguous).toBe(false);
    expect(sub.array.buffer).toBe(im.array.buffer);
    expect(sub.get(0, 0)).toBe(101);
    expect(sub.get(13, 22, "PARENT")).toBe(203);
    sub.set(12, 22, 999, "PARENT");
    expect(im.get(12, 22, "PARENT")).toBe(999);
    // nested views keep parent coordinates
    const subsub = sub.subimage(Box2I.fromXYWH(12, 22, 2, 1));
    expect(subsub.get(13, 22, "PARENT")).toBe(203);
    subsub.fill(-1);
    expect(im.get(12, 22, "PARENT")).toBe(-1);
    expect(im.get(14, 22, "PARENT")).toBe(204);
  });

  it("accept LOCAL boxes and reject boxes outside the image", () => {
    const im = ramp();
    const s = im.subimage(Box2I.fromXYWH(1, 1, 2, 2), "LOCAL");
    expect(s.xy0.equals(new Point2I(11, 21))).toBe(true);
    expect(s.get(0, 0)).toBe(101);
    expect(codeOf(() => im.subimage(Box2I.fromXYWH(0, 0, 2, 2)))).toBe("OUT_OF_BOUNDS");
    expect(codeOf(() => im.subimage(Box2I.fromXYWH(13, 20, 3, 1)))).toBe("OUT_OF_BOUNDS");
    expect(() => im.subimage(Box2I.fromXYWH(13, 20, 3, 1))).toThrow(/Box2I\(minimum=\(13, 20\), maximum=\(15, 20\)\)/);
    const e = im.subimage(Box2I.EMPTY);
    expect(e.width * e.height).toBe(0);
  });

  it("full-width row bands are contiguous", () => {
    const im = ramp();
    const band = im.subimage(Box2I.fromXYWH(10, 21, 5, 2));
    expect(band.isContiguous).toBe(true);
    expect(band.array.length).toBe(10);
    expect(band.toContiguous()).toBe(band);
  });

  it("clone is deep and contiguous; toContiguous copies only strided views", () => {
    const im = ramp();
    const sub = im.subimage(Box2I.fromXYWH(11, 21, 3, 2));
    const c = sub.clone();
    expect(c.isContiguous).toBe(true);
    expect(c.stride).toBe(3);
    expect(c.xy0.equals(sub.xy0)).toBe(true);
    expect([...c.array]).toEqual([101, 102, 103, 201, 202, 203]);
    c.set(0, 0, 0);
    expect(im.get(11, 21, "PARENT")).toBe(101);
    expect(sub.toContiguous()).not.toBe(sub);
    expect(im.toContiguous()).toBe(im);
  });
});

describe("fill and assign", () => {
  it("fill covers the whole image or a PARENT box", () => {
    const im = ramp();
    im.fill(3, Box2I.fromXYWH(13, 22, 2, 2));
    expect(im.get(3, 2)).toBe(3);
    expect(im.get(4, 3)).toBe(3);
    expect(im.get(2, 2)).toBe(202);
    im.fill(Number.NaN);
    expect([...im.array].every(Number.isNaN)).toBe(true);
  });

  it("assign copies pixels (also into a region), converting dtype", () => {
    const im = ramp();
    const dst = Image.make(3, 2, "int32");
    dst.assign(im.subimage(Box2I.fromXYWH(12, 22, 3, 2)));
    expect([...dst.array]).toEqual([202, 203, 204, 302, 303, 304]);
    const big = Image.make(5, 4, "float64", { xy0: new Point2I(10, 20) });
    big.assign(dst, Box2I.fromXYWH(11, 20, 3, 2));
    expect(big.get(11, 21, "PARENT")).toBe(302);
    expect(big.get(10, 20, "PARENT")).toBe(0);
    expect(codeOf(() => big.assign(dst))).toBe("SIZE_MISMATCH");
  });

  it("assign between overlapping views of one buffer is well defined", () => {
    const im = ramp();
    // shift rows 0..2 up by one row: rows 1..3 := old rows 0..2
    im.subimage(Box2I.fromXYWH(10, 21, 5, 3)).assign(im.subimage(Box2I.fromXYWH(10, 20, 5, 3)));
    expect([...im.row(3)]).toEqual([200, 201, 202, 203, 204]);
    expect([...im.row(1)]).toEqual([0, 1, 2, 3, 4]);
    expect([...im.row(0)]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("arithmetic", () => {
  it("works in place with scalars", () => {
    const im = Image.fromArray(new Float32Array([1, 2, 3, 4]), 2, 2);
    expect(im.add(1)).toBe(im);
    expect([...im.array]).toEqual([2, 3, 4, 5]);
    im.sub(2).mul(3).div(2);
    expect([...im.array]).toEqual([0, 1.5, 3, 4.5]);
  });

  it("works in place with images of the same size (xy0 ignored) and on strided views", () => {
    const a = ramp();
    const b = Image.make(3, 2, "float64");
    b.fill(2);
    const view = a.subimage(Box2I.fromXYWH(11, 21, 3, 2));
    view.add(b);
    expect(a.get(11, 21, "PARENT")).toBe(103);
    expect(a.get(10, 21, "PARENT")).toBe(100);
    view.mul(b);
    expect(a.get(13, 22, "PARENT")).toBe(410);
    view.sub(b).div(b);
    expect(a.get(13, 22, "PARENT")).toBe(204);
    expect(a.get(12, 21, "PARENT")).toBe(103); // ((102 + 2)·2 − 2)/2
    view.scaledPlus(10, b);
    expect(a.get(12, 21, "PARENT")).toBe(123);
    view.scaledMinus(10, b);
    expect(a.get(12, 21, "PARENT")).toBe(103);
    view.scaledMultiplies(0.5, b);
    expect(a.get(12, 21, "PARENT")).toBe(103);
    view.scaledDivides(2, b);
    expect(a.get(12, 21, "PARENT")).toBe(25.75);
    expect(a.get(14, 21, "PARENT")).toBe(104);
    expect(codeOf(() => view.add(a))).toBe("SIZE_MISMATCH");
  });

  it("keeps NaN and IEEE infinities in float images", () => {
    const im = Image.fromArray(new Float32Array([Number.NaN, 1, 0, -1]), 2, 2);
    im.add(1).mul(0);
    expect(Number.isNaN(im.array[0])).toBe(true);
    expect(im.array[1]).toBe(0);
    const d = Image.fromArray(new Float64Array([1, 0, -1, 2]), 2, 2);
    d.div(Image.fromArray(new Float64Array([0, 0, 0, 4]), 2, 2));
    expect([...d.array]).toEqual([Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY, 0.5]);
  });

  it("operating an image with itself (or an overlapping view) is well defined", () => {
    const im = Image.fromArray(new Float32Array([1, 2, 3, 4]), 2, 2);
    im.mul(im);
    expect([...im.array]).toEqual([1, 4, 9, 16]);
    const r = Image.fromArray(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2);
    // left two columns += right two columns of the same rows
    r.subimage(Box2I.fromXYWH(0, 0, 2, 2)).add(r.subimage(Box2I.fromXYWH(1, 0, 2, 2)));
    expect([...r.array]).toEqual([3, 5, 3, 9, 11, 6]);
  });

  it("stores integer results with typed-array coercion", () => {
    const im = Image.fromArray(new Int32Array([7, -7, 1, 0]), 2, 2);
    im.div(2);
    expect([...im.array]).toEqual([3, -3, 0, 0]);
    const u = Image.fromArray(new Uint16Array([65535, 0]), 2, 1);
    u.add(1);
    expect([...u.array]).toEqual([0, 1]);
  });
});

describe("convertTo", () => {
  it("float -> int truncates toward zero, clamps and maps NaN to 0", () => {
    const f = Image.fromArray(new Float32Array([1.7, -1.7, 70000, -5, Number.NaN, 3e9]), 3, 2, {
      xy0: new Point2I(4, 5),
    });
    const u = f.convertTo("uint16");
    expect(u.dtype).toBe("uint16");
    expect([...u.array]).toEqual([1, 0, 65535, 0, 0, 65535]);
    expect(u.xy0.equals(new Point2I(4, 5))).toBe(true);
    const i = f.convertTo("int32");
    expect([...i.array]).toEqual([1, -1, 70000, -5, 0, 2147483647]);
  });

  it("int -> float and float64 -> float32 convert values (strided source)", () => {
    const i = Image.fromArray(new Int32Array([1, 2, 3, 4, 5, 6]), 3, 2);
    const v = i.subimage(Box2I.fromXYWH(1, 0, 2, 2)).convertTo("float64");
    expect([...v.array]).toEqual([2, 3, 5, 6]);
    expect(v.isContiguous).toBe(true);
    const d = Image.fromArray(new Float64Array([0.1, Number.NaN]), 2, 1).convertTo("float32");
    expect(d.array[0]).toBe(Math.fround(0.1));
    expect(Number.isNaN(d.array[1])).toBe(true);
    const w = Image.fromArray(new Int32Array([-1, 70000]), 2, 1).convertTo("uint16");
    expect([...w.array]).toEqual([0, 65535]);
  });
});
