/** Tasks, pipeline tasks, logging and progress. */
export {
  type LogRecord,
  type LogSink,
  memorySink,
  type ProgressEvent,
  type ProgressSink,
  stderrSink,
  TASK_LOG_LEVELS,
  TaskLog,
  type TaskLogLevel,
} from "./log.js";
export {
  type CatalogData,
  type Connection,
  type Connections,
  checkPipelineTaskClass,
  type DataIdValues,
  type InputsOf,
  type OutputsOf,
  PipelineTask,
  type PipelineTaskClass,
  type StorageClassTypes,
} from "./pipelineTask.js";
export { type MetadataValue, Task, TaskCancelledError, type TaskClass, type TaskOptions } from "./task.js";
