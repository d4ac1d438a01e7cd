/// <reference types="@webgpu/types" />
/**
 * The `webgpu` backend: WGSL compute for separable convolution, resampling and stacking (the other
 * kernels fall back to the `ts` reference). Node: the `webgpu` npm package (Dawn); browsers:
 * `navigator.gpu`. Every call creates its buffers, submits once, maps the results back, then
 * unmaps and destroys them (reference/toolchain.md section 3: the life cycle that avoided crashes).
 */
import type { ConvolveOptions, ResampleGrid, ResampleOptions, StackOptions, StackResult } from "../api.js";
import type { Backend } from "../backend.js";
import { lanczosPhaseTable, phaseLanes } from "../lanczos.js";
import { createTsBackend } from "../ts/backend.js";
import { fillBorder, kernelArray, outPlanes } from "../ts/common.js";
import { checkGrid, gridArea, gridPoint, kernelHalfWidth } from "../ts/resample.js";
import { checkStack, stackOut } from "../ts/stack.js";
import { checkPlanes, KernelError, type Planes } from "../types.js";
import { CONV_WGSL, MASK_WGSL, RESAMPLE_WGSL, STACK_WGSL } from "./shaders.js";

const NO_DATA = 1 << 8;
const EDGE = 1 << 4;
const MAX_STACK = 64;

async function getGpu(): Promise<GPU | string> {
  const g = globalThis as { navigator?: { gpu?: GPU }; process?: { versions?: { node?: string } } };
  if (g.navigator?.gpu) return g.navigator.gpu;
  if (g.process?.versions?.node) {
    try {
      const mod = (await import("webgpu")) as unknown as { create: (o: string[]) => GPU; globals: object };
      Object.assign(globalThis, mod.globals);
      return mod.create([]);
    } catch (e) {
      return `the webgpu npm package (Dawn) did not load: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return "no navigator.gpu in this environment";
}

/** Options of the webgpu backend. */
export interface WebGpuBackendOptions {
  /**
   * Also run resampling and stacking on the GPU. Default: SKYSTACK_WEBGPU_EXPERIMENTAL=1. Off by
   * default because on Mesa lavapipe these two shaders crash the process (README, "WebGPU").
   */
  experimental?: boolean;
}

/** Makes the WebGPU backend, or returns why it is unavailable (no adapter, no package). */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<Backend | string> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const experimental = options.experimental ?? env?.SKYSTACK_WEBGPU_EXPERIMENTAL === "1";
  const gpu = await getGpu();
  if (typeof gpu === "string") return gpu;
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    return "no WebGPU adapter (no GPU and no software Vulkan driver such as Mesa lavapipe: run scripts/ci/install-vulkan.sh)";
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(adapter.limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  let lost: string | null = null;
  void device.lost.then((i) => {
    lost = `device lost: ${i.message}`;
  });
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const ts = createTsBackend();
  const pipelines = new Map<string, GPUComputePipeline>();
  /** Compiles every pipeline once (createComputePipelineAsync rejects on WGSL errors). */
  for (const [name, code, entries] of [
    ["conv", CONV_WGSL, ["rows", "cols"]],
    ["mask", MASK_WGSL, ["rows", "cols"]],
    ["resample", RESAMPLE_WGSL, ["main"]],
    ["stack", STACK_WGSL, ["main"]],
  ] as const) {
    const module = device.createShaderModule({ code });
    for (const entry of entries) {
      try {
        pipelines.set(
          `${name}.${entry}`,
          await device.createComputePipelineAsync({ layout: "auto", compute: { module, entryPoint: entry } }),
        );
      } catch (e) {
        return `webgpu: the ${name}.${entry} shader does not compile on this adapter: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }
  const pipeline = (code: string, entry: string): GPUComputePipeline => {
    const name = code === CONV_WGSL ? "conv" : code === MASK_WGSL ? "mask" : code === RESAMPLE_WGSL ? "resample" : "stack";
    return pipelines.get(`${name}.${entry}`)!;
  };

  /** Buffers of one call, destroyed by `done`. */
  class Call {
    private readonly bufs: GPUBuffer[] = [];
    storage(data: ArrayBufferView | number, copyDst = true): GPUBuffer {
      const size = typeof data === "number" ? data : data.byteLength;
      if (size > maxBinding)
        throw new KernelError("size", `a ${size}-byte buffer exceeds this adapter's storage binding limit (${maxBinding})`);
      const b = device.createBuffer({
        size: Math.max(16, Math.ceil(size / 4) * 4),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | (copyDst ? GPUBufferUsage.COPY_DST : 0),
      });
      this.bufs.push(b);
      if (typeof data !== "number")
        device.queue.writeBuffer(
          b,
          0,
          data.buffer as ArrayBuffer,
          data.byteOffset,
          Math.ceil(data.byteLength / 4) * 4 === data.byteLength ? data.byteLength : data.byteLength,
        );
      return b;
    }
    uniform(values: number[]): GPUBuffer {
      const u = new Uint32Array(16);
      u.set(values);
      const b = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      this.bufs.push(b);
      device.queue.writeBuffer(b, 0, u);
      return b;
    }
    bind(p: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
      return device.createBindGroup({
        layout: p.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    }
    /** Reads buffers back (sizes in bytes). */
    async read(list: [GPUBuffer, number][]): Promise<ArrayBuffer[]> {
      const enc = device.createCommandEncoder();
      const staging = list.map(([b, size]) => {
        const s = device.createBuffer({
          size: Math.max(16, Math.ceil(size / 4) * 4),
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        });
        enc.copyBufferToBuffer(b, 0, s, 0, Math.ceil(size / 4) * 4);
        return s;
      });
      device.queue.submit([enc.finish()]);
      if (this.scoped) {
        this.scoped = false;
        const err = await device.popErrorScope();
        if (err) throw new Error(`webgpu validation error: ${err.message}`);
      }
      // Keep the event loop alive while the map is pending (a pending mapAsync alone may let Node exit).
      const keepAlive = setInterval(() => {}, 1000);
      try {
        await Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ)));
      } finally {
        clearInterval(keepAlive);
      }
      const out = staging.map((s, i) => s.getMappedRange().slice(0, list[i]![1]));
      for (const s of staging) {
        s.unmap();
        s.destroy();
      }
      return out;
    }
    private scoped = false;
    dispatch(passes: [GPUComputePipeline, GPUBindGroup, number, number][]): void {
      if (!this.scoped) {
        device.pushErrorScope("validation");
        this.scoped = true;
      }
      const enc = device.createCommandEncoder();
      for (const [p, bg, x, y] of passes) {
        if (x > 65535 || y > 65535) throw new KernelError("size", `dispatch of ${x}x${y} workgroups exceeds 65535 per dimension`);
        if (x === 0 || y === 0) continue;
        const pass = enc.beginComputePass();
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(x, y);
        pass.end();
      }
      device.queue.submit([enc.finish()]);
    }
    done(): void {
      for (const b of this.bufs) b.destroy();
    }
  }
  const alive = (): void => {
    if (lost) throw new Error(`webgpu: ${lost}`);
  };
  const compact = <T extends Float32Array | Int32Array>(a: T, p: Planes): T => {
    const n = (p.height - 1) * p.stride + p.width;
    return a.subarray(0, n) as T;
  };
  const copyRows = (
    dst: Float32Array | Int32Array,
    ds: number,
    src: Float32Array | Int32Array,
    ss: number,
    w: number,
    h: number,
  ): void => {
    for (let y = 0; y < h; y++) dst.set(src.subarray(y * ss, y * ss + w), y * ds);
  };

  const convolveSeparable = async (
    src: Planes,
    kxIn: ArrayLike<number>,
    kyIn: ArrayLike<number>,
    opts: ConvolveOptions = {},
    out?: Planes,
  ): Promise<Planes> => {
    alive();
    checkPlanes(src, "src");
    const normalize = opts.normalize ?? true;
    const kx = kernelArray(kxIn, normalize, "kx");
    const ky = kernelArray(kyIn, normalize, "ky");
    const { width: W, height: H, stride: S } = src;
    const o = outPlanes(out, W, H, !!src.mask, !!src.variance);
    const cx = (kx.length - 1) >> 1;
    const cy = (ky.length - 1) >> 1;
    const gx1 = W - (kx.length - 1 - cx);
    const gy1 = H - (ky.length - 1 - cy);
    const gx0 = cx;
    const gy0 = cy;
    if (gx1 > gx0 && gy1 > gy0) {
      const gw = gx1 - gx0;
      const c = new Call();
      try {
        const on = (H - 1) * o.stride + W;
        const params = [S, gw, kx.length, H, cy, gy0, gy1 - gy0, o.stride, gx0, NO_DATA];
        const pr = pipeline(CONV_WGSL, "rows");
        const pc = pipeline(CONV_WGSL, "cols");
        const passes: [GPUComputePipeline, GPUBindGroup, number, number][] = [];
        const reads: [GPUBuffer, number][] = [];
        const planesF: [Float32Array, Float64Array, Float64Array][] = [[compact(src.image, src), kx, ky]];
        if (src.variance && o.variance) planesF.push([compact(src.variance, src), kx.map((v) => v * v), ky.map((v) => v * v)]);
        const outs: GPUBuffer[] = [];
        for (const [data, a, b] of planesF) {
          const sb = c.storage(data);
          const tmp = c.storage(gw * H * 4, false);
          const ob = c.storage(on * 4, false);
          const ub = c.uniform([S, gw, a.length, H, cy, gy0, gy1 - gy0, o.stride, gx0, NO_DATA]);
          const ub2 = c.uniform([S, gw, b.length, H, cy, gy0, gy1 - gy0, o.stride, gx0, NO_DATA]);
          passes.push([pr, c.bind(pr, [sb, tmp, c.storage(Float32Array.from(a)), ub]), Math.ceil(gw / 64), H]);
          passes.push([pc, c.bind(pc, [tmp, ob, c.storage(Float32Array.from(b)), ub2]), Math.ceil(gw / 64), gy1 - gy0]);
          outs.push(ob);
          reads.push([ob, on * 4]);
        }
        void params;
        if (o.mask) {
          const mr = pipeline(MASK_WGSL, "rows");
          const mc = pipeline(MASK_WGSL, "cols");
          const mb = c.storage(src.mask ? compact(src.mask, src) : new Int32Array((H - 1) * S + W));
          const tmp = c.storage(gw * H * 4, false);
          const ob = c.storage(on * 4, false);
          const u1 = c.uniform([S, gw, kx.length, H, cy, gy0, gy1 - gy0, o.stride, gx0, NO_DATA]);
          const u2 = c.uniform([S, gw, ky.length, H, cy, gy0, gy1 - gy0, o.stride, gx0, NO_DATA]);
          passes.push([
            mr,
            c.bind(mr, [mb, tmp, c.storage(Int32Array.from(kx, (v) => (v !== 0 ? -1 : 0))), u1]),
            Math.ceil(gw / 64),
            H,
          ]);
          passes.push([
            mc,
            c.bind(mc, [tmp, ob, c.storage(Int32Array.from(ky, (v) => (v !== 0 ? -1 : 0))), u2, outs[0]!]),
            Math.ceil(gw / 64),
            gy1 - gy0,
          ]);
          reads.push([ob, on * 4]);
        }
        c.dispatch(passes);
        const res = await c.read(reads);
        const put = <T extends Float32Array | Int32Array>(dst: T, buf: ArrayBuffer, ctor: new (b: ArrayBuffer) => T): void => {
          const a = new ctor(buf);
          for (let y = gy0; y < gy1; y++) dst.set(a.subarray(y * o.stride + gx0, y * o.stride + gx1), y * o.stride + gx0);
        };
        put(o.image, res[0]!, Float32Array);
        let r = 1;
        if (src.variance && o.variance) put(o.variance, res[r++]!, Float32Array);
        if (o.mask) put(o.mask, res[r]!, Int32Array);
      } finally {
        c.done();
      }
    }
    fillBorder(src, o, gx0, Math.max(gx0, gx1), gy0, Math.max(gy0, gy1), opts.edge === "copy");
    return o;
  };

  const splitF = (v: number): [number, number] => {
    const i = Math.floor(v);
    return [i, Math.fround(v - i)];
  };

  const resample = async (src: Planes, grid: ResampleGrid, opts: ResampleOptions = {}, out?: Planes): Promise<Planes> => {
    alive();
    checkPlanes(src, "src");
    checkGrid(grid);
    const kernel = opts.kernel ?? "lanczos3";
    const N = kernelHalfWidth(kernel);
    if (N === undefined) throw new KernelError("kernel", `unknown resampling kernel "${kernel}"`);
    const code = kernel === "nearest" ? 0 : kernel === "bilinear" ? 1 : N;
    const { width: W, height: H, stride: S } = src;
    const DW = grid.width;
    const DH = grid.height;
    const o = outPlanes(out, DW, DH, !!src.mask, !!src.variance);
    const L = code >= 3 ? phaseLanes(code) : 4;
    const tab = code >= 3 ? lanczosPhaseTable(code) : new Float32Array(4);
    let geo: Uint32Array;
    let area = 1;
    if (grid.kind === "affine") {
      area = Math.abs(grid.a * grid.e - grid.b * grid.d);
      geo = new Uint32Array(4 * DW + 4 * DH);
      const f = new Float32Array(geo.buffer);
      const i = new Int32Array(geo.buffer);
      for (let x = 0; x < DW; x++) {
        const [xi, xf] = splitF(grid.a * x);
        const [yi, yf] = splitF(grid.d * x);
        i[x] = xi;
        f[DW + x] = xf;
        i[2 * DW + x] = yi;
        f[3 * DW + x] = yf;
      }
      const r = 4 * DW;
      for (let y = 0; y < DH; y++) {
        const [xi, xf] = splitF(grid.b * y + grid.c);
        const [yi, yf] = splitF(grid.e * y + grid.f);
        i[r + y] = xi;
        f[r + DH + y] = xf;
        i[r + 2 * DH + y] = yi;
        f[r + 3 * DH + y] = yf;
      }
    } else {
      const n = DW * DH;
      geo = new Uint32Array(5 * n);
      const f = new Float32Array(geo.buffer);
      const i = new Int32Array(geo.buffer);
      for (let y = 0; y < DH; y++)
        for (let x = 0; x < DW; x++) {
          const k = y * DW + x;
          const [sx, sy] = gridPoint(grid, x, y);
          if (!Number.isFinite(sx) || !Number.isFinite(sy) || Math.abs(sx) > 1e9 || Math.abs(sy) > 1e9) {
            i[2 * n + k] = 0x7fffffff;
            continue;
          }
          [i[k], f[n + k]] = splitF(sx) as [number, number];
          [i[2 * n + k], f[3 * n + k]] = splitF(sy) as [number, number];
          f[4 * n + k] = opts.conserveFlux ? gridArea(grid, x, y) : 1;
        }
    }
    const c = new Call();
    try {
      const on = (DH - 1) * o.stride + DW;
      const p = pipeline(RESAMPLE_WGSL, "main");
      const sb = c.storage(compact(src.image, src));
      const mb = src.mask && o.mask ? c.storage(compact(src.mask, src)) : c.storage(16);
      const vb = src.variance && o.variance ? c.storage(compact(src.variance, src)) : c.storage(16);
      const ob = c.storage(on * 4, false);
      const omb = o.mask ? c.storage(on * 4, false) : c.storage(16);
      const ovb = o.variance ? c.storage(on * 4, false) : c.storage(16);
      const areaBits = new Uint32Array(Float32Array.of(area).buffer)[0]!;
      const u = c.uniform([
        W,
        H,
        S,
        DW,
        DH,
        o.stride,
        grid.kind === "affine" ? 0 : 1,
        code,
        src.mask && o.mask ? 1 : 0,
        src.variance && o.variance ? 1 : 0,
        opts.conserveFlux ? 1 : 0,
        NO_DATA,
        EDGE,
        L,
        areaBits,
        0,
      ]);
      c.dispatch([[p, c.bind(p, [sb, mb, vb, ob, omb, ovb, c.storage(geo), c.storage(tab), u]), Math.ceil(DW / 16), DH]]);
      const reads: [GPUBuffer, number][] = [[ob, on * 4]];
      if (o.mask) reads.push([omb, on * 4]);
      if (o.variance) reads.push([ovb, on * 4]);
      const res = await c.read(reads);
      copyRows(o.image, o.stride, new Float32Array(res[0]!), o.stride, DW, DH);
      let r = 1;
      if (o.mask) {
        const m = new Int32Array(res[r++]!);
        if (src.mask) copyRows(o.mask, o.stride, m, o.stride, DW, DH);
        else
          for (let y = 0; y < DH; y++)
            for (let x = 0; x < DW; x++) o.mask[y * o.stride + x] = Number.isNaN(o.image[y * o.stride + x]!) ? NO_DATA : 0;
      }
      if (o.variance) copyRows(o.variance, o.stride, new Float32Array(res[r]!), o.stride, DW, DH);
    } finally {
      c.done();
    }
    return o;
  };

  const stack = async (inputs: Planes[], opts: StackOptions = {}, out?: StackResult): Promise<StackResult> => {
    alive();
    const w = checkStack(inputs, opts);
    const N = inputs.length;
    if (N > MAX_STACK) return ts.stack(inputs, opts, out);
    const o = stackOut(inputs, out);
    const a = inputs[0]!;
    const W = a.width;
    const hasMask = inputs.every((p) => p.mask);
    const hasVar = inputs.every((p) => p.variance);
    const th = Object.entries(opts.maskPropagationThresholds ?? {}).flatMap(([b, t]) => [1 << Number(b), t]);
    const prm = Float32Array.from([...w, ...th]);
    const st = opts.statistic ?? "mean";
    const bandRows = Math.max(1, Math.min(a.height, Math.floor(maxBinding / (4 * N * W))));
    const p = pipeline(STACK_WGSL, "main");
    for (let y0 = 0; y0 < a.height; y0 += bandRows) {
      const rows = Math.min(bandRows, a.height - y0);
      const npix = rows * W;
      const gather = <T extends Float32Array | Int32Array>(get: (q: Planes) => T, ctor: new (n: number) => T): T => {
        const buf = new ctor(N * npix);
        inputs.forEach((q, i) => {
          const arr = get(q);
          for (let r = 0; r < rows; r++) buf.set(arr.subarray((y0 + r) * q.stride, (y0 + r) * q.stride + W), i * npix + r * W);
        });
        return buf;
      };
      const c = new Call();
      try {
        const ib = c.storage(gather((q) => q.image, Float32Array));
        const mb = hasMask ? c.storage(gather((q) => q.mask!, Int32Array)) : c.storage(16);
        const vb = hasVar ? c.storage(gather((q) => q.variance!, Float32Array)) : c.storage(16);
        const ob = c.storage(npix * 4, false);
        const ovb = c.storage(npix * 4, false);
        const omb = c.storage(npix * 4, false);
        const ocb = c.storage(npix * 4, false);
        const kBits = new Uint32Array(Float32Array.of(opts.numSigmaClip ?? 3).buffer)[0]!;
        const u = c.uniform([
          N,
          npix,
          st === "mean" ? 0 : st === "median" ? 1 : 2,
          (opts.andMask ?? 0) >>> 0,
          opts.numIter ?? 3,
          th.length / 2,
          hasMask ? 1 : 0,
          hasVar ? 1 : 0,
          NO_DATA,
          kBits,
        ]);
        const groups = Math.ceil(npix / 16);
        c.dispatch([
          [p, c.bind(p, [ib, mb, vb, c.storage(prm), ob, ovb, omb, ocb, u]), Math.min(groups, 65535), Math.ceil(groups / 65535)],
        ]);
        const res = await c.read([
          [ob, npix * 4],
          [ovb, npix * 4],
          [omb, npix * 4],
          [ocb, npix * 4],
        ]);
        const put = (
          dst: Float32Array | Int32Array | undefined,
          buf: ArrayBuffer,
          ctor: typeof Float32Array | typeof Int32Array,
        ): void => {
          if (!dst) return;
          const arr = new ctor(buf);
          for (let r = 0; r < rows; r++) dst.set(arr.subarray(r * W, (r + 1) * W), (y0 + r) * o.stride);
        };
        put(o.image, res[0]!, Float32Array);
        put(o.variance, res[1]!, Float32Array);
        put(o.mask, res[2]!, Int32Array);
        put(o.count, res[3]!, Int32Array);
      } finally {
        c.done();
      }
    }
    return o;
  };

  const b: Backend = {
    ...ts,
    name: "webgpu",
    native: new Set(experimental ? ["convolveSeparable", "resample", "stack"] : ["convolveSeparable"]),
    threads: 1,
    convolveSeparable,
    ...(experimental ? { resample, stack } : {}),
  };
  return b;
}
