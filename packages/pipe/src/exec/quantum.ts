/**
 * Running one quantum: read its inputs through the butler, run the task, put its outputs (with
 * provenance) and its metadata. Idempotent: a quantum whose outputs all exist is skipped, so
 * retries and reruns after a crash are safe. Used by every executor (in-process, worker threads,
 * child processes, Slurm jobs), which is why they all give identical outputs.
 */
import { Butler } from "../butler/butler.js";
import { dataIdKey } from "../butler/dimensions.js";
import type { ProvenanceInput } from "../butler/provenance.js";
import { configType, type GraphTask, metadataType, type Quantum, type QuantumGraph } from "../pipeline/graph.js";
import { importTaskClass } from "../pipeline/pipeline.js";
import type { LogSink } from "../task/index.js";

/** Outcome of one quantum. */
export interface QuantumResult {
  /** Quantum id. */
  id: string;
  /** Task label. */
  label: string;
  /** ok: ran; skipped: outputs existed; failed: raised; blocked: an upstream quantum failed or was cancelled. */
  status: "ok" | "skipped" | "failed" | "blocked";
  /** The error message for failed quanta, the reason for blocked ones. */
  error?: string;
  /** Wall time, seconds. */
  seconds?: number;
}

/** Context shared by the quanta one worker runs. */
export interface QuantumContext {
  /** The repository. */
  butler: Butler;
  /** The graph. */
  graph: QuantumGraph;
  /** Executor name recorded in provenance. */
  executor: string;
  /** Where task logs go. */
  log: LogSink;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** Opens the butler of a graph and makes a context. */
export async function openContext(graph: QuantumGraph, executor: string, log: LogSink): Promise<QuantumContext> {
  return { butler: await Butler.open(graph.butlerRoot), graph, executor, log };
}

function taskOf(graph: QuantumGraph, label: string): GraphTask {
  const t = graph.tasks.find((x) => x.label === label);
  if (!t) throw new Error(`graph has no task ${label}`);
  return t;
}

/**
 * Writes each task's config as `<label>_config` in the output run (once); if one is already there
 * it must be identical (a rerun with a changed config into the same run is refused).
 */
export async function writeInitOutputs(butler: Butler, graph: QuantumGraph): Promise<void> {
  for (const t of graph.tasks) {
    const ref = await butler.put(
      t.config,
      configType(t.label),
      {},
      {
        run: graph.outputRun,
        skipExisting: true,
        provenance: { task: { label: t.label, class: t.classSpec, config: t.config } },
      },
    );
    const stored = await butler.get(ref);
    if (JSON.stringify(stored) !== JSON.stringify(t.config)) {
      throw new Error(
        `task ${t.label}: its config differs from the one already recorded in run ${graph.outputRun} (${configType(t.label)}); use another output run`,
      );
    }
  }
}

/** Runs one quantum; never throws (failures are returned). */
export async function runQuantum(ctx: QuantumContext, q: Quantum): Promise<QuantumResult> {
  const t0 = performance.now();
  const done = (status: QuantumResult["status"], error?: string): QuantumResult => ({
    id: q.id,
    label: q.label,
    status,
    ...(error === undefined ? {} : { error }),
    seconds: (performance.now() - t0) / 1000,
  });
  const { butler, graph } = ctx;
  try {
    const outs = Object.values(q.outputs);
    const have = await Promise.all(outs.map((o) => butler.findInRun(o.datasetType, o.dataId, graph.outputRun)));
    if (outs.length > 0 && have.every((h) => h !== undefined)) return done("skipped");
    const gt = taskOf(graph, q.label);
    const { cls } = await importTaskClass(gt.classSpec);
    const config = cls.ConfigSchema.fromJSON(gt.config, `graph config of ${q.label}`);
    const task = new cls({ config, name: q.label, log: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const inputs: Record<string, unknown> = {};
    const prov: ProvenanceInput[] = [];
    for (const [name, refs] of Object.entries(q.inputs)) {
      const values: unknown[] = [];
      for (const r of refs) {
        const ref = await butler.findInRun(r.datasetType, r.dataId, r.run);
        // an input this graph was to produce (no id at planning time) is missing: upstream failed
        if (!ref && !r.id)
          return done("blocked", `upstream failed: input ${name} ${r.datasetType}@{${dataIdKey(r.dataId)}} was not produced`);
        if (!ref) throw new Error(`input ${name}: ${r.datasetType}@{${dataIdKey(r.dataId)}} is missing from run ${r.run}`);
        if (r.id && ref.id !== r.id)
          throw new Error(`input ${name}: ${r.datasetType}@{${dataIdKey(r.dataId)}} in ${r.run} was replaced since planning`);
        values.push(await butler.get(ref));
        prov.push({ id: ref.id, datasetType: ref.datasetType, run: ref.run, dataId: ref.dataId, sha256: ref.sha256 });
      }
      const conn = cls.connections.inputs[name];
      inputs[name] = conn?.multiple ? values : values[0];
    }
    task.checkCancelled();
    const result = (await task.timed("runQuantum", () => task.run(inputs as never, q.dataId))) as Record<string, unknown>;
    const provenance = {
      task: { label: q.label, class: gt.classSpec, config: gt.config },
      quantum: q.id,
      executor: ctx.executor,
      inputs: prov,
    };
    for (const [name, o] of Object.entries(q.outputs)) {
      if (!(name in result) || result[name] === undefined) throw new Error(`task ${q.label} returned no ${name} output`);
      await butler.put(result[name], o.datasetType, o.dataId, { run: graph.outputRun, skipExisting: true, provenance });
    }
    await butler.put(task.fullMetadata(), metadataType(q.label), q.dataId, {
      run: graph.outputRun,
      skipExisting: true,
      provenance,
    });
    return done("ok");
  } catch (e) {
    const err = e as Error;
    return done("failed", err?.message ?? String(e));
  }
}
