/** The kernel interface every backend implements, and the registry that picks one. */
import type {
  BinaryOp,
  CellGrid,
  CellStatistic,
  Chebyshev2D,
  ConvolveOptions,
  DetectOptions,
  Footprint,
  HistogramOptions,
  Kernel2D,
  ResampleGrid,
  ResampleOptions,
  StackOptions,
  StackResult,
  StatsControl,
  StatsRegion,
  StatsResult,
} from "./api.js";
import { KernelError, type Planes } from "./types.js";

/** Backend names. */
export type BackendName = "ts" | "wasm" | "webgpu";

/**
 * Every kernel. All methods are async (a GPU or a worker pool answers later). Results written to
 * `out` when given (it must have the right size); otherwise allocated with `alloc` and owned by the
 * caller (release with `free`).
 */
export interface Backend {
  /** Backend name. */
  readonly name: BackendName;
  /** Kernels this backend runs natively; the others fall back to the `ts` reference. */
  readonly native: ReadonlySet<string>;
  /** Worker threads used (1 = calling thread only). */
  readonly threads: number;
  /** Planes in this backend's memory (wasm: the arena, no copy per call). */
  alloc(width: number, height: number, planes?: { mask?: boolean; variance?: boolean }): Planes;
  /** Releases planes from `alloc` or from a kernel result. */
  free(p: Planes): void;
  /** Separable convolution (correlation, afw convention): rows with kx, then columns with ky. */
  convolveSeparable(
    src: Planes,
    kx: ArrayLike<number>,
    ky: ArrayLike<number>,
    opts?: ConvolveOptions,
    out?: Planes,
  ): Promise<Planes>;
  /** General 2-D convolution (correlation) with a kernel image. */
  convolve2d(src: Planes, kernel: Kernel2D, opts?: ConvolveOptions, out?: Planes): Promise<Planes>;
  /** Resampling onto a destination grid. */
  resample(src: Planes, grid: ResampleGrid, opts?: ResampleOptions, out?: Planes): Promise<Planes>;
  /** Statistics of a region or pixel list honouring a mask (afw Statistics). */
  statistics(src: Planes, region?: StatsRegion, ctrl?: StatsControl): Promise<StatsResult>;
  /** Pixel-by-pixel combination of aligned images of equal geometry. */
  stack(inputs: Planes[], opts?: StackOptions, out?: StackResult): Promise<StackResult>;
  /** Cell statistics on a background grid of nx x ny cells. */
  binStatistics(src: Planes, nx: number, ny: number, statistic: CellStatistic, ctrl?: StatsControl): Promise<CellGrid>;
  /** Weighted least-squares 2-D Chebyshev fit to (x, y, value) points. */
  chebyshevFit(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    v: ArrayLike<number>,
    w: ArrayLike<number> | null,
    orderX: number,
    orderY: number,
    box: { xmin: number; xmax: number; ymin: number; ymax: number },
  ): Promise<Chebyshev2D>;
  /** Evaluates a Chebyshev2D at every pixel centre of a width x height image. */
  chebyshevEval(c: Chebyshev2D, width: number, height: number): Promise<Float32Array>;
  /** Interpolates a cell grid to full resolution: columns in y then rows in x (afw), Akima where >= 5 points. */
  interpolateGrid(grid: CellGrid, width: number, height: number): Promise<Float32Array>;
  /** Threshold + 8-connected components + peaks. */
  detect(src: Planes, opts: DetectOptions): Promise<Footprint[]>;
  /** a op b with variance and mask propagation. */
  arith(a: Planes, b: Planes, op: BinaryOp, out?: Planes): Promise<Planes>;
  /** a * c (variance * c²). */
  scale(a: Planes, c: number, out?: Planes): Promise<Planes>;
  /** Clamps image values into [lo, hi] (NaN stays NaN). */
  clip(a: Planes, lo: number, hi: number, out?: Planes): Promise<Planes>;
  /** Histogram of finite, unmasked values. */
  histogram(a: Planes, opts: HistogramOptions): Promise<Uint32Array>;
}

interface Registration {
  name: BackendName;
  priority: number;
  /** Makes the backend, or returns a reason why it is unavailable here. */
  create: () => Promise<Backend | string>;
}

const registry = new Map<BackendName, Registration>();
const instances = new Map<BackendName, Promise<Backend | string>>();
let chosen: BackendName | null = null;

/** Registers a backend factory; higher priority wins in automatic selection. */
export function registerBackend(name: BackendName, priority: number, create: () => Promise<Backend | string>): void {
  registry.set(name, { name, priority, create });
  instances.delete(name);
}

/** Names of registered backends, highest priority first. */
export function registeredBackends(): BackendName[] {
  return [...registry.values()].sort((a, b) => b.priority - a.priority).map((r) => r.name);
}

/** The backend `name`, or the reason it is unavailable on this machine (string). */
export async function tryBackend(name: BackendName): Promise<Backend | string> {
  const reg = registry.get(name);
  if (!reg) return `backend ${name} is not registered`;
  let p = instances.get(name);
  if (!p) {
    p = reg.create().catch((e: unknown) => `backend ${name} failed to start: ${e instanceof Error ? e.message : String(e)}`);
    instances.set(name, p);
  }
  return p;
}

/** Chooses the backend used by `getBackend()` (overrides SKYSTACK_BACKEND); null = automatic. */
export function setBackend(name: BackendName | null): void {
  if (name !== null && !registry.has(name))
    throw new KernelError("backend", `unknown backend "${name}"; have ${registeredBackends().join(", ")}`);
  chosen = name;
}

function envChoice(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.SKYSTACK_BACKEND || undefined;
}

/**
 * The backend to use: the one from `setBackend`, else `SKYSTACK_BACKEND=ts|wasm|webgpu`, else the
 * available backend with the highest priority. An explicit choice that is unavailable throws.
 */
export async function getBackend(): Promise<Backend> {
  const explicit = chosen ?? envChoice();
  if (explicit) {
    if (!registry.has(explicit as BackendName))
      throw new KernelError("SKYSTACK_BACKEND", `unknown backend "${explicit}"; have ${registeredBackends().join(", ")}`);
    const b = await tryBackend(explicit as BackendName);
    if (typeof b === "string") throw new KernelError("SKYSTACK_BACKEND", b);
    return b;
  }
  for (const name of registeredBackends()) {
    const b = await tryBackend(name);
    if (typeof b !== "string") return b;
  }
  throw new KernelError("backend", "no kernel backend is available");
}
