/**
 * Batch job entry point: runs a chunk of one task's quanta from a saved graph and writes one
 * status file per quantum (ok, skipped, failed, or blocked when an input an upstream quantum was to
 * produce is missing). Exit status 1 if any quantum failed (so Slurm shows the array task FAILED),
 * 0 otherwise; the next step runs either way (afterany) and only its affected quanta are blocked.
 *   node quantum-main.js --graph G --label L --chunk I --chunk-size K --status-dir D
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../butler/atomic.js";
import { encodeName } from "../butler/dimensions.js";
import type { QuantumGraph } from "../pipeline/graph.js";
import { stderrSink } from "../task/index.js";
import { openContext, runQuantum } from "./quantum.js";

const { values } = parseArgs({
  options: {
    graph: { type: "string" },
    label: { type: "string" },
    chunk: { type: "string" },
    "chunk-size": { type: "string" },
    "status-dir": { type: "string" },
    executor: { type: "string", default: "slurm" },
  },
});
const graph = JSON.parse(readFileSync(values.graph!, "utf8")) as QuantumGraph;
const chunk = Number(values.chunk ?? process.env.SLURM_ARRAY_TASK_ID);
const size = Number(values["chunk-size"]);
const mine = graph.quanta.filter((q) => q.label === values.label && !q.skip).slice(chunk * size, (chunk + 1) * size);
const ctx = await openContext(graph, values.executor!, stderrSink("info"));
let failed = 0;
for (const q of mine) {
  const r = await runQuantum(ctx, q);
  if (r.status === "failed") {
    failed++;
    process.stderr.write(`quantum ${q.id} failed: ${r.error}\n`);
  } else process.stderr.write(`quantum ${q.id} ${r.status}\n`);
  await writeFileAtomic(
    join(values["status-dir"]!, `${encodeName(q.id)}.json`),
    `${JSON.stringify({ ...r, job: process.env.SLURM_JOB_ID ?? null, arrayTask: process.env.SLURM_ARRAY_TASK_ID ?? null })}\n`,
  );
}
process.exitCode = failed > 0 ? 1 : 0;
