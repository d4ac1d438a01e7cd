/**
 * Local executor: runs quanta on N worker threads (default) or child processes, or inline in this
 * process. A quantum starts once every quantum it depends on succeeded (or was skipped); a failure
 * is isolated to its quantum, and the quanta downstream of it are reported as blocked.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { Quantum, QuantumGraph } from "../pipeline/graph.js";
import { stderrSink } from "../task/index.js";
import { type ExecuteOptions, type ExecutionReport, type Executor, makeReport } from "./executor.js";
import { openContext, type QuantumResult, runQuantum, writeInitOutputs } from "./quantum.js";
import { moduleUrl, nodeArgsFor, startWorker } from "./spawn.js";
import type { FromWorker } from "./worker.js";

/** Options of the local executor. */
export interface LocalExecutorOptions {
  /** Number of parallel workers (default 1). */
  jobs?: number;
  /** thread (worker_threads, default), process (child processes), or inline (this thread; for debugging). */
  mode?: "thread" | "process" | "inline";
}

interface Slot {
  send(id: string): void;
  stop(): void;
  busy: string | undefined;
}

/** The local executor. */
export class LocalExecutor implements Executor {
  readonly name = "local";
  private readonly jobs: number;
  private readonly mode: "thread" | "process" | "inline";

  constructor(options: LocalExecutorOptions = {}) {
    this.jobs = Math.max(1, Math.floor(options.jobs ?? 1));
    this.mode = options.mode ?? "thread";
  }

  async execute(graph: QuantumGraph, options: ExecuteOptions): Promise<ExecutionReport> {
    const t0 = performance.now();
    const log = options.log ?? stderrSink();
    const ctx = await openContext(graph, "local", log);
    await writeInitOutputs(ctx.butler, graph);
    const results = new Map<string, QuantumResult>();
    const pending: Quantum[] = [];
    for (const q of graph.quanta) {
      if (q.skip) results.set(q.id, { id: q.id, label: q.label, status: "skipped" });
      else pending.push(q);
    }
    const total = graph.quanta.length;
    options.onProgress?.(results.size, total);
    if (pending.length === 0) return makeReport(this.name, graph, results, t0);

    return new Promise<ExecutionReport>((resolve) => {
      const slots: Slot[] = [];
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        for (const s of slots) s.stop();
        resolve(makeReport(this.name, graph, results, t0));
      };
      const record = (r: QuantumResult): void => {
        results.set(r.id, r);
        options.onProgress?.(results.size, total);
      };
      const pump = (): void => {
        if (finished) return;
        // Block quanta whose upstream failed, then start what is ready on idle slots.
        let changed = true;
        while (changed) {
          changed = false;
          for (let i = pending.length - 1; i >= 0; i--) {
            const q = pending[i]!;
            const bad = q.dependsOn.find((d) => {
              const s = results.get(d)?.status;
              return s === "failed" || s === "blocked";
            });
            if (bad) {
              pending.splice(i, 1);
              record({ id: q.id, label: q.label, status: "blocked", error: `upstream ${bad} ${results.get(bad)!.status}` });
              changed = true;
            }
          }
        }
        for (const slot of slots) {
          if (slot.busy) continue;
          const i = pending.findIndex((q) => q.dependsOn.every((d) => ["ok", "skipped"].includes(results.get(d)?.status ?? "")));
          if (i < 0) break;
          const [q] = pending.splice(i, 1);
          slot.busy = q!.id;
          slot.send(q!.id);
        }
        if (pending.length === 0 && slots.every((s) => !s.busy)) finish();
      };
      const onResult = (slot: Slot, r: QuantumResult): void => {
        slot.busy = undefined;
        record(r);
        pump();
      };
      const onDeath = (slot: Slot, why: string): void => {
        if (finished) return;
        if (slot.busy) {
          const q = graph.quanta.find((x) => x.id === slot.busy)!;
          onResult(slot, { id: q.id, label: q.label, status: "failed", error: `worker died: ${why}` });
        }
        const i = slots.indexOf(slot);
        if (i >= 0 && !options.signal?.aborted) slots[i] = this.makeSlot(graph, options, ctx, log, onResult, onDeath);
        pump();
      };
      options.signal?.addEventListener("abort", () => {
        for (const q of pending.splice(0)) record({ id: q.id, label: q.label, status: "blocked", error: "cancelled" });
        for (const s of slots) {
          if (s.busy) {
            const q = graph.quanta.find((x) => x.id === s.busy)!;
            record({ id: q.id, label: q.label, status: "failed", error: "cancelled" });
          }
        }
        finish();
      });
      for (let i = 0; i < Math.min(this.jobs, pending.length); i++)
        slots.push(this.makeSlot(graph, options, ctx, log, onResult, onDeath));
      pump();
    });
  }

  private makeSlot(
    graph: QuantumGraph,
    options: ExecuteOptions,
    ctx: Awaited<ReturnType<typeof openContext>>,
    log: NonNullable<ExecuteOptions["log"]>,
    onResult: (s: Slot, r: QuantumResult) => void,
    onDeath: (s: Slot, why: string) => void,
  ): Slot {
    const byId = new Map(graph.quanta.map((q) => [q.id, q]));
    if (this.mode === "inline") {
      const slot: Slot = {
        busy: undefined,
        send: (id) => {
          void runQuantum({ ...ctx, ...(options.signal ? { signal: options.signal } : {}) }, byId.get(id)!).then((r) =>
            onResult(slot, r),
          );
        },
        stop: () => {},
      };
      return slot;
    }
    const entry = moduleUrl("./worker");
    const queue: string[] = [];
    let ready = false;
    const onMsg = (m: FromWorker): void => {
      if (m.type === "log") log(m.record);
      else if (m.type === "ready") {
        ready = true;
        for (const id of queue.splice(0)) post(id);
      } else onResult(slot, m.result);
    };
    let post: (id: string) => void;
    let stop: () => void;
    if (this.mode === "thread") {
      const w: Worker = startWorker(entry, { workerData: { graphPath: options.graphPath } });
      w.on("message", onMsg);
      w.on("error", (e) => onDeath(slot, e.message));
      w.on("exit", (code) => onDeath(slot, `exit code ${code}`));
      post = (id) => w.postMessage({ type: "run", id });
      stop = () => {
        w.removeAllListeners("exit");
        void w.terminate();
      };
    } else {
      const path = fileURLToPath(entry);
      const c: ChildProcess = spawn(process.execPath, [...nodeArgsFor(path), path, options.graphPath], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      c.on("message", (m) => onMsg(m as FromWorker));
      c.on("exit", (code, signal) => onDeath(slot, signal ? `killed by ${signal}` : `exit code ${code}`));
      post = (id) => c.send({ type: "run", id });
      stop = () => {
        c.removeAllListeners("exit");
        if (c.connected) c.disconnect();
        c.kill("SIGTERM");
      };
    }
    const slot: Slot = {
      busy: undefined,
      send: (id) => (ready ? post(id) : queue.push(id)),
      stop: () => stop(),
    };
    return slot;
  }
}
