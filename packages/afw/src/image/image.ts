/**
 * `Image<T>`: a 2-D grid of numeric pixels with an origin `xy0` in its parent's frame
 * (afw `Image<PixelT>`).
 *
 * - Pixels live in a row-major typed array (`Float32Array` by default; also Float64Array,
 *   Int32Array, Uint16Array). `get`/`set` take LOCAL coordinates unless told "PARENT".
 * - `subimage(bbox)` returns a view (no copy) addressed in PARENT coordinates; `clone()` is a deep,
 *   contiguous copy.
 * - Arithmetic (`add`, `sub`, `mul`, `div`, `scaledPlus`, ...) works **in place** and returns
 *   `this`. Operands are a scalar or an image of the same dimensions (any dtype; xy0 is not
 *   compared, as in afw). Results are stored with typed-array coercion, so integer images truncate
 *   toward zero and wrap; float images keep NaN and ±Infinity.
 *
 * @example
 * const im = Image.fromBBox(Box2I.fromXYWH(100, 200, 64, 32));   // float32, zeroed, xy0 = (100, 200)
 * im.set(110, 205, 3.5, "PARENT");
 * const sub = im.subimage(Box2I.fromXYWH(108, 204, 4, 4));        // view, shares memory
 * sub.mul(2);                                                      // im.get(110, 205, "PARENT") === 7
 */
import type { Box2I } from "../geom/box.js";
import type { Point2I } from "../geom/point.js";
import { type ArrayOf, dtypeRange, isFloatDtype, makePixelArray, type PixelArray, type PixelDtype } from "./dtype.js";
import { checkSameSize, copyRegion, ImageBase, type ImageLayout, type ImageOrigin, type NumericArray } from "./imageBase.js";

// Monomorphic float32 loop: the generic loops see many array types across the program and V8
// compiles them polymorphic (~3x slower on a 2048 × 4612 image).
function scaledPlusF32(a: Float32Array, as: number, b: Float32Array, bs: number, w: number, h: number, c: number): void {
  for (let y = 0; y < h; y++) {
    const o = y * as;
    const p = y * bs;
    for (let x = 0; x < w; x++) a[o + x] = a[o + x]! + c * b[p + x]!;
  }
}

/** Options for allocating a new image. */
export interface NewImageOptions {
  /** PARENT coordinates of the first pixel (default (0, 0)). */
  readonly xy0?: Point2I;
  /** Allocate the pixels on a SharedArrayBuffer (for worker threads). */
  readonly shared?: boolean;
}

/** Anything with pixels and a layout that image arithmetic can read. */
export type PixelSource = ImageBase<PixelArray>;

/** A numeric image (float32 by default). */
export class Image<T extends PixelArray = Float32Array> extends ImageBase<T> {
  /**
   * Wrap an existing typed array as an image (no copy); see {@link ImageBase} for the layout.
   * @example new Image(new Float32Array(12), 4, 3)
   */
  constructor(array: T, width: number, height: number, layout: ImageLayout = {}) {
    super(array, width, height, layout);
  }

  /**
   * A zero-filled image of `width` × `height` pixels.
   * @param dtype pixel type (default "float32")
   */
  static make<D extends PixelDtype = "float32">(
    width: number,
    height: number,
    dtype?: D,
    options: NewImageOptions = {},
  ): Image<ArrayOf<D>> {
    const d = (dtype ?? "float32") as D;
    const n = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0;
    const array = makePixelArray(d, n ? width * height : 0, options.shared ?? false);
    return new Image(array, width, height, options.xy0 ? { xy0: options.xy0 } : {});
  }

  /**
   * A zero-filled image covering `bbox` (PARENT coordinates: xy0 = bbox.min).
   * @param dtype pixel type (default "float32")
   */
  static fromBBox<D extends PixelDtype = "float32">(
    bbox: Box2I,
    dtype?: D,
    options: { readonly shared?: boolean } = {},
  ): Image<ArrayOf<D>> {
    return Image.make(bbox.width, bbox.height, dtype, { ...options, xy0: bbox.min });
  }

  /** Wrap an existing typed array (no copy); same as the constructor. */
  static fromArray<A extends PixelArray>(array: A, width: number, height: number, layout: ImageLayout = {}): Image<A> {
    return new Image(array, width, height, layout);
  }

  /**
   * A view of the pixels in `bbox`, which keeps PARENT coordinates (its xy0 is the box's min).
   * Writes through the view change this image.
   * @param origin coordinate system of `bbox` (default "PARENT", as in afw)
   * @throws AfwError OUT_OF_BOUNDS if the box is not inside the image.
   */
  subimage(bbox: Box2I, origin: ImageOrigin = "PARENT"): Image<T> {
    const v = this.viewLayout(bbox, origin);
    return new Image(v.array, v.width, v.height, { stride: v.stride, xy0: v.xy0 });
  }

  /** Deep, contiguous copy with the same dtype and xy0. */
  clone(): Image<T> {
    return new Image(copyRegion(this), this.width, this.height, { xy0: this.xy0 });
  }

  /** This image if already contiguous, otherwise a contiguous {@link clone}. */
  toContiguous(): Image<T> {
    return this.isContiguous ? this : this.clone();
  }

  /**
   * A contiguous copy with another pixel type. Converting to an integer dtype truncates toward
   * zero and clamps to the type's range; NaN becomes 0 (integers cannot hold NaN).
   */
  convertTo<D extends PixelDtype>(dtype: D): Image<ArrayOf<D>> {
    const out = Image.make(this.width, this.height, dtype, { xy0: this.xy0 });
    const dst = out.array as NumericArray;
    const src = this.array as NumericArray;
    const { width, height, stride } = this;
    const [lo, hi] = dtypeRange(dtype);
    const [srcLo, srcHi] = dtypeRange(this.dtype);
    const clamp = !isFloatDtype(dtype) && (srcLo < lo || srcHi > hi);
    if (!clamp) {
      // every value is representable (up to float rounding): native typed-array conversion
      const dArr = out.array as PixelArray;
      for (let y = 0; y < height; y++) {
        const so = y * stride;
        dArr.set((this.array as PixelArray).subarray(so, so + width), y * width);
      }
      return out;
    }
    for (let y = 0; y < height; y++) {
      const so = y * stride;
      const dOff = y * width;
      // NaN fails both comparisons and is stored as 0 by the integer array; in-range values
      // are truncated toward zero by the integer array's coercion.
      for (let x = 0; x < width; x++) {
        const v = src[so + x] as number;
        // biome-ignore lint/complexity/useMathMinMax: explicit comparisons keep NaN (stored as 0)
        dst[dOff + x] = v < lo ? lo : v > hi ? hi : v;
      }
    }
    return out;
  }

  /** In place: pixel += scalar, or pixel += other's pixel. @returns this */
  add(other: number | PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    if (typeof other === "number") {
      for (let y = 0; y < height; y++) {
        const o = y * stride;
        for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) + other;
      }
      return this;
    }
    const { b, bs } = this.operand(other, "add");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) + (b[x + p] as number);
    }
    return this;
  }

  /** In place: pixel −= scalar, or pixel −= other's pixel. @returns this */
  sub(other: number | PixelSource): this {
    if (typeof other === "number") return this.add(-other);
    return this.scaledPlus(-1, other);
  }

  /** In place: pixel *= scalar, or pixel *= other's pixel. @returns this */
  mul(other: number | PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    if (typeof other === "number") {
      for (let y = 0; y < height; y++) {
        const o = y * stride;
        for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) * other;
      }
      return this;
    }
    const { b, bs } = this.operand(other, "mul");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) * (b[x + p] as number);
    }
    return this;
  }

  /**
   * In place: pixel /= scalar, or pixel /= other's pixel (IEEE division: x/0 = ±Infinity or NaN
   * for float images; integer images store 0 for non-finite results). @returns this
   */
  div(other: number | PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    if (typeof other === "number") {
      for (let y = 0; y < height; y++) {
        const o = y * stride;
        for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) / other;
      }
      return this;
    }
    const { b, bs } = this.operand(other, "div");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) a[x] = (a[x] as number) / (b[x + p] as number);
    }
    return this;
  }

  /** In place: pixel += c · other's pixel (afw `scaledPlus`). @returns this */
  scaledPlus(c: number, other: PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    const { b, bs } = this.operand(other, "scaledPlus");
    if (a instanceof Float32Array && b instanceof Float32Array) {
      scaledPlusF32(a, stride, b, bs, width, height, c);
      return this;
    }
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) {
        a[x] = (a[x] as number) + c * (b[x + p] as number);
      }
    }
    return this;
  }

  /** In place: pixel −= c · other's pixel (afw `scaledMinus`). @returns this */
  scaledMinus(c: number, other: PixelSource): this {
    return this.scaledPlus(-c, other);
  }

  /** In place: pixel *= c · other's pixel (afw `scaledMultiplies`). @returns this */
  scaledMultiplies(c: number, other: PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    const { b, bs } = this.operand(other, "scaledMultiplies");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) {
        a[x] = (a[x] as number) * (c * (b[x + p] as number));
      }
    }
    return this;
  }

  /** In place: pixel /= c · other's pixel (afw `scaledDivides`). @returns this */
  scaledDivides(c: number, other: PixelSource): this {
    const a = this.array as NumericArray;
    const { width, height, stride } = this;
    const { b, bs } = this.operand(other, "scaledDivides");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let x = o, e = o + width; x < e; x++) {
        a[x] = (a[x] as number) / (c * (b[x + p] as number));
      }
    }
    return this;
  }

  /** e.g. `Image<float32>(64x32, xy0=(100, 200))`. */
  override toString(): string {
    return `Image<${this.dtype}>(${this.width}x${this.height}, xy0=(${this.x0}, ${this.y0}))`;
  }

  /**
   * Array and stride of an operand image after a size check; an operand sharing this image's
   * buffer is copied first, so in-place operations on overlapping views are well defined.
   */
  private operand(other: PixelSource, what: string): { b: NumericArray; bs: number } {
    checkSameSize(this, other, what);
    if (other.array.buffer === this.array.buffer) {
      return { b: copyRegion(other), bs: other.width };
    }
    return { b: other.array, bs: other.stride };
  }
}
