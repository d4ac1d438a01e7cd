/**
 * Per-pixel ISR corrections on assembled images (ip_isr `isrFunctions`): bias, dark (scaled by
 * dark time), flat (normalised), gain to electrons, variance, linearity, crosstalk, NaN and edge
 * masking. All work in place on float32 images/masked images over the detector box.
 */
import { type Amplifier, Box2I, type Detector, type Image, type Mask, type MaskedImage } from "@skystack/afw";
import { IsrError } from "./errors.js";

function checkSize(a: { width: number; height: number }, b: { width: number; height: number }, what: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new IsrError("SIZE_MISMATCH", `${what} is ${b.width}x${b.height}, the exposure ${a.width}x${a.height}`);
  }
}

/** Visits every pixel index of `bbox` (PARENT) in an image's array. */
function forBox(img: { x0: number; y0: number; stride: number }, bbox: Box2I, fn: (rowOffset: number, w: number) => void): void {
  const y1 = bbox.max.y;
  const x0 = bbox.min.x - img.x0;
  const w = bbox.width;
  for (let y = bbox.min.y; y <= y1; y++) fn((y - img.y0) * img.stride + x0, w);
}

/** image −= bias (bias in the exposure's units, same size). Variance unchanged (ip_isr). */
export function subtractBias(image: Image<Float32Array>, bias: Image<Float32Array>): void {
  checkSize(image, bias, "bias");
  image.sub(bias);
}

/**
 * Checks the dark times a dark correction scales by.
 * @throws IsrError BAD_CALIB unless the exposure's dark time is finite and the dark's is > 0 (s).
 */
export function checkDarkTimes(expDarkTime: number, darkDarkTime: number): void {
  if (!(darkDarkTime > 0) || !Number.isFinite(expDarkTime)) {
    throw new IsrError("BAD_CALIB", `dark scaling needs finite dark times (exposure ${expDarkTime} s, dark ${darkDarkTime} s)`);
  }
}

/**
 * image −= dark × (expDarkTime / darkDarkTime) (ip_isr `darkCorrection`). With a dark stored per
 * second, pass darkDarkTime = 1.
 * @param expDarkTime dark time of the exposure, s. @param darkDarkTime dark time the dark is normalised to, s.
 */
export function subtractDark(image: Image<Float32Array>, dark: Image<Float32Array>, expDarkTime: number, darkDarkTime = 1): void {
  checkSize(image, dark, "dark");
  checkDarkTimes(expDarkTime, darkDarkTime);
  image.scaledMinus(expDarkTime / darkDarkTime, dark);
}

/**
 * The normalisation `divideFlat` uses by default: the mean of the flat's finite positive pixels,
 * leaving out pixels with any of `badBits` in `mask` (same size as the flat) — a master flat's
 * hot or dead columns would otherwise shift the normalisation of every good pixel.
 * @throws IsrError BAD_CALIB when the flat has no usable pixel.
 */
export function flatScale(flat: Image<Float32Array>, mask?: Mask, badBits = 0): number {
  const f = flat.array;
  const fs = flat.stride;
  const m = mask !== undefined && badBits !== 0 ? mask.array : undefined;
  if (mask !== undefined) checkSize(flat, mask, "mask");
  const ms = mask?.stride ?? 0;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < flat.height; y++)
    for (let x = 0, o = y * fs, mo = y * ms, fw = flat.width; x < fw; x++) {
      const v = f[o + x]!;
      if (v > 0 && v < Number.POSITIVE_INFINITY && (m === undefined || (m[mo + x]! & badBits) === 0)) {
        sum += v;
        n++;
      }
    }
  if (n === 0) throw new IsrError("BAD_CALIB", "flat has no positive pixel");
  return sum / n;
}

/**
 * Flat-field division: image /= flat/scale, variance /= (flat/scale)²; `scale` defaults to the
 * mean of the flat's finite positive pixels ({@link flatScale}, which can also leave out defects;
 * so a flat with any normalisation can be used).
 * Pixels where the flat is ≤ 0 or NaN become NaN (masked later as BAD).
 * @returns the scale used.
 */
export function divideFlat(mi: MaskedImage<Float32Array>, flat: Image<Float32Array>, scale?: number): number {
  checkSize(mi, flat, "flat");
  const f = flat.array;
  const fs = flat.stride;
  const s = scale ?? flatScale(flat);
  const im = mi.image.array;
  const vr = mi.variance.array;
  const is = mi.image.stride;
  const vs = mi.variance.stride;
  const inv = 1 / s;
  for (let y = 0; y < mi.height; y++) {
    const io = y * is;
    const vo = y * vs;
    const fo = y * fs;
    for (let x = 0, W = mi.width; x < W; x++) {
      const g = f[fo + x]! * inv;
      if (g > 0) {
        const r = 1 / g;
        im[io + x] = im[io + x]! * r;
        vr[vo + x] = vr[vo + x]! * (r * r);
      } else {
        im[io + x] = Number.NaN;
        vr[vo + x] = Number.NaN;
      }
    }
  }
  return s;
}

/** Multiplies each amplifier's pixels by its gain (ADU → electrons). */
export function applyGains(image: Image<Float32Array>, detector: Detector): void {
  for (const amp of detector.amplifiers) {
    const g = amp.gain;
    const a = image.array;
    forBox(image, amp.bbox, (o, w) => {
      for (let i = o, e = o + w; i < e; i++) a[i] = a[i]! * g;
    });
  }
}

/**
 * Variance plane from an image in electrons: var = max(image, 0) + readNoise² per amplifier
 * (e⁻²), i.e. signal/gain + (readNoise/gain)² in ADU² scaled by gain² (ip_isr `updateVariance`).
 * Pixels with negative model variance cannot occur; NaN pixels get NaN variance.
 */
export function setVarianceElectrons(mi: MaskedImage<Float32Array>, detector: Detector): void {
  const im = mi.image;
  const vr = mi.variance;
  for (const amp of detector.amplifiers) {
    const rn2 = amp.readNoise * amp.readNoise;
    for (let y = amp.bbox.min.y; y <= amp.bbox.max.y; y++) {
      const io = (y - im.y0) * im.stride + (amp.bbox.min.x - im.x0);
      const vo = (y - vr.y0) * vr.stride + (amp.bbox.min.x - vr.x0);
      const a = im.array;
      const v = vr.array;
      for (let x = 0, W = amp.bbox.width; x < W; x++) {
        const s = a[io + x]!;
        v[vo + x] = Math.max(s, 0) + rn2;
      }
    }
  }
}

/**
 * Polynomial linearity on one amplifier's box: x ← Σ c_k x^k (coeffs c0, c1, ...; [0, 1] is the
 * identity). Values in ADU.
 */
export function linearizePolynomial(image: Image<Float32Array>, bbox: Box2I, coeffs: readonly number[]): void {
  if (coeffs.length === 0) throw new IsrError("BAD_OPTION", "linearity polynomial has no coefficient");
  const a = image.array;
  const n = coeffs.length;
  forBox(image, bbox, (o, w) => {
    for (let i = o, e = o + w; i < e; i++) {
      const x = a[i]!;
      let s = coeffs[n - 1]!;
      for (let k = n - 2; k >= 0; k--) s = s * x + coeffs[k]!;
      a[i] = s;
    }
  });
}

/**
 * Lookup-table linearity (ip_isr `LinearizeLookupTable`): x ← x + table[clamp(floor(x) + offset)].
 * @param table correction in ADU per integer raw level.
 */
export function linearizeLookupTable(image: Image<Float32Array>, bbox: Box2I, table: ArrayLike<number>, offset = 0): void {
  if (table.length === 0) throw new IsrError("BAD_OPTION", "linearity lookup table is empty");
  const a = image.array;
  const last = table.length - 1;
  forBox(image, bbox, (o, w) => {
    for (let i = o, e = o + w; i < e; i++) {
      const x = a[i]!;
      if (Number.isNaN(x)) continue;
      let k = Math.floor(x) + offset;
      k = k < 0 ? 0 : Math.min(k, last);
      a[i] = x + (table[k] as number);
    }
  });
}

/** Position of pixel (u, v) counted from an amplifier's readout corner, in assembled coordinates. */
function fromCorner(amp: Amplifier, u: number, v: number): [number, number] {
  const b = amp.bbox;
  const right = amp.readoutCorner === "LR" || amp.readoutCorner === "UR";
  const top = amp.readoutCorner === "UL" || amp.readoutCorner === "UR";
  return [right ? b.max.x - u : b.min.x + u, top ? b.max.y - v : b.min.y + v];
}

/**
 * Crosstalk removal on the assembled image (ip_isr `CrosstalkTask`, after assembly): for target amp
 * i, pixel at readout position (u, v) −= Σ_j coeffs[i][j] × source amp j's pixel at the same readout
 * position. Sources are read from a copy, so the order of amplifiers does not matter.
 * @param coeffs n×n matrix (diagonal ignored), n = number of amplifiers.
 */
export function crosstalkCorrect(image: Image<Float32Array>, detector: Detector, coeffs: readonly (readonly number[])[]): void {
  const amps = detector.amplifiers;
  if (coeffs.length !== amps.length || coeffs.some((r) => r.length !== amps.length)) {
    throw new IsrError("BAD_OPTION", `crosstalk matrix must be ${amps.length}x${amps.length} for detector ${detector.name}`);
  }
  const src = image.clone();
  const a = image.array;
  const s = src.array;
  const st = image.stride;
  amps.forEach((t, i) => {
    amps.forEach((srcAmp, j) => {
      const c = coeffs[i]![j]!;
      if (i === j || c === 0) return;
      const w = Math.min(t.bbox.width, srcAmp.bbox.width);
      const h = Math.min(t.bbox.height, srcAmp.bbox.height);
      for (let v = 0; v < h; v++) {
        for (let u = 0; u < w; u++) {
          const [tx, ty] = fromCorner(t, u, v);
          const [sx, sy] = fromCorner(srcAmp, u, v);
          const ti = (ty - image.y0) * st + tx - image.x0;
          a[ti] = a[ti]! - c * s[(sy - image.y0) * st + sx - image.x0]!;
        }
      }
    });
  });
}

/** ORs `bits` where the image is NaN or infinite. @returns pixels flagged. */
export function maskNans(image: Image<Float32Array>, mask: Mask, bits: number): number {
  let n = 0;
  const a = image.array;
  const m = mask.array;
  const W = image.width;
  for (let y = 0; y < image.height; y++) {
    const io = y * image.stride;
    const mo = y * mask.stride;
    for (let x = 0; x < W; x++) {
      // v - v is NaN exactly for NaN and ±Infinity
      const v = a[io + x]!;
      if (v - v !== 0) {
        m[mo + x]! |= bits;
        n++;
      }
    }
  }
  return n;
}

/** ORs `bits` over a border `width` pixels wide. */
export function maskEdges(mask: Mask, width: number, bits: number): void {
  if (width <= 0) return;
  const b = mask.bbox;
  const w = Math.min(width, b.width, b.height);
  mask.orBits(bits, new Box2I(b.min.x, b.min.y, b.max.x, b.min.y + w - 1));
  mask.orBits(bits, new Box2I(b.min.x, b.max.y - w + 1, b.max.x, b.max.y));
  mask.orBits(bits, new Box2I(b.min.x, b.min.y, b.min.x + w - 1, b.max.y));
  mask.orBits(bits, new Box2I(b.max.x - w + 1, b.min.y, b.max.x, b.max.y));
}
