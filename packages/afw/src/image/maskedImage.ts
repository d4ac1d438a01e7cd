/**
 * `MaskedImage<T>`: image + mask + variance sharing one bounding box (afw `MaskedImage`).
 *
 * The variance plane is always float32 (afw `VariancePixel`); the mask is a {@link Mask}.
 * Arithmetic is in place, returns `this`, and propagates variance and masks exactly as afw does
 * (first-order error propagation, pixel by pixel, computed in double precision):
 *
 * | operation            | image      | variance                                   | mask |
 * |----------------------|------------|--------------------------------------------|------|
 * | `add(c)` / `sub(c)`  | a ± c      | v_a                                        | m_a  |
 * | `mul(c)` / `div(c)`  | a·c, a/c   | v_a·c², v_a/c²                             | m_a  |
 * | `add(B)` / `sub(B)`  | a ± b      | v_a + v_b                                  | m_a ∣ m_b |
 * | `mul(B)`             | a·b        | a²·v_b + b²·v_a                            | m_a ∣ m_b |
 * | `div(B)`             | a/b        | (v_a + a²/b²·v_b) / b²                     | m_a ∣ m_b |
 * | `scaledPlus(c, B)`   | a + c·b    | v_a + c²·v_b                               | m_a ∣ m_b |
 * | `scaledMinus(c, B)`  | a − c·b    | v_a + c²·v_b                               | m_a ∣ m_b |
 * | `scaledMultiplies`   | a·(c·b)    | c²·(a²·v_b + b²·v_a)                       | m_a ∣ m_b |
 * | `scaledDivides`      | a/(c·b)    | (v_a + a²/b²·v_b) / (c²·b²)                | m_a ∣ m_b |
 *
 * A plain `Image` operand B has no variance or mask (v_b = 0, m_b = 0). NaN propagates (it is never
 * turned into 0). All operands must have the same dimensions; xy0 is not compared (as in afw).
 */
import type { Box2I } from "../geom/box.js";
import type { Point2I } from "../geom/point.js";
import type { ArrayOf, PixelArray, PixelDtype } from "./dtype.js";
import { AfwError } from "./errors.js";
import { Image, type PixelSource } from "./image.js";
import { checkSameSize, copyRegion, type ImageOrigin, type NumericArray } from "./imageBase.js";
import { Mask } from "./mask.js";
import type { MaskPlaneDict } from "./maskPlaneDict.js";

/** The three values of one masked-image pixel. */
export interface MaskedPixel {
  /** Image value. */
  readonly image: number;
  /** Mask bits. */
  readonly mask: number;
  /** Variance (image units squared). */
  readonly variance: number;
}

/** Options for allocating a masked image. */
export interface NewMaskedImageOptions {
  /** PARENT coordinates of the first pixel (default (0, 0)). */
  readonly xy0?: Point2I;
  /** Mask plane dictionary (default: the shared default dictionary). */
  readonly planeDict?: MaskPlaneDict;
  /** Allocate all planes on SharedArrayBuffers (for worker threads). */
  readonly shared?: boolean;
}

/** Image, mask and variance planes with a common geometry. */
export class MaskedImage<T extends PixelArray = Float32Array> {
  /** The science pixels. */
  readonly image: Image<T>;
  /** Mask bits per pixel. */
  readonly mask: Mask;
  /** Variance per pixel (units of `image` squared), float32. */
  readonly variance: Image<Float32Array>;

  /**
   * Combine existing planes (no copy). A missing mask or variance is created zero-filled with the
   * image's geometry (a new mask uses the default plane dictionary).
   * @throws AfwError SIZE_MISMATCH if dimensions differ, INVALID_ARGUMENT if xy0 differ.
   */
  constructor(image: Image<T>, mask?: Mask, variance?: Image<Float32Array>) {
    const m = mask ?? Mask.make(image.width, image.height, { xy0: image.xy0 });
    const v = variance ?? Image.make(image.width, image.height, "float32", { xy0: image.xy0 });
    checkSameSize(image, m, "MaskedImage image/mask");
    checkSameSize(image, v, "MaskedImage image/variance");
    if (!image.xy0.equals(m.xy0) || !image.xy0.equals(v.xy0)) {
      throw new AfwError(
        "INVALID_ARGUMENT",
        `MaskedImage planes have different xy0: image ${image.xy0.toString()}, mask ${m.xy0.toString()}, variance ${v.xy0.toString()}`,
      );
    }
    if (v.dtype !== "float32") {
      throw new AfwError("DTYPE_MISMATCH", `variance must be float32, got ${v.dtype}`);
    }
    this.image = image;
    this.mask = m;
    this.variance = v;
  }

  /**
   * A zero-filled masked image (image 0, mask 0, variance 0).
   * @param dtype image pixel type (default "float32")
   */
  static make<D extends PixelDtype = "float32">(
    width: number,
    height: number,
    dtype?: D,
    options: NewMaskedImageOptions = {},
  ): MaskedImage<ArrayOf<D>> {
    const shared = options.shared ?? false;
    const base = options.xy0 ? { xy0: options.xy0, shared } : { shared };
    const image = Image.make(width, height, dtype, base);
    const mask = Mask.make(width, height, options.planeDict ? { ...base, planeDict: options.planeDict } : base);
    const variance = Image.make(width, height, "float32", base);
    return new MaskedImage(image, mask, variance);
  }

  /** A zero-filled masked image covering `bbox` (PARENT coordinates; xy0 = bbox.min). */
  static fromBBox<D extends PixelDtype = "float32">(
    bbox: Box2I,
    dtype?: D,
    options: Omit<NewMaskedImageOptions, "xy0"> = {},
  ): MaskedImage<ArrayOf<D>> {
    return MaskedImage.make(bbox.width, bbox.height, dtype, { ...options, xy0: bbox.min });
  }

  /** Number of columns. */
  get width(): number {
    return this.image.width;
  }

  /** Number of rows. */
  get height(): number {
    return this.image.height;
  }

  /** PARENT coordinates of LOCAL pixel (0, 0). */
  get xy0(): Point2I {
    return this.image.xy0;
  }

  /** Bounding box in PARENT coordinates. */
  get bbox(): Box2I {
    return this.image.bbox;
  }

  /** Bounding box in PARENT (default) or LOCAL coordinates. */
  getBBox(origin: ImageOrigin = "PARENT"): Box2I {
    return this.image.getBBox(origin);
  }

  /** Pixel type of the image plane. */
  get dtype(): Image<T>["dtype"] {
    return this.image.dtype;
  }

  /**
   * The three values at (x, y) (LOCAL unless `origin` is "PARENT").
   * @throws AfwError OUT_OF_BOUNDS.
   */
  get(x: number, y: number, origin: ImageOrigin = "LOCAL"): MaskedPixel {
    return {
      image: this.image.get(x, y, origin),
      mask: this.mask.get(x, y, origin),
      variance: this.variance.get(x, y, origin),
    };
  }

  /**
   * Set the three values at (x, y) (LOCAL unless `origin` is "PARENT").
   * @throws AfwError OUT_OF_BOUNDS.
   */
  set(x: number, y: number, value: MaskedPixel, origin: ImageOrigin = "LOCAL"): void {
    this.image.set(x, y, value.image, origin);
    this.mask.set(x, y, value.mask, origin);
    this.variance.set(x, y, value.variance, origin);
  }

  /**
   * Views of the three planes over `bbox` (PARENT coordinates by default); no copy.
   * @throws AfwError OUT_OF_BOUNDS if the box is not inside.
   */
  subimage(bbox: Box2I, origin: ImageOrigin = "PARENT"): MaskedImage<T> {
    return new MaskedImage(
      this.image.subimage(bbox, origin),
      this.mask.subimage(bbox, origin),
      this.variance.subimage(bbox, origin),
    );
  }

  /** Deep, contiguous copy of all planes (the mask keeps sharing its plane dictionary). */
  clone(): MaskedImage<T> {
    return new MaskedImage(this.image.clone(), this.mask.clone(), this.variance.clone());
  }

  /** Set every pixel (or those in `bbox`, PARENT) to the given image, mask and variance values. */
  fill(image: number, mask = 0, variance = 0, bbox?: Box2I): this {
    this.image.fill(image, bbox);
    this.mask.fill(mask, bbox);
    this.variance.fill(variance, bbox);
    return this;
  }

  /**
   * Copy all three planes from `source` into this masked image or its region `bbox` (PARENT).
   * @throws AfwError SIZE_MISMATCH, OUT_OF_BOUNDS.
   */
  assign(source: MaskedImage<PixelArray>, bbox?: Box2I): this {
    this.image.assign(source.image, bbox);
    this.mask.assign(source.mask, bbox);
    this.variance.assign(source.variance, bbox);
    return this;
  }

  /** In place: add a scalar, an Image, or a MaskedImage (see the table above). @returns this */
  add(other: number | PixelSource | MaskedImage<PixelArray>): this {
    if (typeof other === "number" || !(other instanceof MaskedImage)) {
      this.image.add(other);
      return this;
    }
    return this.scaledPlus(1, other);
  }

  /** In place: subtract a scalar, an Image, or a MaskedImage (variances add). @returns this */
  sub(other: number | PixelSource | MaskedImage<PixelArray>): this {
    if (typeof other === "number" || !(other instanceof MaskedImage)) {
      this.image.sub(other);
      return this;
    }
    return this.scaledPlus(-1, other);
  }

  /** In place: image += c·B, variance += c²·v_B, mask |= m_B. @returns this */
  scaledPlus(c: number, other: MaskedImage<PixelArray>): this {
    this.checkOperand(other, "scaledPlus");
    this.image.scaledPlus(c, other.image);
    this.variance.scaledPlus(c * c, other.variance);
    this.mask.or(other.mask);
    return this;
  }

  /** In place: image −= c·B, variance += c²·v_B, mask |= m_B. @returns this */
  scaledMinus(c: number, other: MaskedImage<PixelArray>): this {
    return this.scaledPlus(-c, other);
  }

  /** In place: multiply by a scalar, an Image or a MaskedImage (see the table above). @returns this */
  mul(other: number | PixelSource | MaskedImage<PixelArray>): this {
    if (typeof other === "number") {
      this.image.mul(other);
      this.variance.mul(other * other);
      return this;
    }
    return this.mulDiv(other, 1, false, "mul");
  }

  /** In place: divide by a scalar, an Image or a MaskedImage (see the table above). @returns this */
  div(other: number | PixelSource | MaskedImage<PixelArray>): this {
    if (typeof other === "number") {
      this.image.div(other);
      this.variance.div(other * other);
      return this;
    }
    return this.mulDiv(other, 1, true, "div");
  }

  /** In place: image *= c·b, variance = c²·(a²·v_b + b²·v_a), mask |= m_b. @returns this */
  scaledMultiplies(c: number, other: MaskedImage<PixelArray>): this {
    return this.mulDiv(other, c, false, "scaledMultiplies");
  }

  /** In place: image /= c·b, variance = (v_a + a²/b²·v_b)/(c²·b²), mask |= m_b. @returns this */
  scaledDivides(c: number, other: MaskedImage<PixelArray>): this {
    return this.mulDiv(other, c, true, "scaledDivides");
  }

  /** e.g. `MaskedImage<float32>(64x32, xy0=(0, 0))`. */
  toString(): string {
    return `MaskedImage<${this.dtype}>(${this.width}x${this.height}, xy0=(${this.xy0.x}, ${this.xy0.y}))`;
  }

  /** Check sizes and mask dictionaries before anything is modified. */
  private checkOperand(other: MaskedImage<PixelArray> | PixelSource, what: string): void {
    checkSameSize(this.image, other, `MaskedImage.${what}`);
    if (other instanceof MaskedImage) this.mask.checkCompatible(other.mask, `MaskedImage.${what}`);
  }

  /** Shared multiply/divide loop: image a, variance va; operand b (scaled by c), vb. */
  private mulDiv(other: PixelSource | MaskedImage<PixelArray>, c: number, divide: boolean, what: string): this {
    this.checkOperand(other, what);
    const isMI = other instanceof MaskedImage;
    const bImg: PixelSource = isMI ? other.image : other;
    const { width, height } = this.image;
    const A = this.image.array as NumericArray;
    const As = this.image.stride;
    const V = this.variance.array as NumericArray;
    const Vs = this.variance.stride;
    // operands that share memory with this image are copied first (in-place ops on overlapping views)
    const imgBuf = this.image.array.buffer;
    const varBuf = this.variance.array.buffer;
    const shares = (p: PixelSource) => p.array.buffer === imgBuf || p.array.buffer === varBuf;
    const bCopy = shares(bImg);
    const B: NumericArray = bCopy ? copyRegion(bImg) : bImg.array;
    const Bs = bCopy ? width : bImg.stride;
    // a plain Image operand has zero variance: read one zero row for every row
    let BV: NumericArray = new Float64Array(width);
    let BVs = 0;
    if (isMI) {
      const v = other.variance;
      const vCopy = shares(v);
      BV = vCopy ? copyRegion(v) : v.array;
      BVs = vCopy ? width : v.stride;
    }
    const c2 = c * c;
    for (let y = 0; y < height; y++) {
      const ao = y * As;
      const vo = y * Vs;
      const bo = y * Bs;
      const bvo = y * BVs;
      if (divide) {
        for (let x = 0; x < width; x++) {
          const a = A[ao + x] as number;
          const b = B[bo + x] as number;
          const b2 = b * b;
          A[ao + x] = a / (c * b);
          V[vo + x] = ((V[vo + x] as number) + ((a * a) / b2) * (BV[bvo + x] as number)) / (c2 * b2);
        }
      } else {
        for (let x = 0; x < width; x++) {
          const a = A[ao + x] as number;
          const b = B[bo + x] as number;
          A[ao + x] = a * (c * b);
          V[vo + x] = c2 * (a * a * (BV[bvo + x] as number) + b * b * (V[vo + x] as number));
        }
      }
    }
    if (isMI) this.mask.or(other.mask);
    return this;
  }
}
