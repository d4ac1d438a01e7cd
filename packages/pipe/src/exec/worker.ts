/**
 * Local executor worker (a worker thread, or a child process with an IPC channel): loads the
 * graph, then runs the quanta the parent sends, one at a time, and reports each result.
 */
import { readFileSync } from "node:fs";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { QuantumGraph } from "../pipeline/graph.js";
import type { LogRecord } from "../task/index.js";
import { openContext, runQuantum } from "./quantum.js";

/** Messages from the parent. */
export type ToWorker = { type: "run"; id: string };
/** Messages to the parent. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; result: import("./quantum.js").QuantumResult }
  | { type: "log"; record: LogRecord };

const graphPath: string = isMainThread ? process.argv[2]! : (workerData as { graphPath: string }).graphPath;
const post = (m: FromWorker): void => {
  if (isMainThread) process.send?.(m);
  else parentPort!.postMessage(m);
};
const graph = JSON.parse(readFileSync(graphPath, "utf8")) as QuantumGraph;
const byId = new Map(graph.quanta.map((q) => [q.id, q]));
const ctx = await openContext(graph, "local", (record) => post({ type: "log", record }));
const onMessage = (m: ToWorker): void => {
  const q = byId.get(m.id);
  if (!q) {
    post({ type: "result", result: { id: m.id, label: "?", status: "failed", error: `unknown quantum ${m.id}` } });
    return;
  }
  void runQuantum(ctx, q).then((result) => post({ type: "result", result }));
};
if (isMainThread) {
  process.on("message", onMessage);
  process.on("disconnect", () => process.exit(0));
} else parentPort!.on("message", onMessage);
post({ type: "ready" });
