/** Executors: local (threads, processes, inline) and Slurm. */
export type { ExecuteOptions, ExecutionReport, Executor } from "./executor.js";
export { LocalExecutor, type LocalExecutorOptions } from "./local.js";
export { type QuantumResult, runQuantum, writeInitOutputs } from "./quantum.js";
export { parseSqueueJson, SlurmExecutor, type SlurmExecutorOptions, type SubmittedJob } from "./slurm.js";
