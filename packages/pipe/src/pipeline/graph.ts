/**
 * Quantum graph planning: from a pipeline, the registry (input collections) and a where
 * expression, the list of quanta (one task on one data id) with resolved inputs, predicted outputs
 * and dependencies, in an order where every quantum comes after the quanta it depends on.
 */
import type { Butler, DatasetRef } from "../butler/butler.js";
import { type DataId, dataIdKey, projectDataId } from "../butler/dimensions.js";
import type { Connection } from "../task/index.js";
import { type Pipeline, PipelineError } from "./pipeline.js";

/** A dataset a quantum reads: resolved (existing: id, run, sha256) or predicted (made in this graph). */
export interface GraphInputRef {
  /** Dataset type. */
  datasetType: string;
  /** Data id. */
  dataId: DataId;
  /** Dataset id, for datasets that existed when the graph was made. */
  id?: string;
  /** RUN holding it (the output run for predicted ones). */
  run: string;
  /** Checksum, for existing datasets. */
  sha256?: string;
}

/** One task invocation on one data id. */
export interface Quantum {
  /** Unique id: "label/dataIdKey". */
  id: string;
  /** Task label. */
  label: string;
  /** The quantum's data id (task dimensions). */
  dataId: DataId;
  /** Inputs by connection name (an array; one element unless the connection is multiple). */
  inputs: Record<string, GraphInputRef[]>;
  /** Outputs by connection name. */
  outputs: Record<string, { datasetType: string; dataId: DataId }>;
  /** Ids of the quanta producing its inputs. */
  dependsOn: string[];
  /** True when every output already existed in the output run at planning (--skip-existing). */
  skip?: boolean;
}

/** A task as recorded in the graph (enough for a worker to rebuild it). */
export interface GraphTask {
  /** Label. */
  label: string;
  /** Absolute class spec (module URL#Export). */
  classSpec: string;
  /** Quantum dimensions. */
  dimensions: readonly string[];
  /** Full resolved config, JSON form. */
  config: Record<string, unknown>;
  /** Labels of the tasks it depends on. */
  upstream: string[];
}

/** A planned quantum graph (serializable as JSON). */
export interface QuantumGraph {
  /** Format version. */
  version: 1;
  /** When it was planned. */
  created: string;
  /** Repository root. */
  butlerRoot: string;
  /** Input collections. */
  inputs: string[];
  /** RUN collection receiving the outputs. */
  outputRun: string;
  /** The where expression. */
  where: string;
  /** Pipeline file and subset. */
  pipeline: { file: string; subset: string | undefined };
  /** Tasks in execution order. */
  tasks: GraphTask[];
  /** Quanta in execution order. */
  quanta: Quantum[];
}

/** Options of {@link buildQuantumGraph}. */
export interface PlanOptions {
  /** Input collections (searched in order). */
  inputs: readonly string[];
  /** RUN collection for the outputs. */
  outputRun: string;
  /** Where expression on data ids. */
  where?: string;
  /** Mark quanta whose outputs all exist as skipped instead of refusing to plan. */
  skipExisting?: boolean;
}

/** Name of the per-quantum task metadata dataset type of a label. */
export const metadataType = (label: string): string => `${label}_metadata`;
/** Name of the per-run task config dataset type of a label. */
export const configType = (label: string): string => `${label}_config`;

/** Registers every output dataset type of the pipeline (plus `<label>_metadata` and `<label>_config`). */
export async function registerPipelineDatasetTypes(butler: Butler, pipeline: Pipeline): Promise<void> {
  for (const t of pipeline.tasks) {
    for (const c of Object.values(t.cls.connections.outputs))
      await butler.registerDatasetType({ name: c.datasetType, storageClass: c.storageClass, dimensions: c.dimensions });
    await butler.registerDatasetType({
      name: metadataType(t.label),
      storageClass: "StructuredData",
      dimensions: t.cls.dimensions,
    });
    await butler.registerDatasetType({ name: configType(t.label), storageClass: "StructuredData", dimensions: [] });
  }
}

function isSubset(a: readonly string[], b: readonly string[]): boolean {
  return a.every((x) => b.includes(x));
}

/** Plans the quantum graph; throws {@link PipelineError} naming the task and connection on bad wiring. */
export async function buildQuantumGraph(butler: Butler, pipeline: Pipeline, options: PlanOptions): Promise<QuantumGraph> {
  const u = butler.universe;
  // Which label produces each dataset type.
  const producer = new Map<string, string>();
  for (const t of pipeline.tasks) {
    for (const c of Object.values(t.cls.connections.outputs)) {
      const prev = producer.get(c.datasetType);
      if (prev) throw new PipelineError(`dataset type ${c.datasetType} is an output of both ${prev} and ${t.label}`);
      producer.set(c.datasetType, t.label);
    }
  }
  // Order tasks so producers come first.
  const ordered: typeof pipeline.tasks = [];
  const pending = [...pipeline.tasks];
  while (pending.length > 0) {
    const i = pending.findIndex((t) =>
      Object.values(t.cls.connections.inputs).every((c) => {
        const p = producer.get(c.datasetType);
        return p === undefined || p === t.label || ordered.some((o) => o.label === p);
      }),
    );
    if (i < 0) throw new PipelineError(`the pipeline's tasks form a cycle: ${pending.map((t) => t.label).join(", ")}`);
    const [t] = pending.splice(i, 1);
    if (Object.values(t!.cls.connections.inputs).some((c) => producer.get(c.datasetType) === t!.label))
      throw new PipelineError(`task ${t!.label} reads its own output`);
    ordered.push(t!);
  }

  // Available datasets per dataset type: existing (queried) or predicted (outputs of earlier quanta).
  const available = new Map<string, { refs: GraphInputRef[]; producers: Map<string, string> }>();
  const existing = async (c: Connection, label: string): Promise<GraphInputRef[]> => {
    let dt: Awaited<ReturnType<Butler["getDatasetType"]>>;
    try {
      dt = await butler.getDatasetType(c.datasetType);
    } catch {
      throw new PipelineError(
        `task ${label}: input dataset type ${c.datasetType} is not registered in ${butler.root} and no task in the pipeline makes it`,
      );
    }
    if (dt.storageClass !== c.storageClass || !isSubset(dt.dimensions, c.dimensions) || !isSubset(c.dimensions, dt.dimensions)) {
      throw new PipelineError(
        `task ${label}: input ${c.datasetType} is declared ${c.storageClass}[${c.dimensions.join(", ")}] but registered as ${dt.storageClass}[${dt.dimensions.join(", ")}]`,
      );
    }
    const refs: DatasetRef[] = await butler.queryDatasets(c.datasetType, {
      collections: options.inputs,
      where: options.where ?? "",
    });
    return refs.map((r) => ({ datasetType: r.datasetType, dataId: r.dataId, id: r.id, run: r.run, sha256: r.sha256 }));
  };

  const quanta: Quantum[] = [];
  const tasks: GraphTask[] = [];
  for (const t of ordered) {
    const dims = t.cls.dimensions;
    const conns = Object.entries(t.cls.connections.inputs);
    if (conns.length === 0) throw new PipelineError(`task ${t.label} has no inputs; it cannot be planned`);
    const upstream = new Set<string>();
    const perConn = new Map<string, { refs: GraphInputRef[]; producers: Map<string, string> }>();
    for (const [name, c] of conns) {
      let a = available.get(c.datasetType);
      if (!a) {
        a = { refs: await existing(c, t.label), producers: new Map() };
        available.set(c.datasetType, a);
      }
      const p = producer.get(c.datasetType);
      if (p && pipeline.tasks.some((x) => x.label === p)) upstream.add(p);
      perConn.set(name, a);
    }
    // Quantum data ids: intersection of the projections of every "driving" input (dims ⊇ task dims).
    const drivers = conns.filter(([, c]) => isSubset(dims, c.dimensions));
    if (drivers.length === 0)
      throw new PipelineError(`task ${t.label}: no input has all the task's dimensions [${dims.join(", ")}]`);
    let keys: Map<string, DataId> | undefined;
    for (const [name] of drivers) {
      const m = new Map<string, DataId>();
      for (const r of perConn.get(name)!.refs) {
        const q = projectDataId(u, r.dataId, dims);
        m.set(dataIdKey(q), q);
      }
      keys = keys === undefined ? m : new Map([...keys].filter(([k]) => m.has(k)));
    }
    const outDims = Object.values(t.cls.connections.outputs);
    for (const [qkey, qid] of [...keys!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const inputs: Record<string, GraphInputRef[]> = {};
      const deps = new Set<string>();
      let missing: string | undefined;
      for (const [name, c] of conns) {
        const a = perConn.get(name)!;
        let refs: GraphInputRef[];
        if (isSubset(dims, c.dimensions)) refs = a.refs.filter((r) => dataIdKey(projectDataId(u, r.dataId, dims)) === qkey);
        else if (isSubset(c.dimensions, dims)) {
          const want = dataIdKey(projectDataId(u, qid, c.dimensions));
          refs = a.refs.filter((r) => dataIdKey(r.dataId) === want);
        } else
          throw new PipelineError(
            `task ${t.label}: input ${name} dimensions [${c.dimensions.join(", ")}] neither contain nor are contained in the task's [${dims.join(", ")}]`,
          );
        refs.sort((x, y) => (dataIdKey(x.dataId) < dataIdKey(y.dataId) ? -1 : 1));
        if (refs.length === 0) {
          missing = `${name} (${c.datasetType})`;
          break;
        }
        if (!c.multiple && refs.length > 1)
          throw new PipelineError(
            `task ${t.label}: input ${name} is not multiple but quantum ${qkey} has ${refs.length} ${c.datasetType} datasets`,
          );
        inputs[name] = refs;
        for (const r of refs) {
          const p = a.producers.get(`${r.datasetType}@${dataIdKey(r.dataId)}`);
          if (p) deps.add(p);
        }
      }
      if (missing) continue;
      const outputs: Record<string, { datasetType: string; dataId: DataId }> = {};
      for (const [name, c] of Object.entries(t.cls.connections.outputs))
        outputs[name] = { datasetType: c.datasetType, dataId: projectDataId(u, qid, c.dimensions) };
      const id = `${t.label}/${qkey}`;
      let allExist = true;
      for (const o of Object.values(outputs)) {
        const ex = await butler.findInRun(o.datasetType, o.dataId, options.outputRun).catch(() => undefined);
        if (ex && !options.skipExisting)
          throw new PipelineError(
            `output ${o.datasetType}@{${dataIdKey(o.dataId)}} already exists in run ${options.outputRun}; pass --skip-existing to resume, or use another output run`,
          );
        if (!ex) allExist = false;
      }
      const q: Quantum = { id, label: t.label, dataId: qid, inputs, outputs, dependsOn: [...deps].sort() };
      if (allExist && outDims.length > 0) q.skip = true;
      quanta.push(q);
      for (const o of Object.values(outputs)) {
        let a = available.get(o.datasetType);
        if (!a) {
          a = { refs: [], producers: new Map() };
          available.set(o.datasetType, a);
        }
        const k = `${o.datasetType}@${dataIdKey(o.dataId)}`;
        if (a.producers.has(k)) throw new PipelineError(`task ${t.label}: two quanta would write ${k}`);
        a.producers.set(k, id);
        a.refs.push({ datasetType: o.datasetType, dataId: o.dataId, run: options.outputRun });
      }
    }
    tasks.push({ label: t.label, classSpec: t.classSpec, dimensions: dims, config: t.config, upstream: [...upstream].sort() });
  }
  return {
    version: 1,
    created: new Date().toISOString(),
    butlerRoot: butler.root,
    inputs: [...options.inputs],
    outputRun: options.outputRun,
    where: options.where ?? "",
    pipeline: { file: pipeline.file, subset: pipeline.subset },
    tasks,
    quanta,
  };
}
