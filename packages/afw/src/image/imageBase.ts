/**
 * `ImageBase<T>`: the pixel-grid machinery shared by `Image`, `Mask` (and through them
 * `MaskedImage`): geometry (width, height, stride, xy0, bbox), bounds-checked pixel access in LOCAL
 * or PARENT coordinates, row views, sub-image views, fill and assign.
 *
 * Memory layout: `array` is row-major; element 0 is LOCAL pixel (0, 0) and pixel (x, y) is
 * `array[y * stride + x]`. A sub-image is a view: its `array` is a `subarray` of the parent's
 * buffer (no copy) and its `stride` is the parent's, so writes through the view change the parent.
 * An image is *contiguous* when its rows are adjacent (`stride === width`, or at most one row);
 * then `array.length === width * height`.
 */
import { Box2I } from "../geom/box.js";
import { Point2I } from "../geom/point.js";
import { type DtypeOf, dtypeOfArray, type PixelArray } from "./dtype.js";
import { AfwError } from "./errors.js";

/**
 * Which coordinate system a pixel position or box is given in. LOCAL: (0, 0) is the first pixel of
 * this image's array. PARENT: the coordinates of the whole original image (LOCAL + xy0), which is
 * what WCS, PSF, footprints and catalogue centroids use.
 */
export type ImageOrigin = "LOCAL" | "PARENT";

/** Layout options when wrapping an existing array. */
export interface ImageLayout {
  /** Elements between the starts of consecutive rows (default: width). */
  readonly stride?: number;
  /** PARENT coordinates of LOCAL pixel (0, 0) (default: (0, 0)). */
  readonly xy0?: Point2I;
}

/** A typed array seen as readable/writable numbers (used by the pixel loops). */
export type NumericArray = { [index: number]: number; readonly length: number };

/** Elements spanned by a width × height grid with the given stride. */
export function spanLength(width: number, height: number, stride: number): number {
  return width > 0 && height > 0 ? (height - 1) * stride + width : 0;
}

function checkDim(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 2147483647) {
    throw new AfwError("INVALID_ARGUMENT", `${what} must be a non-negative integer, got ${v}`);
  }
}

/** Geometry and raw-pixel operations common to every image type. */
export abstract class ImageBase<T extends PixelArray> {
  /** Pixels, row-major; element 0 is LOCAL (0, 0); pixel (x, y) is `array[y * stride + x]`. */
  readonly array: T;
  /** Number of columns. */
  readonly width: number;
  /** Number of rows. */
  readonly height: number;
  /** Row stride in elements (≥ width; equal to the parent's width for sub-image views). */
  readonly stride: number;
  /** PARENT coordinates of LOCAL pixel (0, 0). */
  readonly xy0: Point2I;
  /** Pixel type name. */
  readonly dtype: DtypeOf<T>;

  /**
   * Wrap an existing typed array (no copy).
   * @param array pixel data; must hold at least (height − 1) · stride + width elements (extra
   *   elements at the end are ignored: `this.array` is trimmed to the span with `subarray`)
   * @throws AfwError INVALID_ARGUMENT for bad sizes, SIZE_MISMATCH if the array is too short,
   *   DTYPE_MISMATCH for an unsupported array type.
   */
  constructor(array: T, width: number, height: number, layout: ImageLayout = {}) {
    checkDim(width, "image width");
    checkDim(height, "image height");
    const stride = layout.stride ?? width;
    if (!Number.isInteger(stride) || stride < width) {
      throw new AfwError("INVALID_ARGUMENT", `image stride ${stride} must be an integer >= width ${width}`);
    }
    this.dtype = dtypeOfArray(array);
    const need = spanLength(width, height, stride);
    if (array.length < need) {
      throw new AfwError(
        "SIZE_MISMATCH",
        `pixel array of length ${array.length} is too short for a ${width}x${height} image with stride ${stride} (needs ${need})`,
      );
    }
    this.array = array.length === need ? array : (array.subarray(0, need) as T);
    this.width = width;
    this.height = height;
    this.stride = stride;
    this.xy0 = layout.xy0 ?? Point2I.ORIGIN;
  }

  /** PARENT x of the first column. */
  get x0(): number {
    return this.xy0.x;
  }

  /** PARENT y of the first row. */
  get y0(): number {
    return this.xy0.y;
  }

  /** The image's pixels as a box in PARENT coordinates: xy0 .. xy0 + (width − 1, height − 1). */
  get bbox(): Box2I {
    return Box2I.fromXYWH(this.xy0.x, this.xy0.y, this.width, this.height);
  }

  /** The image's box in PARENT (default) or LOCAL coordinates. */
  getBBox(origin: ImageOrigin = "PARENT"): Box2I {
    return origin === "PARENT" ? this.bbox : Box2I.fromXYWH(0, 0, this.width, this.height);
  }

  /** Number of pixels (width × height). */
  get size(): number {
    return this.width * this.height;
  }

  /** True if rows are adjacent in memory (then `array.length === width * height`). */
  get isContiguous(): boolean {
    return this.stride === this.width || this.height <= 1;
  }

  /**
   * Array index of pixel (x, y).
   * @param origin "LOCAL" (default: (0, 0) is the first pixel) or "PARENT" (xy0 is the first pixel)
   * @throws AfwError OUT_OF_BOUNDS if the pixel is not in the image (or not integer).
   */
  indexOf(x: number, y: number, origin: ImageOrigin = "LOCAL"): number {
    const lx = origin === "PARENT" ? x - this.xy0.x : x;
    const ly = origin === "PARENT" ? y - this.xy0.y : y;
    if (!(lx >= 0 && lx < this.width && ly >= 0 && ly < this.height) || !Number.isInteger(lx) || !Number.isInteger(ly)) {
      throw new AfwError(
        "OUT_OF_BOUNDS",
        `pixel (${x}, ${y}) ${origin} is outside the ${this.width}x${this.height} image ${this.bbox.toString()}`,
      );
    }
    return ly * this.stride + lx;
  }

  /**
   * Value of pixel (x, y). Coordinates are LOCAL unless `origin` is "PARENT" (afw C++ `image(x, y)`
   * is LOCAL too). For hot loops use {@link row} or `array` directly.
   * @throws AfwError OUT_OF_BOUNDS outside the image.
   */
  get(x: number, y: number, origin: ImageOrigin = "LOCAL"): number {
    return this.array[this.indexOf(x, y, origin)] as number;
  }

  /**
   * Set pixel (x, y) (LOCAL unless `origin` is "PARENT"). Integer images store the value with
   * typed-array coercion (truncation toward zero, modular wrap, NaN → 0).
   * @throws AfwError OUT_OF_BOUNDS outside the image.
   */
  set(x: number, y: number, value: number, origin: ImageOrigin = "LOCAL"): void {
    const i = this.indexOf(x, y, origin);
    (this.array as NumericArray)[i] = value;
  }

  /**
   * View of one row (LOCAL y unless `origin` is "PARENT"): a `subarray` of `width` elements sharing
   * memory with the image.
   * @throws AfwError OUT_OF_BOUNDS if the row does not exist.
   */
  row(y: number, origin: ImageOrigin = "LOCAL"): T {
    const ly = origin === "PARENT" ? y - this.xy0.y : y;
    if (!(ly >= 0 && ly < this.height) || !Number.isInteger(ly)) {
      throw new AfwError(
        "OUT_OF_BOUNDS",
        `row ${y} ${origin} is outside the ${this.width}x${this.height} image ${this.bbox.toString()}`,
      );
    }
    const off = ly * this.stride;
    return this.array.subarray(off, off + this.width) as T;
  }

  /** Iterate over the rows, bottom (LOCAL y = 0) to top, as `subarray` views. */
  *rows(): Generator<T, void, undefined> {
    const { array, width, stride, height } = this;
    for (let y = 0, off = 0; y < height; y++, off += stride) {
      yield array.subarray(off, off + width) as T;
    }
  }

  /**
   * Compute the layout of a sub-image view.
   * @throws AfwError OUT_OF_BOUNDS if `bbox` is not contained in the image.
   */
  protected viewLayout(
    bbox: Box2I,
    origin: ImageOrigin,
  ): { array: T; width: number; height: number; stride: number; xy0: Point2I } {
    const parentBox = origin === "PARENT" ? bbox : bbox.shiftedBy(this.xy0.asExtent());
    if (!this.bbox.contains(parentBox)) {
      throw new AfwError(
        "OUT_OF_BOUNDS",
        `sub-image ${bbox.toString()} (${origin}) is not contained in image ${this.getBBox(origin).toString()} (${origin})`,
      );
    }
    if (parentBox.isEmpty()) {
      return {
        array: this.array.subarray(0, 0) as T,
        width: 0,
        height: 0,
        stride: this.stride,
        xy0: this.xy0,
      };
    }
    const off = (parentBox.minY - this.xy0.y) * this.stride + (parentBox.minX - this.xy0.x);
    const len = spanLength(parentBox.width, parentBox.height, this.stride);
    return {
      array: this.array.subarray(off, off + len) as T,
      width: parentBox.width,
      height: parentBox.height,
      stride: this.stride,
      xy0: parentBox.min,
    };
  }

  /**
   * Set every pixel (or those in `bbox`, PARENT coordinates) to `value`.
   * @returns this
   */
  fill(value: number, bbox?: Box2I): this {
    const target = bbox === undefined ? this : this.viewLayout(bbox, "PARENT");
    const { array, width, height, stride } = target;
    if (stride === width || height <= 1) {
      array.fill(value);
      return this;
    }
    for (let y = 0, off = 0; y < height; y++, off += stride) {
      array.subarray(off, off + width).fill(value);
    }
    return this;
  }

  /**
   * Copy pixels from `source` (same dimensions as the target region) into this image, or into its
   * sub-region `bbox` (PARENT coordinates). Different dtypes convert with typed-array coercion
   * (integer targets truncate toward zero and wrap; NaN → 0). Overlapping views of one buffer are
   * handled (the source is copied first).
   * @throws AfwError SIZE_MISMATCH if dimensions differ; OUT_OF_BOUNDS if `bbox` is outside.
   * @returns this
   */
  assign(source: ImageBase<PixelArray>, bbox?: Box2I): this {
    const target = bbox === undefined ? this : this.viewLayout(bbox, "PARENT");
    checkSameSize(target, source, "assign");
    let src = source.array as PixelArray;
    let sstride = source.stride;
    if (src.buffer === this.array.buffer) {
      src = copyRegion(source);
      sstride = source.width;
    }
    const { array, width, height, stride } = target;
    const dst = array as PixelArray;
    for (let y = 0; y < height; y++) {
      const so = y * sstride;
      dst.set(src.subarray(so, so + width), y * stride);
    }
    return this;
  }
}

/** A contiguous copy of an image's pixels (same dtype). */
export function copyRegion<T extends PixelArray>(img: {
  readonly array: T;
  readonly width: number;
  readonly height: number;
  readonly stride: number;
}): T {
  const { array, width, height, stride } = img;
  if (stride === width || height <= 1) return array.slice(0, width * height) as T;
  const out = new (array.constructor as new (n: number) => T)(width * height);
  for (let y = 0; y < height; y++) {
    const so = y * stride;
    (out as PixelArray).set(array.subarray(so, so + width), y * width);
  }
  return out;
}

/**
 * Throw SIZE_MISMATCH unless two grids have the same width and height.
 * @param what the operation, for the message
 */
export function checkSameSize(
  a: { readonly width: number; readonly height: number },
  b: { readonly width: number; readonly height: number },
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new AfwError("SIZE_MISMATCH", `${what}: image dimensions differ (${a.width}x${a.height} vs ${b.width}x${b.height})`);
  }
}
