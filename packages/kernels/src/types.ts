/**
 * Plain typed-array image planes the kernels work on (no afw types).
 *
 * An image of `width` x `height` pixels is stored row-major with `stride` elements between the
 * starts of consecutive rows (stride >= width). Pixel (x, y) is `data[y * stride + x]`; the centre of
 * pixel (0, 0) is position (0, 0) and pixel x covers [x - 0.5, x + 0.5) (LSST convention).
 */
export interface Planes {
  /** Width in pixels. */
  width: number;
  /** Height in pixels (rows). */
  height: number;
  /** Elements between row starts (>= width), shared by every plane. */
  stride: number;
  /** Pixel values (any unit). NaN means "no data". */
  image: Float32Array;
  /** Mask bits (LSST 32-bit planes; BAD=0 ... NO_DATA=8), or absent. */
  mask?: Int32Array | undefined;
  /** Variance of each pixel (image unit squared), or absent. */
  variance?: Float32Array | undefined;
}

/** Default LSST mask bit values used by kernels (DESIGN.md conventions). */
export const MaskBits = {
  BAD: 1 << 0,
  SAT: 1 << 1,
  INTRP: 1 << 2,
  CR: 1 << 3,
  EDGE: 1 << 4,
  DETECTED: 1 << 5,
  DETECTED_NEGATIVE: 1 << 6,
  SUSPECT: 1 << 7,
  NO_DATA: 1 << 8,
} as const;

/** Error raised for bad kernel arguments; `field` names the offending argument. */
export class KernelError extends Error {
  /** Name of the argument or option that is wrong. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "KernelError";
    this.field = field;
  }
}

/** Checks the geometry of a Planes value and returns it. */
export function checkPlanes(p: Planes, name = "planes"): Planes {
  const { width, height, stride } = p;
  if (!Number.isInteger(width) || width < 1) throw new KernelError(`${name}.width`, `must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height < 1)
    throw new KernelError(`${name}.height`, `must be a positive integer, got ${height}`);
  if (!Number.isInteger(stride) || stride < width)
    throw new KernelError(`${name}.stride`, `must be an integer >= width (${width}), got ${stride}`);
  const need = (height - 1) * stride + width;
  if (p.image.length < need) throw new KernelError(`${name}.image`, `has ${p.image.length} elements, needs ${need}`);
  if (p.mask && p.mask.length < need) throw new KernelError(`${name}.mask`, `has ${p.mask.length} elements, needs ${need}`);
  if (p.variance && p.variance.length < need)
    throw new KernelError(`${name}.variance`, `has ${p.variance.length} elements, needs ${need}`);
  return p;
}

/** Makes zeroed planes of the given size (stride = width). */
export function makePlanes(width: number, height: number, withMask = true, withVariance = true): Planes {
  const n = width * height;
  return {
    width,
    height,
    stride: width,
    image: new Float32Array(n),
    mask: withMask ? new Int32Array(n) : undefined,
    variance: withVariance ? new Float32Array(n) : undefined,
  };
}
