import { describe, expect, it } from "vitest";
import { Box2I, Point2I } from "../../src/geom/index.js";
import { AfwError, Image, Mask, MaskedImage, MaskPlaneDict } from "../../src/image/index.js";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AfwError) return e.code;
    throw e;
  }
  return undefined;
}

const dict = new MaskPlaneDict();

/** 1x1 masked image with the given image, mask and variance values. */
function px(image: number, mask: number, variance: number): MaskedImage {
  const mi = MaskedImage.make(1, 1, "float32", { planeDict: dict });
  mi.set(0, 0, { image, mask, variance });
  return mi;
}

const A = () => px(4, 1, 1); // a = 4, BAD, var 1
const B = () => px(2, 2, 0.5); // b = 2, SAT, var 0.5

describe("MaskedImage arithmetic (hand-computed, afw rules)", () => {
  it("+= / -= MaskedImage add variances and OR masks", () => {
    expect(A().add(B()).get(0, 0)).toEqual({ image: 6, mask: 3, variance: 1.5 });
    expect(A().sub(B()).get(0, 0)).toEqual({ image: 2, mask: 3, variance: 1.5 });
  });

  it("*= / /= scalar scale the variance by c² and 1/c²", () => {
    expect(A().mul(3).get(0, 0)).toEqual({ image: 12, mask: 1, variance: 9 });
    expect(A().div(2).get(0, 0)).toEqual({ image: 2, mask: 1, variance: 0.25 });
    expect(A().mul(-0.5).get(0, 0)).toEqual({ image: -2, mask: 1, variance: 0.25 });
    expect(A().add(1.5).get(0, 0)).toEqual({ image: 5.5, mask: 1, variance: 1 });
    expect(A().sub(1).get(0, 0)).toEqual({ image: 3, mask: 1, variance: 1 });
  });

  it("MI * MI: var = a²·v_b + b²·v_a", () => {
    // 16·0.5 + 4·1 = 12
    expect(A().mul(B()).get(0, 0)).toEqual({ image: 8, mask: 3, variance: 12 });
  });

  it("MI / MI: var = (v_a + a²/b²·v_b) / b²", () => {
    // (1 + 16/4·0.5) / 4 = 0.75
    expect(A().div(B()).get(0, 0)).toEqual({ image: 2, mask: 3, variance: 0.75 });
  });

  it("scaled variants", () => {
    // 4 + 2·2, 1 + 4·0.5
    expect(A().scaledPlus(2, B()).get(0, 0)).toEqual({ image: 8, mask: 3, variance: 3 });
    expect(A().scaledMinus(2, B()).get(0, 0)).toEqual({ image: 0, mask: 3, variance: 3 });
    // 4·(3·2), 9·(16·0.5 + 4·1)
    expect(A().scaledMultiplies(3, B()).get(0, 0)).toEqual({ image: 24, mask: 3, variance: 108 });
    // 4/(2·2), (1 + 16/4·0.5)/(4·4)
    expect(A().scaledDivides(2, B()).get(0, 0)).toEqual({ image: 1, mask: 3, variance: 0.1875 });
  });

  it("plain Image operands have no variance or mask", () => {
    const b = Image.fromArray(new Float64Array([2]), 1, 1);
    expect(A().add(b).get(0, 0)).toEqual({ image: 6, mask: 1, variance: 1 });
    expect(A().sub(b).get(0, 0)).toEqual({ image: 2, mask: 1, variance: 1 });
    expect(A().mul(b).get(0, 0)).toEqual({ image: 8, mask: 1, variance: 4 });
    expect(A().div(b).get(0, 0)).toEqual({ image: 2, mask: 1, variance: 0.25 });
  });

  it("NaN stays NaN (never becomes 0)", () => {
    const n = () => px(Number.NaN, 0, 1);
    const s = n().add(B()).get(0, 0);
    expect(s.image).toBeNaN();
    expect(s.variance).toBe(1.5);
    const m = n().mul(B()).get(0, 0);
    expect(m.image).toBeNaN();
    expect(m.variance).toBeNaN(); // a² · v_b
    const d = A().div(n()).get(0, 0);
    expect(d.image).toBeNaN();
    expect(d.variance).toBeNaN();
    const v = px(1, 0, Number.NaN).mul(2).get(0, 0);
    expect(v).toEqual({ image: 2, mask: 0, variance: Number.NaN });
    const q = n().div(2).get(0, 0);
    expect(q.image).toBeNaN();
    expect(q.variance).toBe(0.25);
  });

  it("operating with itself uses the old values", () => {
    const a = A();
    a.mul(a); // image 16, var 16·1 + 16·1
    expect(a.get(0, 0)).toEqual({ image: 16, mask: 1, variance: 32 });
    const b = A();
    b.add(b);
    expect(b.get(0, 0)).toEqual({ image: 8, mask: 1, variance: 2 });
  });

  it("rounds variance once in float32 for scalar multiply", () => {
    const a = px(1, 0, 0.1);
    a.mul(3);
    expect(a.variance.array[0]).toBe(Math.fround(Math.fround(0.1) * 9));
  });
});

describe("MaskedImage geometry", () => {
  it("creates zeroed planes sharing bbox and xy0", () => {
    const mi = MaskedImage.fromBBox(Box2I.fromXYWH(5, -3, 4, 2), "float64");
    expect(mi.dtype).toBe("float64");
    expect(mi.variance.dtype).toBe("float32");
    expect(mi.mask.dtype).toBe("int32");
    expect(mi.bbox.equals(Box2I.fromXYWH(5, -3, 4, 2))).toBe(true);
    expect(mi.mask.xy0.equals(new Point2I(5, -3))).toBe(true);
    expect(mi.variance.xy0.equals(new Point2I(5, -3))).toBe(true);
    expect(mi.mask.planeDict).toBe(MaskPlaneDict.getDefault());
  });

  it("fills in a missing mask or variance and validates planes", () => {
    const im = Image.make(3, 2, "float32", { xy0: new Point2I(1, 1) });
    const mi = new MaskedImage(im);
    expect(mi.mask.xy0.equals(new Point2I(1, 1))).toBe(true);
    expect(mi.variance.width).toBe(3);
    expect(codeOf(() => new MaskedImage(im, Mask.make(2, 2)))).toBe("SIZE_MISMATCH");
    expect(codeOf(() => new MaskedImage(im, Mask.make(3, 2)))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => new MaskedImage(im, undefined, Image.make(3, 2, "float64", { xy0: new Point2I(1, 1) }) as never))).toBe(
      "DTYPE_MISMATCH",
    );
  });

  it("sub-images are views of all three planes in PARENT coordinates", () => {
    const mi = MaskedImage.make(4, 3, "float32", { xy0: new Point2I(100, 200), planeDict: dict });
    mi.fill(1, 0, 1);
    const sub = mi.subimage(Box2I.fromXYWH(101, 201, 2, 2));
    expect(sub.xy0.equals(new Point2I(101, 201))).toBe(true);
    expect(sub.mask.array.buffer).toBe(mi.mask.array.buffer);
    expect(sub.variance.array.buffer).toBe(mi.variance.array.buffer);
    const other = MaskedImage.make(2, 2, "float32", { planeDict: dict });
    other.fill(2, 4, 0.5);
    sub.mul(other); // image 1·2, var 1·0.5 + 4·1
    expect(mi.get(101, 201, "PARENT")).toEqual({ image: 2, mask: 4, variance: 4.5 });
    expect(mi.get(102, 202, "PARENT")).toEqual({ image: 2, mask: 4, variance: 4.5 });
    expect(mi.get(100, 200, "PARENT")).toEqual({ image: 1, mask: 0, variance: 1 });
    expect(mi.get(103, 201, "PARENT")).toEqual({ image: 1, mask: 0, variance: 1 });
    expect(codeOf(() => mi.subimage(Box2I.fromXYWH(99, 200, 2, 2)))).toBe("OUT_OF_BOUNDS");
  });

  it("clone is deep; assign copies all planes", () => {
    const a = A();
    const c = a.clone();
    c.mul(10);
    expect(a.get(0, 0)).toEqual({ image: 4, mask: 1, variance: 1 });
    expect(c.mask.planeDict).toBe(a.mask.planeDict);
    const big = MaskedImage.make(3, 3, "float32", { planeDict: dict });
    big.assign(a, Box2I.fromXYWH(1, 1, 1, 1));
    expect(big.get(1, 1)).toEqual({ image: 4, mask: 1, variance: 1 });
    expect(big.get(0, 0)).toEqual({ image: 0, mask: 0, variance: 0 });
  });

  it("rejects mismatched operands before changing anything", () => {
    const a = A();
    const alien = MaskedImage.make(1, 1, "float32", { planeDict: new MaskPlaneDict([["BAD", 7]]) });
    expect(codeOf(() => a.add(alien))).toBe("MASK_DICT_MISMATCH");
    expect(codeOf(() => a.mul(alien))).toBe("MASK_DICT_MISMATCH");
    expect(a.get(0, 0)).toEqual({ image: 4, mask: 1, variance: 1 });
    expect(codeOf(() => a.div(MaskedImage.make(2, 1, "float32", { planeDict: dict })))).toBe("SIZE_MISMATCH");
    expect(codeOf(() => a.add(Image.make(1, 2)))).toBe("SIZE_MISMATCH");
  });

  it("works on larger strided views pixel by pixel", () => {
    const w = 7;
    const h = 5;
    const a = MaskedImage.make(w, h, "float64", { planeDict: dict });
    const b = MaskedImage.make(w + 2, h, "float32", { planeDict: dict });
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w + 2; x++) {
        if (x < w) a.set(x, y, { image: x + 1, mask: 1, variance: y + 1 });
        b.set(x, y, { image: y - 2, mask: 2, variance: x });
      }
    }
    const bv = b.subimage(Box2I.fromXYWH(2, 0, w, h));
    a.div(bv);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const av = x + 1;
        const bb = y - 2;
        const va = y + 1;
        const vb = x + 2;
        const got = a.get(x, y);
        if (bb === 0) {
          expect(got.image).toBe(Number.POSITIVE_INFINITY);
          continue;
        }
        expect(got.image).toBe(av / bb);
        expect(got.variance).toBe(Math.fround((va + ((av * av) / (bb * bb)) * vb) / (bb * bb)));
        expect(got.mask).toBe(3);
      }
    }
  });
});
