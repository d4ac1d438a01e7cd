/**
 * The wasm image arena: one shared `WebAssembly.Memory` holding every pixel buffer the wasm kernels
 * touch, with a first-fit free list (64-byte aligned blocks, coalesced on free). Growing a shared
 * memory never detaches existing views, so typed arrays handed out stay valid until `free`.
 */

import { type WasmMemory, wasmApi } from "./wasm-types.js";

const PAGE = 65536;
const ALIGN = 64;

/** Arena over a shared WebAssembly.Memory. */
export class Arena {
  /** The memory every wasm instance (one per worker) imports. */
  readonly memory: WasmMemory;
  private readonly freeList: { start: number; size: number }[] = [];
  private readonly used = new Map<number, number>();
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top: number;

  /** `reserve` bytes at the start are left to the module's static data. */
  constructor(initialBytes = 16 << 20, reserve = 1 << 20) {
    const pages = Math.ceil(Math.max(initialBytes, reserve + PAGE) / PAGE);
    const api = wasmApi();
    if (!api) throw new Error("WebAssembly is not available");
    this.memory = new api.Memory({ initial: pages, maximum: 65536, shared: true });
    this.top = pages * PAGE;
    this.freeList.push({ start: reserve, size: this.top - reserve });
    this.buffers.add(this.memory.buffer);
  }

  /** Bytes currently allocated. */
  get allocatedBytes(): number {
    let s = 0;
    for (const v of this.used.values()) s += v;
    return s;
  }

  /** Allocates `bytes` (rounded up to 64); returns the byte offset. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.freeList.length; i++) {
      const b = this.freeList[i]!;
      if (b.size >= size) {
        const ptr = b.start;
        b.start += size;
        b.size -= size;
        if (b.size === 0) this.freeList.splice(i, 1);
        this.used.set(ptr, size);
        return ptr;
      }
    }
    // Grow: extend the last free block if it ends at the top, else add a new one.
    const last = this.freeList[this.freeList.length - 1];
    const tail = last && last.start + last.size === this.top ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE);
    const maxPages = 65536 - this.top / PAGE;
    if (pages > maxPages)
      throw new RangeError(
        `wasm arena: cannot allocate ${bytes} bytes (4 GiB wasm32 limit; ${this.allocatedBytes} bytes in use)`,
      );
    this.memory.grow(pages);
    this.buffers.add(this.memory.buffer);
    const grown = pages * PAGE;
    if (tail) last!.size += grown;
    else this.freeList.push({ start: this.top, size: grown });
    this.top += grown;
    return this.alloc(bytes);
  }

  /** Frees a block from `alloc` (no-op for an unknown pointer). */
  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) return;
    this.used.delete(ptr);
    let i = 0;
    while (i < this.freeList.length && this.freeList[i]!.start < ptr) i++;
    this.freeList.splice(i, 0, { start: ptr, size });
    // Coalesce with neighbours.
    const merge = (j: number): void => {
      const a = this.freeList[j];
      const b = this.freeList[j + 1];
      if (a && b && a.start + a.size === b.start) {
        a.size += b.size;
        this.freeList.splice(j + 1, 1);
      }
    };
    merge(i);
    if (i > 0) merge(i - 1);
  }

  /** True when `a` is a view into this arena's memory. */
  owns(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  /** True when `ptr` is the start of a live allocation. */
  isBlock(ptr: number): boolean {
    return this.used.has(ptr);
  }

  /** A Float32Array of n elements at ptr. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** An Int32Array of n elements at ptr. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }

  /** A Float64Array of n elements at ptr. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, n);
  }

  /** A Uint32Array of n elements at ptr. */
  u32(ptr: number, n: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, n);
  }
}
