/** Tabulated Lanczos kernels (no per-tap trigonometry), shared by every backend. */

/** Samples per unit of the tabulated kernels. */
export const LANCZOS_SAMPLES = 1024;

const tables = new Map<number, Float32Array>();

/** Analytic Lanczos-n: sinc(x) sinc(x/n) for |x| < n, else 0. */
export function lanczosExact(x: number, n: number): number {
  const ax = Math.abs(x);
  if (ax >= n) return 0;
  if (ax < 1e-12) return 1;
  const px = Math.PI * ax;
  return (n * Math.sin(px) * Math.sin(px / n)) / (px * px);
}

/**
 * Lanczos-n sampled at i/LANCZOS_SAMPLES for i = 0..n*LANCZOS_SAMPLES+1 (the last two are 0), with
 * exact zeros at the integers >= 1, for linear interpolation.
 */
export function lanczosTable(n: number): Float32Array {
  let t = tables.get(n);
  if (!t) {
    t = new Float32Array(n * LANCZOS_SAMPLES + 2);
    for (let i = 0; i <= n * LANCZOS_SAMPLES; i++)
      t[i] = i % LANCZOS_SAMPLES === 0 && i > 0 ? 0 : lanczosExact(i / LANCZOS_SAMPLES, n);
    tables.set(n, t);
  }
  return t;
}

/** Tabulated Lanczos-n at x (linear interpolation in the table), in float32 arithmetic like the wasm kernel. */
export function lanczosTab(table: Float32Array, n: number, x: number): number {
  const t = Math.fround(Math.abs(x) * LANCZOS_SAMPLES);
  if (t >= n * LANCZOS_SAMPLES) return 0;
  const i = Math.floor(t);
  const f = Math.fround(t - i);
  const a = table[i]!;
  const b = table[i + 1]!;
  return Math.fround(a + Math.fround(f * Math.fround(b - a)));
}

/** Lanes per row of a phase table: 2n taps padded to a multiple of 4. */
export function phaseLanes(n: number): number {
  return Math.ceil((2 * n) / 4) * 4;
}

const phaseTables = new Map<number, Float32Array>();

/**
 * Normalised Lanczos-n weights of the 2n taps for each sub-pixel phase p/LANCZOS_SAMPLES,
 * p = 0..LANCZOS_SAMPLES: row p holds w_k = L(f + n - 1 - k) / Σ (f = phase), k = 0..2n-1, padded
 * with zeros to `phaseLanes(n)`. Weights at a phase between rows are interpolated linearly (still
 * summing to 1), so resampling needs no trigonometry and no per-pixel normalisation.
 */
export function lanczosPhaseTable(n: number): Float32Array {
  let t = phaseTables.get(n);
  if (!t) {
    const L = phaseLanes(n);
    t = new Float32Array((LANCZOS_SAMPLES + 1) * L);
    for (let p = 0; p <= LANCZOS_SAMPLES; p++) {
      const f = p / LANCZOS_SAMPLES;
      const w = new Float64Array(2 * n);
      let s = 0;
      for (let k = 0; k < 2 * n; k++) {
        const x = f + n - 1 - k;
        w[k] = Number.isInteger(x) ? (x === 0 ? 1 : 0) : lanczosExact(x, n);
        s += w[k]!;
      }
      for (let k = 0; k < 2 * n; k++) t[p * L + k] = w[k]! / s;
    }
    phaseTables.set(n, t);
  }
  return t;
}

/**
 * Weights of the 2n Lanczos taps at phase f in [0, 1) from a phase table, in float32 arithmetic
 * exactly as the wasm kernel does (so both backends get identical weights).
 */
export function lanczosPhaseWeights(table: Float32Array, n: number, f: number, out: Float64Array): void {
  const L = phaseLanes(n);
  const u = Math.fround(Math.fround(f) * LANCZOS_SAMPLES);
  const i = Math.min(Math.floor(u), LANCZOS_SAMPLES - 1);
  const t = Math.fround(u - i);
  for (let k = 0; k < 2 * n; k++) {
    const a = table[i * L + k]!;
    const b = table[(i + 1) * L + k]!;
    out[k] = Math.fround(a + Math.fround(t * Math.fround(b - a)));
  }
}
