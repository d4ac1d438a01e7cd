/** Options and results of every kernel, shared by all backends. */
import type { Planes } from "./types.js";

/** How convolution treats the border it cannot compute (afw ConvolutionControl). */
export type EdgePolicy = "nodata" | "copy";

/** Options of the convolution kernels. */
export interface ConvolveOptions {
  /**
   * Border pixels the kernel does not fully cover: "nodata" (afw default: image NaN, variance +inf,
   * mask NO_DATA) or "copy" (copy the input pixel, OR mask EDGE). Default "nodata".
   */
  edge?: EdgePolicy;
  /** Scale the kernel to unit sum before use (afw doNormalize). Default true. */
  normalize?: boolean;
}

/** A 2-D kernel image, row-major, `width` x `height`; centre at ((width-1)>>1, (height-1)>>1). */
export interface Kernel2D {
  /** Kernel width in pixels. */
  width: number;
  /** Kernel height in pixels. */
  height: number;
  /** Kernel values, width*height, row-major. */
  data: Float32Array | Float64Array | number[];
}

/** Interpolation kernels for resampling. */
export type ResampleKernel = "lanczos3" | "lanczos4" | "lanczos5" | "bilinear" | "nearest";

/** Destination grid of a resampling: source position of each destination pixel centre. */
export type ResampleGrid =
  | {
      kind: "coords";
      /** Destination width (pixels). */
      width: number;
      /** Destination height (pixels). */
      height: number;
      /** Source x (pixels, 0-based centres) of each destination pixel, width*height row-major. */
      x: Float32Array | Float64Array;
      /** Source y (pixels) of each destination pixel. */
      y: Float32Array | Float64Array;
    }
  | {
      kind: "affine";
      /** Destination width (pixels). */
      width: number;
      /** Destination height (pixels). */
      height: number;
      /** Source position: sx = a*x + b*y + c, sy = d*x + e*y + f for destination pixel (x, y). */
      a: number;
      b: number;
      c: number;
      d: number;
      e: number;
      f: number;
    };

/** Options of `resample`. */
export interface ResampleOptions {
  /** Interpolation kernel. Default "lanczos3". */
  kernel?: ResampleKernel;
  /**
   * Multiply by the local area ratio |d(sx,sy)/d(x,y)| (source pixels per destination pixel) so
   * total flux is conserved; variance by its square. Default false (surface brightness kept).
   */
  conserveFlux?: boolean;
}

/** Statistics control (afw StatisticsControl). */
export interface StatsControl {
  /** Pixels with (mask & andMask) != 0 are ignored. Default 0. */
  andMask?: number;
  /** Clip half-width in sigma for MEANCLIP. Default 3. */
  numSigmaClip?: number;
  /** Clipping passes (no early stop). Default 3. */
  numIter?: number;
  /** Skip non-finite values. Default true. */
  nanSafe?: boolean;
}

/** Where statistics are taken: a box of planes, or a list of pixel indices into the planes' arrays. */
export interface StatsRegion {
  /** Box (in pixels of the planes) to use; default the whole image. */
  box?: { x0: number; y0: number; width: number; height: number };
  /** Explicit element indices (y*stride+x); overrides box. */
  indices?: Int32Array;
  /** Per-pixel weights (same layout as the image) for the weighted mean/variance. */
  weights?: Float32Array;
}

/** Results of `statistics` (afw Statistics properties). NaN where undefined (no pixels). */
export interface StatsResult {
  /** Pixels used (NPOINT). */
  npoint: number;
  /** Pixels rejected by andMask (NMASKED); non-finite values are counted separately. */
  nMasked: number;
  /** Non-finite values skipped. */
  nNonFinite: number;
  /** Sum of used values. */
  sum: number;
  /** Mean (weighted when weights are given). */
  mean: number;
  /** Unbiased variance (weighted form of lsst-anatomy 1.7). */
  variance: number;
  /** sqrt(variance). */
  stdev: number;
  /** Error of the mean, sqrt(var*Σw²/(Σw)²). */
  meanErr: number;
  /** (n-1)/n var + mean². */
  meanSquare: number;
  /** Smallest used value. */
  min: number;
  /** Largest used value. */
  max: number;
  /** Median, linear interpolation at 0.5(n-1). */
  median: number;
  /** First quartile, at 0.25(n-1). */
  q1: number;
  /** Third quartile, at 0.75(n-1). */
  q3: number;
  /** q3 - q1. */
  iqr: number;
  /** Clipped mean (MEANCLIP). */
  meanClip: number;
  /** Clipped variance (VARIANCECLIP). */
  varianceClip: number;
  /** sqrt(varianceClip). */
  stdevClip: number;
  /** Pixels rejected by the last clipping pass. */
  nClipped: number;
  /** OR of the mask bits of used pixels. */
  orMask: number;
}

/** Per-pixel combination for `stack`. */
export type StackStatistic = "mean" | "median" | "meanclip";

/** Options of `stack`. */
export interface StackOptions {
  /** Combination. Default "mean". */
  statistic?: StackStatistic;
  /** One weight per input (weighted mean / weighted clipped mean); default all 1. */
  weights?: ArrayLike<number>;
  /** Input pixels with (mask & andMask) != 0 or non-finite are rejected. Default 0. */
  andMask?: number;
  /** Clip width for "meanclip". Default 3. */
  numSigmaClip?: number;
  /** Clip passes for "meanclip". Default 3. */
  numIter?: number;
  /**
   * Mask propagation: bit index -> fraction. A bit set on rejected inputs is ORed into the output
   * when the weight fraction of rejected inputs carrying it exceeds the threshold (afw
   * maskPropagationThreshold). Bits of used inputs are always ORed.
   */
  maskPropagationThresholds?: Record<number, number>;
}

/** Output of `stack`: combined planes plus the number of inputs used per pixel. */
export interface StackResult extends Planes {
  /** Inputs that contributed to each pixel (after rejection and clipping). */
  count: Int32Array;
}

/** Statistic computed in each background cell. */
export type CellStatistic = "mean" | "median" | "meanclip";

/** Background cell grid (lsst-anatomy 1.8 geometry). */
export interface CellGrid {
  /** Cells along x. */
  nx: number;
  /** Cells along y. */
  ny: number;
  /** Cell values, nx*ny row-major (NaN where no pixel was usable). */
  values: Float64Array;
  /** Variance of each cell value (sample variance / n), for inverse-variance weights. */
  variances: Float64Array;
  /** Cell centres along x (pixels), nx. */
  centreX: Float64Array;
  /** Cell centres along y (pixels), ny. */
  centreY: Float64Array;
}

/** Options of `detect`. */
export interface DetectOptions {
  /** Threshold (image units); pixels >= threshold (or <= -threshold for "negative") are detected. */
  threshold: number;
  /** Sign of the detection. Default "positive". */
  polarity?: "positive" | "negative";
  /** Footprints with fewer pixels are dropped. Default 1. */
  npixMin?: number;
  /** Peaks must exceed threshold * includeMultiplier (in the detection sense). Default 1. */
  includeMultiplier?: number;
  /** Skip pixels with (mask & andMask) != 0. Default 0. */
  andMask?: number;
  /** Mask bit value ORed onto every detected pixel (e.g. MaskBits.DETECTED); 0 = none. Default 0. */
  setMask?: number;
}

/** A local maximum inside a footprint. */
export interface Peak {
  /** Column (pixel). */
  x: number;
  /** Row (pixel). */
  y: number;
  /** Image value at the peak. */
  value: number;
}

/** A connected component: row spans, bounding box and peaks. */
export interface Footprint {
  /** Spans as (y, x0, x1) triples, inclusive, sorted by y then x0. */
  spans: Int32Array;
  /** Pixel count. */
  npix: number;
  /** Inclusive bounding box. */
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /** Peaks sorted by decreasing significance (value in the detection sense). */
  peaks: Peak[];
}

/** Elementwise binary operations with variance and mask propagation (afw MaskedImage rules). */
export type BinaryOp = "add" | "sub" | "mul" | "div";

/** Histogram options. */
export interface HistogramOptions {
  /** Number of equal bins over [min, max). */
  nbins: number;
  /** Lower edge. */
  min: number;
  /** Upper edge (values == max go in the last bin). */
  max: number;
  /** Skip pixels with (mask & andMask) != 0. Default 0. */
  andMask?: number;
}

/** A 2-D Chebyshev polynomial on a box: f(x,y) = Σ c[j*(orderX+1)+i] T_i(x') T_j(y'). */
export interface Chebyshev2D {
  /** Highest order in x. */
  orderX: number;
  /** Highest order in y. */
  orderY: number;
  /** Coefficients, (orderY+1) rows of (orderX+1). */
  coeffs: Float64Array;
  /** Box mapped to [-1, 1]²: x' = (2x - (xmin+xmax)) / (xmax-xmin). */
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}
