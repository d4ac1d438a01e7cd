/**
 * Reference detection: threshold, 8-connected components of row runs (afw FootprintSet: a run
 * touching a run of the previous row at x-1..x+1 joins it), footprints with < npixMin pixels
 * dropped, peaks = local maxima (>= every detected 8-neighbour, strictly > those earlier in raster
 * order, so a plateau gives one peak) above threshold * includeMultiplier; footprints without a
 * peak are dropped. Non-finite pixels are never detected.
 */
import type { DetectOptions, Footprint, Peak } from "../api.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";

/** Row runs of pixels passing the threshold, as (y, x0, x1) triples in raster order. */
export function thresholdRuns(src: Planes, opts: DetectOptions): Int32Array {
  const { width: W, height: H, stride: S } = src;
  const sign = (opts.polarity ?? "positive") === "negative" ? -1 : 1;
  const t = opts.threshold;
  const andMask = opts.andMask ?? 0;
  const runs: number[] = [];
  for (let y = 0; y < H; y++) {
    let x0 = -1;
    for (let x = 0; x <= W; x++) {
      let pass = false;
      if (x < W) {
        const i = y * S + x;
        pass = sign * src.image[i]! >= t && (!src.mask || (src.mask[i]! & andMask) === 0);
      }
      if (pass && x0 < 0) x0 = x;
      else if (!pass && x0 >= 0) {
        runs.push(y, x0, x - 1);
        x0 = -1;
      }
    }
  }
  return Int32Array.from(runs);
}

/** Groups runs into 8-connected components (union-find); returns the component id of each run (ids in order of first run). */
export function labelRuns(runs: Int32Array): Int32Array {
  const n = runs.length / 3;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  let prevStart = 0;
  let prevEnd = 0;
  let curStart = 0;
  for (let r = 0; r < n; r++) {
    const y = runs[3 * r]!;
    if (r === curStart || runs[3 * (r - 1)] !== y) {
      if (r > 0 && runs[3 * (r - 1)] === y - 1) {
        prevStart = curStart;
        prevEnd = r;
      } else {
        prevStart = prevEnd = r;
      }
      curStart = r;
    }
    const x0 = runs[3 * r + 1]!;
    const x1 = runs[3 * r + 2]!;
    for (let p = prevStart; p < prevEnd; p++) {
      if (runs[3 * p + 2]! < x0 - 1) continue;
      if (runs[3 * p + 1]! > x1 + 1) break;
      const a = find(r);
      const b = find(p);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const label = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const root = find(r);
    let id = ids.get(root);
    if (id === undefined) {
      id = ids.size;
      ids.set(root, id);
    }
    label[r] = id;
  }
  return label;
}

/** Builds footprints (with peaks) from labelled runs. */
export function buildFootprints(src: Planes, runs: Int32Array, label: Int32Array, opts: DetectOptions): Footprint[] {
  const { width: W, height: H, stride: S } = src;
  const sign = (opts.polarity ?? "positive") === "negative" ? -1 : 1;
  const t = opts.threshold;
  const andMask = opts.andMask ?? 0;
  const peakMin = t * (opts.includeMultiplier ?? 1);
  const npixMin = opts.npixMin ?? 1;
  let nComp = 0;
  for (const l of label) if (l + 1 > nComp) nComp = l + 1;
  const groups: number[][] = Array.from({ length: nComp }, () => []);
  for (let r = 0; r < label.length; r++) groups[label[r]!]!.push(r);
  const detected = (x: number, y: number): boolean => {
    if (x < 0 || y < 0 || x >= W || y >= H) return false;
    const i = y * S + x;
    return sign * src.image[i]! >= t && (!src.mask || (src.mask[i]! & andMask) === 0);
  };
  const out: Footprint[] = [];
  for (const g of groups) {
    let npix = 0;
    const spans = new Int32Array(g.length * 3);
    let x0 = Infinity;
    let x1 = -Infinity;
    g.forEach((r, k) => {
      spans[3 * k] = runs[3 * r]!;
      spans[3 * k + 1] = runs[3 * r + 1]!;
      spans[3 * k + 2] = runs[3 * r + 2]!;
      npix += runs[3 * r + 2]! - runs[3 * r + 1]! + 1;
      x0 = Math.min(x0, runs[3 * r + 1]!);
      x1 = Math.max(x1, runs[3 * r + 2]!);
    });
    if (npix < npixMin) continue;
    const peaks: Peak[] = [];
    for (let k = 0; k < g.length; k++) {
      const y = spans[3 * k]!;
      for (let x = spans[3 * k + 1]!; x <= spans[3 * k + 2]!; x++) {
        const v = sign * src.image[y * S + x]!;
        if (!(v >= peakMin)) continue;
        let isPeak = true;
        for (let dy = -1; dy <= 1 && isPeak; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            if (dx === 0 && dy === 0) continue;
            if (!detected(x + dx, y + dy)) continue;
            const nv = sign * src.image[(y + dy) * S + x + dx]!;
            const earlier = dy < 0 || (dy === 0 && dx < 0);
            if (earlier ? nv >= v : nv > v) {
              isPeak = false;
              break;
            }
          }
        }
        if (isPeak) peaks.push({ x, y, value: src.image[y * S + x]! });
      }
    }
    if (peaks.length === 0) continue;
    peaks.sort((a, b) => sign * (b.value - a.value) || a.y - b.y || a.x - b.x);
    out.push({ spans, npix, bbox: { x0, y0: spans[0]!, x1, y1: spans[spans.length - 3]! }, peaks });
  }
  return out;
}

/** Checks detection options. */
export function checkDetect(src: Planes, opts: DetectOptions): void {
  checkPlanes(src, "src");
  if (!Number.isFinite(opts.threshold)) throw new KernelError("threshold", `must be finite, got ${opts.threshold}`);
  if (opts.polarity !== undefined && opts.polarity !== "positive" && opts.polarity !== "negative")
    throw new KernelError("polarity", `must be "positive" or "negative", got ${String(opts.polarity)}`);
}

/** ORs opts.setMask onto every pixel of the footprints. */
export function markFootprints(src: Planes, fps: Footprint[], bit: number): void {
  if (!bit || !src.mask) return;
  for (const f of fps)
    for (let k = 0; k < f.spans.length; k += 3) {
      const row = f.spans[k]! * src.stride;
      for (let x = f.spans[k + 1]!; x <= f.spans[k + 2]!; x++) src.mask[row + x]! |= bit;
    }
}

/** Detection (reference implementation). */
export function detectTs(src: Planes, opts: DetectOptions): Footprint[] {
  checkDetect(src, opts);
  const runs = thresholdRuns(src, opts);
  const fps = buildFootprints(src, runs, labelRuns(runs), opts);
  markFootprints(src, fps, opts.setMask ?? 0);
  return fps;
}
