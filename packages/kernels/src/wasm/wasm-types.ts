/**
 * The few WebAssembly JS-API types the backend needs, typed locally so the package compiles with
 * the ES lib only (the global `WebAssembly` types live in TypeScript's DOM lib).
 */

/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** A compiled WebAssembly.Module (opaque). */
export type WasmModule = object;

/** The parts of the global `WebAssembly` object used here. */
export interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
}

/** The global WebAssembly object, if any. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
