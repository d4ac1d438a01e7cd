/** Tasks, pipeline tasks, logging and progress. */
export { type LogRecord, type LogSink, memorySink, type ProgressEvent, type ProgressSink, stderrSink, TASK_LOG_LEVELS, TaskLog, type TaskLogLevel } from "./log.js";
export {
  type CatalogData,
  checkPipelineTaskClass,
  type Connection,
  type Connections,
  type DataIdValues,
  type InputsOf,
  type OutputsOf,
  PipelineTask,
  type PipelineTaskClass,
  type StorageClassTypes,
} from "./pipelineTask.js";
export { type MetadataValue, Task, TaskCancelledError, type TaskClass, type TaskOptions } from "./task.js";
