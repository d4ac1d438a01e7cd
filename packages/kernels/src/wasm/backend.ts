/**
 * The `wasm` backend: AssemblyScript SIMD kernels on a shared-memory image arena, rows split over a
 * worker pool. Memory ownership: see the package README ("Wasm memory").
 */
import type {
  ConvolveOptions,
  Footprint,
  Kernel2D,
  ResampleGrid,
  ResampleOptions,
  StackOptions,
  StackResult,
  StatsControl,
  StatsRegion,
  StatsResult,
} from "../api.js";
import type { Backend } from "../backend.js";
import { lanczosPhaseTable } from "../lanczos.js";
import { binStatisticsWith, chebyshevEvalTs, chebyshevFitTs, interpolateGridTs } from "../ts/background.js";
import { fillBorder, kernelArray } from "../ts/common.js";
import { buildFootprints, checkDetect, labelRuns, markFootprints, thresholdRuns } from "../ts/detect.js";
import { arithTs, clipTs, histogramTs } from "../ts/elementwise.js";
import { checkGrid, kernelHalfWidth } from "../ts/resample.js";
import { checkStack } from "../ts/stack.js";
import { IQR_TO_SIGMA, regionIndices } from "../ts/statistics.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";
import { Arena } from "./arena.js";
import { loadWasmBytes } from "./load.js";
import { type WasmCall, WasmPool } from "./pool.js";
import { BOX_STATS_MIN, boxStatistics } from "./statistics.js";
import { type WasmModule, wasmApi } from "./wasm-types.js";

const NO_DATA = 1 << 8;
const EDGE = 1 << 4;

/** Options of the wasm backend. */
export interface WasmBackendOptions {
  /** Worker threads (1 = run on the calling thread). Default SKYSTACK_THREADS, else the core count (max 8). */
  threads?: number;
  /** Initial arena size in bytes. Default 16 MiB (it grows on demand up to 4 GiB). */
  initialBytes?: number;
}

type Exports = Record<string, (...a: number[]) => number>;

function defaultThreads(): number {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    navigator?: { hardwareConcurrency?: number };
  };
  const env = Number(g.process?.env?.SKYSTACK_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(8, g.navigator?.hardwareConcurrency ?? 1));
}

/**
 * The border outside the good region [gx0, gx1) x [gy0, gy1), as `fillBorder` (ts/common.ts) does
 * it pixel by pixel, but with one typed-array fill or copy per row segment (1 ms -> ~0.1 ms on
 * 4096x2048): "nodata" gives image NaN, variance +inf, mask NO_DATA; "copy" the input pixel with
 * mask OR EDGE (variance 0 when the input has none).
 */
function fillBorderRows(src: Planes, out: Planes, gx0: number, gx1: number, gy0: number, gy1: number, copy: boolean): void {
  const { width: W, height: H } = src;
  const x0 = Math.min(Math.max(gx0, 0), W);
  const x1 = Math.min(Math.max(gx1, x0), W);
  const seg = (y: number, a: number, b: number): void => {
    if (b <= a) return;
    const o = y * out.stride;
    const i = y * src.stride;
    if (!copy) {
      out.image.fill(Number.NaN, o + a, o + b);
      out.variance?.fill(Number.POSITIVE_INFINITY, o + a, o + b);
      out.mask?.fill(NO_DATA, o + a, o + b);
      return;
    }
    out.image.set(src.image.subarray(i + a, i + b), o + a);
    if (out.variance) {
      if (src.variance) out.variance.set(src.variance.subarray(i + a, i + b), o + a);
      else out.variance.fill(0, o + a, o + b);
    }
    if (out.mask) {
      const m = out.mask;
      const sm = src.mask;
      for (let x = a; x < b; x++) m[o + x] = (sm ? sm[i + x]! : 0) | EDGE;
    }
  };
  for (let y = 0; y < H; y++) {
    if (y >= gy0 && y < gy1 && x1 > x0) {
      seg(y, 0, x0);
      seg(y, x1, W);
    } else seg(y, 0, W);
  }
}

/** True when k has odd length and k[i] == k[n-1-i] in float32 (the wasm mirrored-pair form applies). */
function isSymmetric(k: ArrayLike<number>): boolean {
  const n = k.length;
  if ((n & 1) === 0) return false;
  for (let i = 0; i < n >> 1; i++) if (Math.fround(k[i]!) !== Math.fround(k[n - 1 - i]!)) return false;
  return true;
}

/** Splits [y0, y1) into at most n contiguous chunks. */
function chunks(y0: number, y1: number, n: number): [number, number][] {
  const rows = y1 - y0;
  if (rows <= 0) return [];
  const k = Math.max(1, Math.min(n, rows));
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const a = y0 + Math.floor((rows * i) / k);
    const b = y0 + Math.floor((rows * (i + 1)) / k);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** Makes the wasm backend, or returns why it cannot run here. */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<Backend | string> {
  const WA = wasmApi();
  if (!WA) return "WebAssembly is not available";
  if (typeof SharedArrayBuffer === "undefined")
    return "SharedArrayBuffer is not available (browsers need cross-origin isolation)";
  let bytes: Uint8Array;
  try {
    bytes = await loadWasmBytes();
  } catch (e) {
    return `build/kernels.wasm is missing (run \`npm run build:wasm -w @skystack/kernels\`): ${e instanceof Error ? e.message : String(e)}`;
  }
  let module: WasmModule;
  try {
    module = await WA.compile(bytes);
  } catch (e) {
    return `kernels.wasm does not compile here (SIMD/threads unsupported?): ${e instanceof Error ? e.message : String(e)}`;
  }
  const arena = new Arena(options.initialBytes);
  const inst = new WA.Instance(module, { env: { memory: arena.memory } });
  const X = inst.exports as unknown as Exports;
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new KernelError("threads", `must be a positive integer, got ${threads}`);
  const pool = threads > 1 ? await WasmPool.create(threads, module, arena.memory) : null;
  const tables = new Map<number, number>();

  /** Runs phases of calls; each phase is a list of jobs (one per chunk) that may run in parallel. */
  const runJobs = async (jobs: WasmCall[][]): Promise<void> => {
    if (jobs.length === 0) return;
    if (!pool || jobs.length === 1) {
      for (const job of jobs) for (const c of job) X[c.fn]!(...c.args);
      return;
    }
    await pool.run(jobs);
  };
  /** One job per row chunk of [y0, y1): make(a, b) gives the calls of rows [a, b). */
  const byRows = (y0: number, y1: number, make: (a: number, b: number, k: number) => WasmCall[]): WasmCall[][] =>
    chunks(y0, y1, threads).map(([a, b], k) => make(a, b, k));

  /** Temporary arena allocations of one kernel call, freed by `done`. */
  class Scope {
    private readonly temps: number[] = [];
    alloc(bytes: number): number {
      const p = arena.alloc(bytes);
      this.temps.push(p);
      return p;
    }
    /** Pointer to `a` in the arena (copies `n` elements in when `a` lives elsewhere). */
    input(a: Float32Array | Int32Array, n: number): number {
      if (arena.owns(a)) return a.byteOffset;
      const p = this.alloc(n * 4);
      (a instanceof Float32Array ? arena.f32(p, n) : arena.i32(p, n)).set(a.subarray(0, n));
      return p;
    }
    f32(values: ArrayLike<number>): number {
      const p = this.alloc(values.length * 4);
      arena.f32(p, values.length).set(values);
      return p;
    }
    i32(values: ArrayLike<number>): number {
      const p = this.alloc(values.length * 4);
      arena.i32(p, values.length).set(values);
      return p;
    }
    f64(values: ArrayLike<number>): number {
      const p = this.alloc(values.length * 8);
      arena.f64(p, values.length).set(values);
      return p;
    }
    done(): void {
      for (const p of this.temps) arena.free(p);
      this.temps.length = 0;
    }
  }

  const alloc = (w: number, h: number, p: { mask?: boolean; variance?: boolean } = {}): Planes => {
    const n = w * h;
    const img = arena.alloc(n * 4);
    const planes: Planes = { width: w, height: h, stride: w, image: arena.f32(img, n) };
    if (p.mask ?? true) planes.mask = arena.i32(arena.alloc(n * 4), n);
    if (p.variance ?? true) planes.variance = arena.f32(arena.alloc(n * 4), n);
    return planes;
  };
  const freeArr = (a: ArrayBufferView | undefined): void => {
    if (a && arena.owns(a) && arena.isBlock(a.byteOffset)) arena.free(a.byteOffset);
  };
  const free = (p: Planes): void => {
    freeArr(p.image);
    freeArr(p.mask);
    freeArr(p.variance);
    freeArr((p as Partial<StackResult>).count);
  };
  const allocOpt = (w: number, h: number, p: { mask: boolean; variance: boolean }): Planes => alloc(w, h, p);

  /** Output planes in the arena: `out` itself when it lives there, else a temporary copied back by `finish`. */
  const output = (
    out: Planes | undefined,
    w: number,
    h: number,
    mask: boolean,
    variance: boolean,
    scope: Scope,
  ): { p: Planes; finish: () => Planes } => {
    if (!out) {
      const p = alloc(w, h, { mask, variance });
      return { p, finish: () => p };
    }
    if (out.width !== w || out.height !== h) throw new KernelError("out", `is ${out.width}x${out.height}, expected ${w}x${h}`);
    if (mask && !out.mask) throw new KernelError("out.mask", "is missing but the input has a mask");
    if (variance && !out.variance) throw new KernelError("out.variance", "is missing but the input has a variance");
    const inArena = arena.owns(out.image) && (!out.mask || arena.owns(out.mask)) && (!out.variance || arena.owns(out.variance));
    if (inArena) return { p: out, finish: () => out };
    const n = (h - 1) * out.stride + w;
    const p: Planes = { width: w, height: h, stride: out.stride, image: arena.f32(scope.alloc(n * 4), n) };
    if (out.mask) p.mask = arena.i32(scope.alloc(n * 4), n);
    if (out.variance) p.variance = arena.f32(scope.alloc(n * 4), n);
    return {
      p,
      finish: () => {
        out.image.set(p.image.subarray(0, n));
        if (out.mask && p.mask) out.mask.set(p.mask.subarray(0, n));
        if (out.variance && p.variance) out.variance.set(p.variance.subarray(0, n));
        return out;
      },
    };
  };
  const span = (p: Planes): number => (p.height - 1) * p.stride + p.width;

  const convolveSeparable = async (
    src: Planes,
    kxIn: ArrayLike<number>,
    kyIn: ArrayLike<number>,
    opts: ConvolveOptions = {},
    out?: Planes,
  ): Promise<Planes> => {
    checkPlanes(src, "src");
    const normalize = opts.normalize ?? true;
    const kx = kernelArray(kxIn, normalize, "kx");
    const ky = kernelArray(kyIn, normalize, "ky");
    const { width: W, height: H, stride: S } = src;
    const scope = new Scope();
    try {
      const o = output(out, W, H, !!src.mask, !!src.variance, scope);
      const op = o.p;
      const cx = (kx.length - 1) >> 1;
      const cy = (ky.length - 1) >> 1;
      const gx0 = cx;
      const gx1 = W - (kx.length - 1 - cx);
      const gy0 = cy;
      const gy1 = H - (ky.length - 1 - cy);
      if (gx1 > gx0 && gy1 > gy0) {
        // One fused pass per plane (asm/conv.ts): horizontal pass into a ring of ky.length rows
        // per worker, vertical pass out of it, so no full-size intermediate is written.
        const gw = gx1 - gx0;
        const n = span(src);
        const img = scope.input(src.image, n);
        const kxp = scope.f32(kx);
        const kyp = scope.f32(ky);
        const symx = isSymmetric(kx) ? 1 : 0;
        const symy = isSymmetric(ky) ? 1 : 0;
        const oOff = gx0 * 4;
        const OS = op.stride;
        const oImg = op.image.byteOffset + oOff;
        const jobs = chunks(gy0, gy1, threads);
        const ringB = X.ringBytes!(gw, ky.length);
        const rings = jobs.map(() => scope.alloc(ringB));
        let vr = 0;
        let kx2 = 0;
        let ky2 = 0;
        if (src.variance && op.variance) {
          vr = scope.input(src.variance, n);
          kx2 = scope.f32(kx.map((v) => v * v));
          ky2 = scope.f32(ky.map((v) => v * v));
        }
        let m = 0;
        let nzx = 0;
        let nzy = 0;
        if (op.mask) {
          nzx = scope.i32(Array.from(kx, (v) => (v !== 0 ? -1 : 0)));
          nzy = scope.i32(Array.from(ky, (v) => (v !== 0 ? -1 : 0)));
          if (src.mask) m = scope.input(src.mask, n);
        }
        const kxl = kx.length;
        const kyl = ky.length;
        await runJobs(
          jobs.map(([a, b], k) => {
            const r = rings[k]!;
            const c: WasmCall[] = [{ fn: "convSep", args: [img, S, oImg, OS, kxp, kxl, kyp, kyl, cy, gw, a, b, r, symx, symy] }];
            if (vr) {
              const oVar = op.variance!.byteOffset + oOff;
              c.push({ fn: "convSep", args: [vr, S, oVar, OS, kx2, kxl, ky2, kyl, cy, gw, a, b, r, symx, symy] });
            }
            if (op.mask) {
              const oMask = op.mask.byteOffset + oOff;
              c.push({ fn: "orSep", args: [m, S, oMask, oImg, OS, nzx, kxl, nzy, kyl, cy, gw, a, b, r, NO_DATA] });
            }
            return c;
          }),
        );
      }
      fillBorderRows(src, op, gx0, Math.max(gx0, gx1), gy0, Math.max(gy0, gy1), opts.edge === "copy");
      return o.finish();
    } finally {
      scope.done();
    }
  };

  const convolve2d = async (src: Planes, kernel: Kernel2D, opts: ConvolveOptions = {}, out?: Planes): Promise<Planes> => {
    checkPlanes(src, "src");
    const { width: kw, height: kh } = kernel;
    if (!Number.isInteger(kw) || kw < 1 || !Number.isInteger(kh) || kh < 1 || kernel.data.length !== kw * kh) {
      throw new KernelError("kernel", `must be width x height values, got ${kw}x${kh} with ${kernel.data.length}`);
    }
    const k = kernelArray(kernel.data, opts.normalize ?? true, "kernel");
    const { width: W, height: H, stride: S } = src;
    const scope = new Scope();
    try {
      const o = output(out, W, H, !!src.mask, !!src.variance, scope);
      const op = o.p;
      const cx = (kw - 1) >> 1;
      const cy = (kh - 1) >> 1;
      const gx0 = cx;
      const gx1 = W - (kw - 1 - cx);
      const gy0 = cy;
      const gy1 = H - (kh - 1 - cy);
      if (gx1 > gx0 && gy1 > gy0) {
        const gw = gx1 - gx0;
        const n = span(src);
        const img = scope.input(src.image, n);
        const kp = scope.f32(k);
        const OS = op.stride;
        const oOff = (gy0 * OS + gx0) * 4;
        const oImg = op.image.byteOffset + oOff;
        const vr = src.variance && op.variance ? scope.input(src.variance, n) : 0;
        const k2 = vr ? scope.f32(k.map((v) => v * v)) : 0;
        const m = op.mask
          ? src.mask
            ? scope.input(src.mask, n)
            : (() => {
                const p = scope.alloc(n * 4);
                arena.i32(p, n).fill(0);
                return p;
              })()
          : 0;
        const nz = m ? scope.i32(Array.from(k, (v) => (v !== 0 ? -1 : 0))) : 0;
        await runJobs(
          byRows(0, gy1 - gy0, (a, b) => {
            const c: WasmCall[] = [{ fn: "conv2dRows", args: [img, S, oImg, OS, kp, kw, kh, gw, a, b] }];
            if (vr) c.push({ fn: "conv2dRows", args: [vr, S, op.variance!.byteOffset + oOff, OS, k2, kw, kh, gw, a, b] });
            if (m) c.push({ fn: "or2dRows", args: [m, S, op.mask!.byteOffset + oOff, oImg, OS, nz, kw, kh, gw, a, b, NO_DATA] });
            return c;
          }),
        );
      }
      fillBorder(src, op, gx0, Math.max(gx0, gx1), gy0, Math.max(gy0, gy1), opts.edge === "copy");
      return o.finish();
    } finally {
      scope.done();
    }
  };

  const resample = async (src: Planes, grid: ResampleGrid, opts: ResampleOptions = {}, out?: Planes): Promise<Planes> => {
    checkPlanes(src, "src");
    checkGrid(grid);
    const kernel = opts.kernel ?? "lanczos3";
    const N = kernelHalfWidth(kernel);
    if (N === undefined) throw new KernelError("kernel", `unknown resampling kernel "${kernel}"`);
    const code = kernel === "nearest" ? 0 : kernel === "bilinear" ? 1 : N;
    let t = 0;
    if (code >= 3) {
      t = tables.get(code) ?? 0;
      if (!t) {
        const tab = lanczosPhaseTable(code);
        t = arena.alloc(tab.length * 4);
        arena.f32(t, tab.length).set(tab);
        tables.set(code, t);
      }
    }
    const { width: W, height: H, stride: S } = src;
    const scope = new Scope();
    try {
      const o = output(out, grid.width, grid.height, !!src.mask, !!src.variance, scope);
      const op = o.p;
      const n = span(src);
      const img = scope.input(src.image, n);
      const msk = src.mask && op.mask ? scope.input(src.mask, n) : 0;
      const vr = src.variance && op.variance ? scope.input(src.variance, n) : 0;
      const P =
        grid.kind === "affine"
          ? scope.f64([grid.a, grid.b, grid.c, grid.d, grid.e, grid.f, Math.abs(grid.a * grid.e - grid.b * grid.d)])
          : scope.f64([0, 0, 0, 0, 0, 0, 1]);
      const gx = grid.kind === "coords" ? scope.f64(grid.x) : 0;
      const gy = grid.kind === "coords" ? scope.f64(grid.y) : 0;
      const dm = op.mask ? op.mask.byteOffset : 0;
      const dv = op.variance ? op.variance.byteOffset : 0;
      if (op.mask && !msk) op.mask.fill(0, 0, span(op));
      await runJobs(
        byRows(0, grid.height, (a, b) => [
          {
            fn: "resampleRows",
            args: [
              img,
              msk,
              vr,
              W,
              H,
              S,
              op.image.byteOffset,
              dm,
              dv,
              op.stride,
              grid.width,
              grid.height,
              a,
              b,
              grid.kind === "affine" ? 0 : 1,
              P,
              gx,
              gy,
              code,
              t,
              opts.conserveFlux ? 1 : 0,
              scope.alloc(256),
              NO_DATA,
              EDGE,
            ],
          },
        ]),
      );
      if (op.mask && !msk) {
        // No input mask: only NO_DATA where the result is NaN (the kernel wrote it when dmsk was given).
      }
      return o.finish();
    } finally {
      scope.done();
    }
  };

  const statistics = async (src: Planes, region?: StatsRegion, ctrl: StatsControl = {}): Promise<StatsResult> => {
    checkPlanes(src, "src");
    const andMask = ctrl.andMask ?? 0;
    const k = ctrl.numSigmaClip ?? 3;
    const numIter = ctrl.numIter ?? 3;
    const nanSafe = ctrl.nanSafe ?? true;
    if (!(k > 0)) throw new KernelError("numSigmaClip", `must be > 0, got ${k}`);
    if (!Number.isInteger(numIter) || numIter < 1) throw new KernelError("numIter", `must be a positive integer, got ${numIter}`);
    const box = region?.box ?? { x0: 0, y0: 0, width: src.width, height: src.height };
    if (!region?.indices) regionIndices(src, { box: { x0: box.x0, y0: box.y0, width: 0, height: 0 } }); // bounds check only
    if (
      !region?.indices &&
      (box.x0 + box.width > src.width || box.y0 + box.height > src.height || box.width < 0 || box.height < 0)
    ) {
      throw new KernelError(
        "region.box",
        `(${box.x0},${box.y0}) ${box.width}x${box.height} is not inside the ${src.width}x${src.height} image`,
      );
    }
    if (region?.indices) regionIndices(src, region);
    const wts = region?.weights;
    const sp = span(src);
    if (wts && wts.length < sp) throw new KernelError("region.weights", "is shorter than the image");
    const scope = new Scope();
    try {
      if (!region?.indices && !wts && nanSafe && box.width * box.height >= BOX_STATS_MIN) {
        // Large boxes: histogram order statistics and SIMD clip passes over the pixels in place.
        const img = scope.input(src.image, sp);
        const msk = src.mask ? scope.input(src.mask, sp) : 0;
        return await boxStatistics({ X, arena, runJobs, threads }, { img, msk, stride: src.stride, ...box, andMask, k, numIter });
      }
      const total = region?.indices ? region.indices.length : box.width * box.height;
      const img = scope.input(src.image, sp);
      const msk = src.mask ? scope.input(src.mask, sp) : 0;
      const wp = wts ? scope.input(wts, sp) : 0;
      const idx = region?.indices ? scope.input(region.indices, region.indices.length) : 0;
      const vals = scope.alloc(Math.max(1, total) * 4);
      const wv = wts ? scope.alloc(Math.max(1, total) * 8) : 0;
      const R = scope.alloc(64);
      const M = scope.alloc(64);
      const r = arena.f64(R, 7);
      const n = X.gather!(
        img,
        msk,
        wp,
        src.stride,
        box.x0,
        box.y0,
        box.width,
        box.height,
        idx,
        region?.indices?.length ?? 0,
        andMask,
        nanSafe ? 1 : 0,
        vals,
        wv,
        R,
      )!;
      const nMasked = r[1]!;
      const nNon = r[2]!;
      const orMask = r[3]! | 0;
      const min = r[4]!;
      const max = r[5]!;
      const sum = r[6]!;
      const mv = (c: number, hw: number): { mean: number; variance: number; kept: number; sw: number; sw2: number } => {
        X.meanVar!(vals, wv, n, c, hw, M);
        const a = arena.f64(M, 5);
        return { mean: a[0]!, variance: a[1]!, kept: a[2]!, sw: a[3]!, sw2: a[4]! };
      };
      const all = mv(0, Number.POSITIVE_INFINITY);
      // Quantiles by selection (nth_element): the median on [0, n), then the quartiles inside the
      // two halves it leaves; each neighbour (index + 1) is the minimum of the part above it.
      let sel = vals;
      if (wv && n > 0) {
        // Selection permutes the values: with weights, select on a copy so (value, weight) pairs stay aligned.
        sel = scope.alloc(n * 4);
        arena.f32(sel, n).set(arena.f32(vals, n));
      }
      const at = new Map<number, number>();
      const ranks =
        n > 0
          ? [
              ...new Set(
                [0.25, 0.5, 0.75].flatMap((f) => [Math.floor(f * (n - 1)), Math.min(Math.floor(f * (n - 1)) + 1, n - 1)]),
              ),
            ].sort((x, y) => x - y)
          : [];
      // Histogram range: mean +- 8 sigma inside [min, max] (outliers land in the end bins, still counted).
      const hlo = Math.max(min, all.mean - 8 * Math.sqrt(all.variance));
      const hhi = Math.min(max, all.mean + 8 * Math.sqrt(all.variance));
      if (n >= 65536 && nanSafe && Number.isFinite(hlo) && Number.isFinite(hhi) && hhi > hlo) {
        // Exact order statistics from a 65536-bin histogram: one counting pass, one pass copying the
        // values of the few bins that hold the wanted ranks, then a sort of those values only.
        const NB = 65536;
        const scale = NB / (hhi - hlo);
        const h = scope.alloc(NB * 4);
        X.histo!(vals, n, hlo, scale, NB, h);
        const hist = arena.u32(h, NB);
        const want: { rank: number; bin: number; within: number }[] = [];
        let cum = 0;
        let ri = 0;
        for (let bin = 0; bin < NB && ri < ranks.length; bin++) {
          const c = hist[bin]!;
          while (ri < ranks.length && ranks[ri]! < cum + c) {
            want.push({ rank: ranks[ri]!, bin, within: ranks[ri]! - cum });
            ri++;
          }
          cum += c;
        }
        const bins = [...new Set(want.map((w2) => w2.bin))];
        const lut = scope.alloc(NB);
        new Uint8Array(arena.memory.buffer, lut, NB).fill(0);
        const offsP = scope.alloc(bins.length * 4);
        const offs = arena.i32(offsP, bins.length);
        let total2 = 0;
        const starts: number[] = [];
        bins.forEach((bin, t) => {
          new Uint8Array(arena.memory.buffer, lut, NB)[bin] = t + 1;
          starts.push(total2);
          offs[t] = total2;
          total2 += hist[bin]!;
        });
        const dst = scope.alloc(Math.max(1, total2) * 4);
        X.collect!(vals, n, hlo, scale, NB, lut, offsP, dst);
        const sorted = bins.map((bin, t) =>
          arena
            .f32(dst + 4 * starts[t]!, hist[bin]!)
            .slice()
            .sort(),
        );
        for (const w2 of want) at.set(w2.rank, sorted[bins.indexOf(w2.bin)]![w2.within]!);
      } else if (n > 0) {
        const loM = Math.floor(0.5 * (n - 1));
        at.set(loM, X.select!(sel, 0, n, loM)!);
        if (loM + 1 < n) at.set(loM + 1, X.minOf!(sel, loM + 1, n)!);
        const lo1 = Math.floor(0.25 * (n - 1));
        if (lo1 < loM) {
          at.set(lo1, X.select!(sel, 0, loM, lo1)!);
          if (lo1 + 1 < loM) at.set(lo1 + 1, X.minOf!(sel, lo1 + 1, loM)!);
        }
        const lo3 = Math.floor(0.75 * (n - 1));
        if (lo3 > loM + 1) {
          at.set(lo3, X.select!(sel, loM + 1, n, lo3)!);
          if (lo3 + 1 < n) at.set(lo3 + 1, X.minOf!(sel, lo3 + 1, n)!);
        } else if (lo3 === loM + 1 && lo3 + 1 < n) {
          X.select!(sel, loM + 1, n, lo3 + 1);
          at.set(lo3 + 1, arena.f32(sel + 4 * (lo3 + 1), 1)[0]!);
        }
      }
      const q = (f: number): number => {
        if (n === 0) return Number.NaN;
        const p = f * (n - 1);
        const lo = Math.floor(p);
        const a = at.get(lo)!;
        return a + (p - lo) * (at.get(Math.min(lo + 1, n - 1))! - a);
      };
      const median = q(0.5);
      const q1 = q(0.25);
      const q3 = q(0.75);
      const iqr = q3 - q1;
      let centre = median;
      let hw = k * IQR_TO_SIGMA * iqr;
      let clip = { mean: Number.NaN, variance: Number.NaN, kept: 0 };
      for (let it = 0; it < numIter; it++) {
        clip = mv(centre, hw);
        centre = clip.mean;
        hw = k * Math.sqrt(clip.variance);
      }
      return {
        npoint: n,
        nMasked,
        nNonFinite: nNon,
        sum,
        mean: all.mean,
        variance: all.variance,
        stdev: Math.sqrt(all.variance),
        meanErr: Math.sqrt((all.variance * all.sw2) / (all.sw * all.sw)),
        meanSquare: ((n - 1) / n) * all.variance + all.mean * all.mean,
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
      scope.done();
    }
  };

  const stack = async (inputs: Planes[], opts: StackOptions = {}, out?: StackResult): Promise<StackResult> => {
    const w = checkStack(inputs, opts);
    const a = inputs[0]!;
    const S = a.stride;
    if (!inputs.every((p) => p.stride === S))
      throw new KernelError("inputs", "the wasm stack needs every input to have the same stride");
    const N = inputs.length;
    const hasMask = inputs.every((p) => p.mask);
    const hasVar = inputs.every((p) => p.variance);
    const scope = new Scope();
    try {
      const o = output(out, a.width, a.height, hasMask, hasVar, scope);
      const op = o.p;
      const ns = span(op);
      let count: Int32Array;
      let countFinish = (): void => {};
      if (out?.count && arena.owns(out.count) && op === out) count = out.count;
      else if (out?.count) {
        count = arena.i32(scope.alloc(ns * 4), ns);
        const dst = out.count;
        countFinish = () => dst.set(count.subarray(0, ns));
      } else count = arena.i32(arena.alloc(ns * 4), ns);
      const n = span(a);
      const imgs = scope.i32(inputs.map((p) => scope.input(p.image, n)));
      const msks = hasMask && op.mask ? scope.i32(inputs.map((p) => scope.input(p.mask!, n))) : 0;
      const vars = hasVar && op.variance ? scope.i32(inputs.map((p) => scope.input(p.variance!, n))) : 0;
      const wp = scope.f64(w);
      const th = Object.entries(opts.maskPropagationThresholds ?? {}).flatMap(([b, t]) => [1 << Number(b), t]);
      const T = scope.f64(th.length ? th : [0]);
      const st = opts.statistic ?? "mean";
      const code = st === "mean" ? 0 : st === "median" ? 1 : 2;
      if (op.variance && !hasVar) op.variance.fill(Number.NaN, 0, ns);
      if (op.mask && !msks) op.mask.fill(0, 0, ns);
      await runJobs(
        byRows(0, a.height, (y0, y1) => [
          {
            fn: "stackRows",
            args: [
              imgs,
              msks,
              vars,
              N,
              a.width,
              S,
              op.stride,
              y0,
              y1,
              code,
              wp,
              opts.andMask ?? 0,
              opts.numSigmaClip ?? 3,
              opts.numIter ?? 3,
              T,
              th.length / 2,
              op.image.byteOffset,
              vars ? op.variance!.byteOffset : 0,
              msks ? op.mask!.byteOffset : 0,
              count.byteOffset,
              scope.alloc(N * 160 + 160),
              NO_DATA,
            ],
          },
        ]),
      );
      if (op.mask && !msks) for (let i = 0; i < ns; i++) if (count[i] === 0) op.mask[i] = NO_DATA;
      const res = o.finish();
      countFinish();
      return { ...res, count: out?.count ?? count };
    } finally {
      scope.done();
    }
  };

  const detect = async (src: Planes, opts: import("../api.js").DetectOptions): Promise<Footprint[]> => {
    checkDetect(src, opts);
    const { width: W, height: H, stride: S } = src;
    const scope = new Scope();
    let runs: Int32Array;
    try {
      const n = span(src);
      const img = scope.input(src.image, n);
      const msk = src.mask ? scope.input(src.mask, n) : 0;
      const sign = (opts.polarity ?? "positive") === "negative" ? -1 : 1;
      const parts = chunks(0, H, threads);
      const caps = parts.map(([a, b]) => Math.min((b - a) * ((W >> 1) + 1), 1 << 20));
      const bufs = caps.map((c) => scope.alloc(c * 12));
      const counts = scope.alloc(parts.length * 4);
      // Each chunk stores its run count (or -1 on overflow) at counts[k].
      await runJobs(
        parts.map(([a, b], k) => [
          {
            fn: "thresholdRunsTo",
            args: [img, msk, W, S, a, b, opts.threshold, sign, opts.andMask ?? 0, bufs[k]!, caps[k]!, counts + 4 * k],
          },
        ]),
      );
      const results = Array.from(arena.i32(counts, parts.length));
      if (results.some((r) => r < 0)) runs = thresholdRuns(src, opts);
      else {
        const total = results.reduce((s, r) => s + r, 0);
        runs = new Int32Array(total * 3);
        let off = 0;
        results.forEach((r, k) => {
          runs.set(arena.i32(bufs[k]!, r * 3), off);
          off += r * 3;
        });
      }
    } finally {
      scope.done();
    }
    const fps = buildFootprints(src, runs, labelRuns(runs), opts);
    markFootprints(src, fps, opts.setMask ?? 0);
    return fps;
  };

  const scale = async (a: Planes, c: number, out?: Planes): Promise<Planes> => {
    checkPlanes(a, "a");
    const scope = new Scope();
    try {
      const o = output(out, a.width, a.height, !!a.mask, !!a.variance, scope);
      const op = o.p;
      const n = span(a);
      const img = scope.input(a.image, n);
      const vr = a.variance && op.variance ? scope.input(a.variance, n) : 0;
      await runJobs(
        byRows(0, a.height, (y0, y1) => [
          {
            fn: "scaleRows",
            args: [img, vr, a.stride, op.image.byteOffset, vr ? op.variance!.byteOffset : 0, op.stride, a.width, c, y0, y1],
          },
        ]),
      );
      if (a.mask && op.mask)
        for (let y = 0; y < a.height; y++) op.mask.set(a.mask.subarray(y * a.stride, y * a.stride + a.width), y * op.stride);
      return o.finish();
    } finally {
      scope.done();
    }
  };

  const b: Backend = {
    name: "wasm",
    native: new Set(["convolveSeparable", "convolve2d", "resample", "statistics", "stack", "detect", "scale", "binStatistics"]),
    threads,
    alloc,
    free,
    convolveSeparable,
    convolve2d,
    resample,
    statistics,
    stack,
    binStatistics: (src, nx, ny, st, ctrl) => binStatisticsWith((s, box, c) => statistics(s, { box }, c), src, nx, ny, st, ctrl),
    chebyshevFit: async (x, y, v, w, ox, oy, box) => chebyshevFitTs(x, y, v, w, ox, oy, box),
    chebyshevEval: async (c, w, h) => chebyshevEvalTs(c, w, h),
    interpolateGrid: async (g, w, h) => interpolateGridTs(g, w, h),
    detect,
    arith: async (x, y, op, out) => arithTs(x, y, op, out, allocOpt),
    scale,
    clip: async (x, lo, hi, out) => clipTs(x, lo, hi, out, allocOpt),
    histogram: async (x, opts) => histogramTs(x, opts),
  };
  return b;
}
