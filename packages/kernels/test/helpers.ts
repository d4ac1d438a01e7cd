// Deterministic test images and comparison helpers for the kernel tests.
import type { Planes } from "@skystack/kernels";

/** xorshift32 uniform deviates in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Options of a synthetic test image. */
export interface SynthOptions {
  stride?: number;
  nanFraction?: number;
  maskFraction?: number;
  mask?: boolean;
  variance?: boolean;
  seed?: number;
}

/** Noise + a smooth gradient + a few bright pixels, with NaNs and mask bits sprinkled in. */
export function synth(width: number, height: number, o: SynthOptions = {}): Planes {
  const stride = o.stride ?? width;
  const n = (height - 1) * stride + width;
  const r = rng(o.seed ?? 1234);
  const image = new Float32Array(n);
  const mask = o.mask === false ? undefined : new Int32Array(n);
  const variance = o.variance === false ? undefined : new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < stride; x++) {
      const i = y * stride + x;
      if (i >= n) break;
      image[i] = 10 + 0.05 * x - 0.03 * y + 3 * (r() - 0.5) + (r() < 0.01 ? 200 * r() : 0);
      if (variance) variance[i] = 1 + r();
      if (mask && r() < (o.maskFraction ?? 0.02)) mask[i] = 1 << Math.floor(r() * 9);
      if (r() < (o.nanFraction ?? 0.005)) image[i] = Number.NaN;
    }
  }
  return { width, height, stride, image, mask, variance };
}

/** Copies planes into arrays made by `alloc` (e.g. a wasm arena). */
export function copyInto(p: Planes, alloc: (w: number, h: number, q: { mask?: boolean; variance?: boolean }) => Planes): Planes {
  // Same stride as the source, so index-based inputs (weights, pixel lists) stay valid.
  const q = { ...alloc(p.stride, p.height, { mask: !!p.mask, variance: !!p.variance }), width: p.width };
  for (let y = 0; y < p.height; y++) {
    const a = y * p.stride;
    const b = y * q.stride;
    q.image.set(p.image.subarray(a, a + p.width), b);
    if (p.mask && q.mask) q.mask.set(p.mask.subarray(a, a + p.width), b);
    if (p.variance && q.variance) q.variance.set(p.variance.subarray(a, a + p.width), b);
  }
  return q;
}

/** First difference between two float planes beyond tol * max(1, max|ref|); NaN/inf must match exactly. */
export function floatDiff(
  name: string,
  ref: Float32Array,
  got: Float32Array,
  width: number,
  height: number,
  rs: number,
  gs: number,
  tol: number,
): string | null {
  let scale = 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = Math.abs(ref[y * rs + x]!);
      if (Number.isFinite(v) && v > scale) scale = v;
    }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = ref[y * rs + x]!;
      const b = got[y * gs + x]!;
      if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) {
        if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) return `${name}(${x},${y}): ref ${a}, got ${b}`;
        continue;
      }
      if (Math.abs(a - b) > tol * scale)
        return `${name}(${x},${y}): ref ${a}, got ${b} (|diff| ${Math.abs(a - b)} > ${tol * scale})`;
    }
  }
  return null;
}

/** First difference between two planes: image/variance within tol, mask exact. */
export function planesDiff(ref: Planes, got: Planes, tol: number): string | null {
  if (ref.width !== got.width || ref.height !== got.height)
    return `size ${got.width}x${got.height} != ${ref.width}x${ref.height}`;
  const d = floatDiff("image", ref.image, got.image, ref.width, ref.height, ref.stride, got.stride, tol);
  if (d) return d;
  if (!!ref.variance !== !!got.variance) return "variance presence differs";
  if (ref.variance && got.variance) {
    const dv = floatDiff("variance", ref.variance, got.variance, ref.width, ref.height, ref.stride, got.stride, tol);
    if (dv) return dv;
  }
  if (!!ref.mask !== !!got.mask) return "mask presence differs";
  if (ref.mask && got.mask) {
    for (let y = 0; y < ref.height; y++)
      for (let x = 0; x < ref.width; x++) {
        const a = ref.mask[y * ref.stride + x]!;
        const b = got.mask[y * got.stride + x]!;
        if (a !== b) return `mask(${x},${y}): ref ${a}, got ${b}`;
      }
  }
  return null;
}

/** Exact (bitwise) equality of two planes, for determinism checks. */
export function planesIdentical(a: Planes, b: Planes): boolean {
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const i = y * a.stride + x;
      const j = y * b.stride + x;
      if (!Object.is(a.image[i], b.image[j])) return false;
      if (a.variance && !Object.is(a.variance[i], b.variance![j])) return false;
      if (a.mask && a.mask[i] !== b.mask![j]) return false;
    }
  return true;
}
