/** The Executor interface and its report. */
import type { QuantumGraph } from "../pipeline/graph.js";
import type { LogSink } from "../task/index.js";
import type { QuantumResult } from "./quantum.js";

/** Options of {@link Executor.execute}. */
export interface ExecuteOptions {
  /** Path of the saved graph JSON (workers and batch jobs read it). */
  graphPath: string;
  /** Cancels the run (Slurm jobs are scancel-ed, local workers stopped). */
  signal?: AbortSignal;
  /** Called as quanta finish: `done` of `total`. */
  onProgress?: (done: number, total: number) => void;
  /** Where task and executor logs go. */
  log?: LogSink;
}

/** What an execution did, quantum by quantum. */
export interface ExecutionReport {
  /** Executor name. */
  executor: string;
  /** One result per quantum, in graph order. */
  results: QuantumResult[];
  /** Counts by status. */
  counts: Record<QuantumResult["status"], number>;
  /** Wall time, seconds. */
  seconds: number;
}

/** Runs a quantum graph. */
export interface Executor {
  /** "local" or "slurm". */
  readonly name: string;
  /** Executes every quantum (or as many as upstream failures allow) and reports. */
  execute(graph: QuantumGraph, options: ExecuteOptions): Promise<ExecutionReport>;
}

/** Builds a report from results in graph order. */
export function makeReport(
  executor: string,
  graph: QuantumGraph,
  results: Map<string, QuantumResult>,
  t0: number,
): ExecutionReport {
  const ordered = graph.quanta.map(
    (q) => results.get(q.id) ?? { id: q.id, label: q.label, status: "blocked" as const, error: "not run" },
  );
  const counts = { ok: 0, skipped: 0, failed: 0, blocked: 0 };
  for (const r of ordered) counts[r.status]++;
  return { executor, results: ordered, counts, seconds: (performance.now() - t0) / 1000 };
}
