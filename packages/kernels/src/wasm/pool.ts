/**
 * Worker pool for the wasm kernels: each worker instantiates the same module on the same shared
 * memory; a job is a list of (export, args) calls. Works with Node `worker_threads` and browser
 * `Worker` (the worker source is inline, no file to resolve).
 */

import type { WasmMemory, WasmModule } from "./wasm-types.js";

/** One call of a wasm export. */
export interface WasmCall {
  fn: string;
  args: number[];
}

const WORKER_SOURCE = `
const wt = typeof require === "function" ? require("node:worker_threads") : null;
const post = (m) => (wt ? wt.parentPort.postMessage(m) : self.postMessage(m));
let inst = null;
const onMsg = (msg) => {
  if (msg.init) {
    inst = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
    post({ ready: true });
    return;
  }
  try {
    for (const c of msg.calls) inst.exports[c.fn](...c.args);
    post({ id: msg.id });
  } catch (e) {
    post({ id: msg.id, error: String(e && e.stack || e) });
  }
};
if (wt) wt.parentPort.on("message", onMsg); else self.onmessage = (e) => onMsg(e.data);
`;

interface AnyWorker {
  post(m: unknown): void;
  onMessage(f: (m: { id?: number; ready?: boolean; error?: string }) => void): void;
  ref(): void;
  unref(): void;
  terminate(): void;
}

async function spawnWorker(): Promise<AnyWorker> {
  const g = globalThis as {
    process?: { versions?: { node?: string } };
    Worker?: new (
      url: string,
    ) => { postMessage(m: unknown): void; onmessage: ((e: { data: unknown }) => void) | null; terminate(): void };
  };
  if (g.process?.versions?.node) {
    const { Worker } = await import("node:worker_threads");
    const w = new Worker(WORKER_SOURCE, { eval: true });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on("message", f),
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: () => void w.terminate(),
    };
  }
  if (!g.Worker) throw new Error("no Worker constructor in this environment");
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const w = new g.Worker(url);
  let handler: (m: never) => void = () => {};
  w.onmessage = (e) => handler(e.data as never);
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => (handler = f as never),
    ref: () => {},
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

/** A fixed pool of wasm workers sharing one memory. */
export class WasmPool {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private inFlight = 0;

  private constructor(private readonly workers: AnyWorker[]) {
    for (const w of workers) {
      w.onMessage((m) => {
        if (m.id === undefined) return;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (--this.inFlight === 0) for (const x of this.workers) x.unref();
        if (m.error) p.reject(new Error(`wasm worker: ${m.error}`));
        else p.resolve();
      });
    }
  }

  /** Starts `n` workers on `module` + `memory`. */
  static async create(n: number, module: WasmModule, memory: WasmMemory): Promise<WasmPool> {
    const workers = await Promise.all(Array.from({ length: n }, () => spawnWorker()));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.onMessage((m) => {
              if (m.ready) resolve();
            });
            w.post({ init: true, module, memory });
          }),
      ),
    );
    for (const w of workers) w.unref();
    return new WasmPool(workers);
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Runs job k on worker k (jobs.length <= size) and waits for all. */
  run(jobs: WasmCall[][]): Promise<void> {
    if (jobs.length > this.workers.length) throw new Error(`pool has ${this.workers.length} workers, got ${jobs.length} jobs`);
    if (this.inFlight === 0) for (const x of this.workers) x.ref();
    return Promise.all(
      jobs.map(
        (calls, k) =>
          new Promise<void>((resolve, reject) => {
            const id = this.nextId++;
            this.pending.set(id, { resolve, reject });
            this.inFlight++;
            this.workers[k]!.post({ id, calls });
          }),
      ),
    ).then(() => {});
  }

  /** Stops every worker. */
  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}
