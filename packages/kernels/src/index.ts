/**
 * @skystack/kernels: the hot loops of the pipeline on plain typed arrays, behind one `Backend`
 * interface with `ts` (reference), `wasm` (AssemblyScript SIMD + worker threads) and `webgpu`
 * (WGSL compute) implementations.
 *
 * ```ts
 * import { getBackend, gaussianKernel1d } from "@skystack/kernels";
 * const be = await getBackend();                       // best available, or SKYSTACK_BACKEND
 * const k = gaussianKernel1d(2);                       // sigma = 2 px, radius 7
 * const out = await be.convolveSeparable(planes, k, k);
 * ```
 */
import { registerBackend } from "./backend.js";
import { createTsBackend } from "./ts/backend.js";

export type * from "./api.js";
export {
  type Backend,
  type BackendName,
  getBackend,
  registerBackend,
  registeredBackends,
  setBackend,
  tryBackend,
} from "./backend.js";
export { LANCZOS_SAMPLES, lanczosExact, lanczosTable } from "./lanczos.js";
export {
  BAND_BYTES as RICE_BAND_BYTES,
  loadRiceWasm,
  type RiceDecodeJob,
  type RiceDecodeTarget,
  type RiceEncoded,
  type RiceEncodeJob,
  type RiceEncodeSource,
  type RiceFailure,
  type RiceFailureCode,
  type RiceParams,
  type RiceWasm,
  riceWasm,
  riceWasmUnavailableReason,
} from "./rice.js";
export { createTsBackend, KERNEL_NAMES } from "./ts/backend.js";
export { cellEdges, interpolant } from "./ts/background.js";
export { gaussianKernel1d } from "./ts/common.js";
export { rowBand } from "./ts/stack.js";
export { IQR_TO_SIGMA, quantileSorted } from "./ts/statistics.js";
export { checkPlanes, KernelError, MaskBits, makePlanes, type Planes } from "./types.js";
export { createWasmBackend, type WasmBackendOptions } from "./wasm/backend.js";
export { createWebGpuBackend, type WebGpuBackendOptions } from "./webgpu/backend.js";

/**
 * Priorities of the built-in backends (higher wins in automatic selection). webgpu ranks below ts:
 * it is used only when chosen (SKYSTACK_BACKEND=webgpu or setBackend), because on the software
 * Vulkan driver it is slower than wasm and has crashed processes (README, "WebGPU").
 */
export const BACKEND_PRIORITY = { wasm: 200, ts: 0, webgpu: -10 } as const;

registerBackend("ts", BACKEND_PRIORITY.ts, async () => createTsBackend());
registerBackend("wasm", BACKEND_PRIORITY.wasm, async () => {
  const { createWasmBackend } = await import("./wasm/backend.js");
  return createWasmBackend();
});
registerBackend("webgpu", BACKEND_PRIORITY.webgpu, async () => {
  const { createWebGpuBackend } = await import("./webgpu/backend.js");
  return createWebGpuBackend();
});
