/** Planning and executing a pipeline against a repository: what `skystack run` does. */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Butler } from "../butler/butler.js";
import type { ExecutionReport, Executor } from "../exec/executor.js";
import type { LogSink } from "../task/index.js";
import { buildQuantumGraph, type QuantumGraph, registerPipelineDatasetTypes } from "./graph.js";
import { type LabeledOverride, loadPipeline, PipelineError } from "./pipeline.js";

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** Repository root. */
  repo: string;
  /** Pipeline YAML, optionally with #subset. */
  pipeline: string;
  /** Input collections. */
  inputs: readonly string[];
  /** Output CHAINED collection: [outputRun, ...inputs]. */
  output: string;
  /** RUN receiving the outputs (default `<output>/run`, so a rerun with skipExisting resumes). */
  outputRun?: string;
  /** Where expression. */
  where?: string;
  /** Per-label config overrides. */
  overrides?: readonly LabeledOverride[];
  /** Skip quanta whose outputs exist (resume). */
  skipExisting?: boolean;
  /** The executor. */
  executor: Executor;
  /** Cancellation. */
  signal?: AbortSignal;
  /** Progress callback. */
  onProgress?: (done: number, total: number) => void;
  /** Logs. */
  log?: LogSink;
}

/** Result of {@link runPipeline}. */
export interface RunPipelineResult {
  /** The planned graph. */
  graph: QuantumGraph;
  /** Where it was saved. */
  graphPath: string;
  /** What the executor did. */
  report: ExecutionReport;
}

/** Plans the graph, saves it under REPO/submit/, runs it with the executor, saves the report. */
export async function runPipeline(o: RunPipelineOptions): Promise<RunPipelineResult> {
  const butler = await Butler.open(o.repo);
  const pipeline = await loadPipeline(o.pipeline, o.overrides ?? []);
  const outputRun = o.outputRun ?? `${o.output}/run`;
  for (const i of o.inputs) await butler.getCollection(i);
  const existing = await butler.findCollection(o.output);
  if (existing && existing.type === "RUN")
    throw new PipelineError(
      `output collection ${o.output} is a RUN; -o names a CHAINED collection (the outputs go to ${outputRun})`,
    );
  await registerPipelineDatasetTypes(butler, pipeline);
  await butler.registerRun(outputRun);
  await butler.setChain(o.output, [outputRun, ...o.inputs.filter((i) => i !== outputRun)]);
  const graph = await buildQuantumGraph(butler, pipeline, {
    inputs: o.inputs,
    outputRun,
    where: o.where ?? "",
    skipExisting: o.skipExisting === true,
  });
  const stamp = `${new Date().toISOString().replace(/[:.]/g, "")}-${randomBytes(3).toString("hex")}`;
  // No '%' in the submit path: Slurm expands %-patterns in --output file names.
  const rel = join("submit", outputRun.replace(/[^A-Za-z0-9._-]/g, "_"), stamp);
  const graphPath = await butler.writeAux(join(rel, "graph.json"), graph);
  const report = await o.executor.execute(graph, {
    graphPath,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  await butler.writeAux(join(rel, "report.json"), report);
  return { graph, graphPath, report };
}
