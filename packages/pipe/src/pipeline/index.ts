/** Pipelines: YAML definitions, quantum graphs, running them. */
export {
  buildQuantumGraph,
  configType,
  type GraphInputRef,
  type GraphTask,
  metadataType,
  type PlanOptions,
  type Quantum,
  type QuantumGraph,
  registerPipelineDatasetTypes,
} from "./graph.js";
export {
  importTaskClass,
  type LabeledOverride,
  loadPipeline,
  type Pipeline,
  PipelineError,
  parseLabeledOverride,
  type TaskDef,
} from "./pipeline.js";
export { type RunPipelineOptions, type RunPipelineResult, runPipeline } from "./run.js";
