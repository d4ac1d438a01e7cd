/**
 * Box statistics of the wasm backend without gathering the pixels (asm/stats.ts; algorithm in the
 * package README, "Wasm memory"): exact order statistics from a radix histogram of
 * order-preserving float keys plus a quickselect inside the few bins holding the wanted ranks;
 * unclipped and clipped moments as shifted float64 sums of a core of bins (fixed row blocks) plus
 * the tail values outside it (kept in row order), so the result does not depend on the thread
 * count; the two passes over the image are split over the worker pool.
 */
import type { StatsResult } from "../api.js";
import { IQR_TO_SIGMA } from "../ts/statistics.js";
import type { Arena } from "./arena.js";
import type { WasmCall } from "./pool.js";

/** What the box statistics need from the backend. */
export interface StatsContext {
  /** The calling thread's exports (histMerge, histRanks, histRange, select, minOf, tailSums). */
  X: Record<string, (...a: number[]) => number>;
  arena: Arena;
  /** Runs one phase of jobs (one per worker) in parallel. */
  runJobs: (jobs: WasmCall[][]) => Promise<void>;
  threads: number;
}

/** Input of the box statistics: pointers into the arena. */
export interface BoxStatsInput {
  /** Byte offset of the image (f32) and mask (i32, 0 = none), row stride in pixels. */
  img: number;
  msk: number;
  stride: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
  andMask: number;
  /** numSigmaClip and numIter of StatisticsControl. */
  k: number;
  numIter: number;
}

/** Boxes of at least this many pixels take `boxStatistics` (smaller ones gather and select). */
export const BOX_STATS_MIN = 65536;

/** Key bins of the radix histogram (top 20 bits of the order-preserving key), plus one slot for unused pixels. */
const NBINS = 1 << 20;
const HIST_BYTES = (NBINS + 1) * 4 + 60;
/** Keys per bin. */
const KEY_SPAN = 1 << 12;
/** The bin of +0 (key 0x80000000); -0 is the last key of the bin below. */
const ZERO_BIN = NBINS / 2;
/** Margin between the core and the first clip interval, as a fraction of its largest possible half-width. */
const BAND_FRACTION = 0.2;
/** When more than this fraction of the values lies outside the core, clip passes read the image. */
const MAX_REST_FRACTION = 0.25;
/** Fewest pixels worth a worker (below it the pool's message round trip costs more than it saves). */
const PIXELS_PER_THREAD = 1 << 18;
const FLT_MAX = 3.4028234663852886e38;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Order-preserving u32 key of a float32 value. */
function toKey(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}

/** The float32 value of a key. */
function fromKey(k: number): number {
  u32[0] = (k & 0x80000000 ? k ^ 0x80000000 : ~k) >>> 0;
  return f32[0]!;
}

/**
 * The float32 values x with |x - c| <= hw evaluated in float64 (exactly the oracle's test) form an
 * interval [lo, hi] of finite floats; returns it, or null when no finite float passes.
 */
export function f32Interval(c: number, hw: number): [number, number] | null {
  if (!(hw >= 0) || !Number.isFinite(c)) return null;
  const pass = (k: number): boolean => Math.abs(fromKey(k) - c) <= hw;
  const kMin = toKey(-FLT_MAX);
  const kMax = toKey(FLT_MAX);
  const m = toKey(Math.max(-FLT_MAX, Math.min(FLT_MAX, Math.fround(c))));
  let seed = -1;
  for (const k of [m, m - 1, m + 1]) if (k >= kMin && k <= kMax && pass(k)) seed = k;
  if (seed < 0) return null;
  let a = seed;
  let b = kMax;
  if (pass(b)) a = b;
  else
    while (b - a > 1) {
      const mid = a + Math.floor((b - a) / 2);
      if (pass(mid)) a = mid;
      else b = mid;
    }
  const hi = a;
  a = kMin;
  b = seed;
  if (pass(a)) b = a;
  else
    while (b - a > 1) {
      const mid = a + Math.floor((b - a) / 2);
      if (pass(mid)) b = mid;
      else a = mid;
    }
  return [fromKey(b), fromKey(hi)];
}

/** Splits [0, n) into at most t contiguous ranges. */
function split(n: number, t: number): [number, number][] {
  const k = Math.max(1, Math.min(t, n));
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const a = Math.floor((n * i) / k);
    const b = Math.floor((n * (i + 1)) / k);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** afw statistics (lsst-anatomy 1.7) of the used pixels of a box, unit weights, NaN-safe. */
export async function boxStatistics(ctx: StatsContext, p: BoxStatsInput): Promise<StatsResult> {
  const { X, arena } = ctx;
  const { img, msk, stride: S, x0, y0, width: w, height: h, andMask, k, numIter } = p;
  // Fixed row blocks of ~32k pixels: the unit of the f64 partial sums, whatever the thread count.
  const blockRows = Math.max(1, Math.ceil(32768 / Math.max(1, w)));
  const nBlocks = Math.ceil(h / blockRows);
  // Thread chunks (whole blocks); boxes under PIXELS_PER_THREAD pixels per worker stay on this thread.
  const parts = split(nBlocks, Math.min(ctx.threads, Math.ceil((w * h) / PIXELS_PER_THREAD)));
  const rows = (a: number, b: number): [number, number] => [a * blockRows, Math.min(h, b * blockRows)];
  const temps: number[] = [];
  const alloc = (bytes: number): number => {
    const q = arena.alloc(bytes);
    temps.push(q);
    return q;
  };
  try {
    const hists = alloc(HIST_BYTES * parts.length);
    const R = alloc(32 * parts.length);
    const P = alloc(24 * nBlocks);
    const part = arena.f64(P, 3 * nBlocks);
    /** Block partials [count, Σd, Σd²], summed in block order. */
    const sums = (): [number, number, number] => {
      let c = 0;
      let d = 0;
      let d2 = 0;
      for (let i = 0; i < nBlocks; i++) {
        c += part[3 * i]!;
        d += part[3 * i + 1]!;
        d2 += part[3 * i + 2]!;
      }
      return [c, d, d2];
    };
    // Pass 1: histogram of key bins, counts, mask OR, min/max.
    await ctx.runJobs(
      parts.map(([a, b], t) => {
        const [ya, yb] = rows(a, b);
        return [{ fn: "statsHist", args: [img, msk, S, x0, y0, w, ya, yb, andMask, hists + t * HIST_BYTES, R + 32 * t] }];
      }),
    );
    let nMasked = 0;
    let nNon = 0;
    let orMask = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    parts.forEach((_, t) => {
      const ri = arena.i32(R + 32 * t, 3);
      const rf = arena.f32(R + 32 * t + 12, 2);
      nMasked += ri[0]!;
      nNon += ri[1]!;
      orMask |= ri[2]!;
      if (rf[0]! < min) min = rf[0]!;
      if (rf[1]! > max) max = rf[1]!;
    });
    // A zero extreme may be -0 or +0 depending on the lane/thread split: report +0 (equal as numbers).
    if (min === 0) min = 0;
    if (max === 0) max = 0;
    const n = w * h - nMasked - nNon;
    // The key bins holding the ranks of the median and quartiles (and their upper neighbours).
    const ranks =
      n > 0
        ? [
            ...new Set([0.25, 0.5, 0.75].flatMap((f) => [Math.floor(f * (n - 1)), Math.min(Math.floor(f * (n - 1)) + 1, n - 1)])),
          ].sort((x, y) => x - y)
        : [];
    const bins: { bin: number; count: number; ranks: [number, number][] }[] = [];
    if (n > 0) {
      let merged = hists;
      if (parts.length > 1) {
        merged = alloc(NBINS * 4);
        X.histMerge!(hists, parts.length, HIST_BYTES, merged);
      }
      const rk = alloc(8 * ranks.length);
      arena.f64(rk, ranks.length).set(ranks);
      const found = alloc(16 * ranks.length);
      X.histRanks!(merged, rk, ranks.length, found);
      const f = arena.f64(found, 2 * ranks.length);
      const counts = arena.u32(merged, NBINS);
      ranks.forEach((r, i) => {
        const bin = f[2 * i]!;
        let e = bins[bins.length - 1];
        if (!e || e.bin !== bin) {
          e = { bin, count: counts[bin]!, ranks: [] };
          bins.push(e);
        }
        e.ranks.push([r, r - f[2 * i + 1]!]);
      });
    }
    interface Moments {
      mean: number;
      variance: number;
      kept: number;
      sum: number;
    }
    const none: Moments = { mean: Number.NaN, variance: Number.NaN, kept: 0, sum: 0 };
    const moments = (c: number, s: number, d: number, d2: number): Moments => ({
      mean: c > 0 ? s + d / c : Number.NaN,
      variance: c > 1 ? Math.max(0, d2 - (d * d) / c) / (c - 1) : Number.NaN,
      kept: c,
      sum: c * s + d,
    });
    // The core: from the bins of the median and quartiles, the first clip interval is known to a
    // few bins; the bins well inside it (by BAND_FRACTION of its half-width) are summed in pass 2,
    // and every used value outside them (the tails: a few per cent for sky) is kept, so a clip pass
    // whose interval contains the core is core + kept values, with no pass over the image. When
    // the tails are too big, every clip pass reads the image.
    const NONE = NBINS + 1;
    let k0 = NONE;
    let k1 = NONE;
    const nOf = parts.map(([a, b], t) => {
      const [ya, yb] = rows(a, b);
      const ri = arena.i32(R + 32 * t, 2);
      return (yb - ya) * w - ri[0]! - ri[1]!;
    });
    if (n > 0) {
      const binOf = (r: number): number => bins.find((e) => e.ranks.some(([x]) => x === r))!.bin;
      const lo = (b: number): number => fromKey(b * KEY_SPAN);
      const hi = (b: number): number => fromKey(b * KEY_SPAN + KEY_SPAN - 1);
      const at = (v: number): number => Math.floor(toKey(Math.max(-FLT_MAX, Math.min(FLT_MAX, v))) / KEY_SPAN);
      const r = (f: number): number => Math.floor(f * (n - 1));
      const up = (f: number): number => Math.min(r(f) + 1, n - 1);
      const mLo = lo(binOf(r(0.5)));
      const mHi = hi(binOf(up(0.5)));
      const iqrMin = Math.max(0, lo(binOf(r(0.75))) - hi(binOf(up(0.25))));
      const iqrMax = hi(binOf(up(0.75))) - lo(binOf(r(0.25)));
      const hwMin = k * IQR_TO_SIGMA * iqrMin;
      const delta = BAND_FRACTION * k * IQR_TO_SIGMA * iqrMax;
      let a = at(mHi - hwMin + delta) + 1;
      let b = at(mLo + hwMin - delta) - 1;
      // The core's float32 bounds must not split -0 (last negative bin) from +0 (first positive).
      if (a === ZERO_BIN) a++;
      if (b === ZERO_BIN - 1) b--;
      if (Number.isFinite(delta) && a <= b && a < NBINS && b >= 0) {
        const inCore = parts.map((_, t) => X.histRange!(hists + t * HIST_BYTES, a, b)!);
        if (n - inCore.reduce((x, y) => x + y, 0) <= n * MAX_REST_FRACTION) {
          k0 = a;
          k1 = b;
          for (const [t, c] of inCore.entries()) nOf[t] = nOf[t]! - c;
        }
      }
    }
    const rest = k0 !== NONE;
    const nRest = rest ? nOf.reduce((x, y) => x + y, 0) : 0;
    // Pass 2: the values of the target bins and the tails (each thread's after those of the threads
    // before it, so they lie in row order whatever the split) and the core's moments about the
    // lower edge of the median's bin.
    const g = alloc(128);
    const gv = arena.i32(g, 8);
    gv.set(bins.map((e) => e.bin));
    gv.set([k0, k1], 6);
    // Value bounds of the bins (SIMD prefilters); empty = [inf, -inf].
    const gf = arena.f32(g + 32, 14);
    gf.fill(Number.POSITIVE_INFINITY);
    for (let j = 0; j < 7; j++) gf[2 * j + 1] = Number.NEGATIVE_INFINITY;
    for (const [j, e] of bins.entries()) gf.set([fromKey(e.bin * KEY_SPAN), fromKey(e.bin * KEY_SPAN + KEY_SPAN - 1)], 2 * j);
    if (rest) gf.set([fromKey(k0 * KEY_SPAN), fromKey(k1 * KEY_SPAN + KEY_SPAN - 1)], 12);
    const bufs = bins.map((e) => alloc(Math.max(1, e.count) * 4));
    const restBuf = alloc(Math.max(1, nRest) * 4);
    const curs = alloc(64 * parts.length);
    let restBefore = 0;
    parts.forEach((_, t) => {
      const cur = arena.u32(curs + 64 * t, 7);
      bins.forEach((e, j) => {
        let before = 0;
        for (let u = 0; u < t; u++) before += arena.u32(hists + u * HIST_BYTES + e.bin * 4, 1)[0]!;
        cur[j] = bufs[j]! + 4 * before;
      });
      cur[6] = restBuf + 4 * restBefore;
      if (rest) restBefore += nOf[t]!;
    });
    const medBin = bins.find((e) => e.ranks.some(([r]) => r === Math.floor(0.5 * (n - 1))));
    const s0 = medBin ? fromKey(medBin.bin * KEY_SPAN) : 0;
    if (n > 0)
      await ctx.runJobs(
        parts.map(([a, b], t) => [
          {
            fn: "statsCollect",
            args: [img, msk, S, x0, y0, w, h, blockRows, a, b, andMask, s0, g, bins.length, curs + 64 * t, rest ? 1 : 0, P],
          },
        ]),
      );
    const core = sums();
    const sb = alloc(24);
    const sbv = arena.f64(sb, 3);
    /** Moments of core + the kept values in [lo, hi], or null when badly conditioned about s0. */
    const fromCore = (lo: number, hi: number): Moments | null => {
      X.tailSums!(restBuf, nRest, lo, hi, s0, sb);
      const m = moments(core[0] + sbv[0]!, s0, core[1] + sbv[1]!, core[2] + sbv[2]!);
      const dm = m.mean - s0;
      return dm * dm <= 1e4 * m.variance ? m : null;
    };
    // Exact order statistics: quickselect inside each collected bin (ranks ascending).
    const at = new Map<number, number>();
    bins.forEach((e, j) => {
      let from = 0;
      for (const [rank, within] of e.ranks) {
        const v = from > 0 && within === from ? X.minOf!(bufs[j]!, from, e.count)! : X.select!(bufs[j]!, from, e.count, within)!;
        at.set(rank, v);
        from = within + 1;
      }
    });
    const q = (f: number): number => {
      if (n === 0) return Number.NaN;
      const pos = f * (n - 1);
      const lo = Math.floor(pos);
      const a = at.get(lo)!;
      return a + (pos - lo) * (at.get(Math.min(lo + 1, n - 1))! - a);
    };
    const median = q(0.5);
    const q1 = q(0.25);
    const q3 = q(0.75);
    const iqr = q3 - q1;
    /** Moments of the used pixels in [lo, hi] (float32 bounds), summed about s. */
    const pass = async (lo: number, hi: number, s: number): Promise<Moments> => {
      await ctx.runJobs(
        parts.map(([a, b]) => [{ fn: "statsClip", args: [img, msk, S, x0, y0, w, h, blockRows, a, b, andMask, lo, hi, s, P] }]),
      );
      const [c, d, d2] = sums();
      return moments(c, s, d, d2);
    };
    // Moments summed about s lose ~eps * (mean - s)^2 / variance (relative): fromCore (about the
    // median bin's edge) declines when that is too large, and a pass about the median/centre runs.
    const full = -FLT_MAX;
    const all = n === 0 ? none : ((rest ? fromCore(full, FLT_MAX) : null) ?? (await pass(full, FLT_MAX, Math.fround(median))));
    const { mean, variance, sum } = all;
    // Clip passes: the float64 test |x - c| <= hw of the oracle is an exact float32 interval test.
    let centre = median;
    let hw = k * IQR_TO_SIGMA * iqr;
    let clip = none;
    for (let it = 0; it < numIter; it++) {
      const iv = f32Interval(centre, hw);
      clip = none;
      if (iv) {
        const covers = rest && toKey(iv[0]) <= k0 * KEY_SPAN && toKey(iv[1]) >= (k1 + 1) * KEY_SPAN - 1;
        clip =
          (covers ? fromCore(iv[0], iv[1]) : null) ??
          (await pass(iv[0], iv[1], Number.isFinite(Math.fround(centre)) ? Math.fround(centre) : iv[0]));
      }
      centre = clip.mean;
      hw = k * Math.sqrt(clip.variance);
    }
    return {
      npoint: n,
      nMasked,
      nNonFinite: nNon,
      sum,
      mean,
      variance,
      stdev: Math.sqrt(variance),
      meanErr: Math.sqrt(variance / n),
      meanSquare: ((n - 1) / n) * variance + mean * mean,
      min: n > 0 ? min : Number.NaN,
      max: n > 0 ? max : Number.NaN,
      median,
      q1,
      q3,
      iqr,
      meanClip: clip.mean,
      varianceClip: clip.variance,
      stdevClip: Math.sqrt(clip.variance),
      nClipped: n - clip.kept,
      orMask,
    };
  } finally {
    for (const t of temps) arena.free(t);
  }
}
