/** Structured task logging and progress events. */

/** Log levels, most to least verbose. */
export const TASK_LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A task log level. */
export type TaskLogLevel = (typeof TASK_LOG_LEVELS)[number];

/** One structured log record. */
export interface LogRecord {
  /** ISO-8601 UTC time. */
  time: string;
  /** Severity. */
  level: TaskLogLevel;
  /** Full task name, e.g. "calibrate.astrometry". */
  task: string;
  /** The message. */
  message: string;
  /** Extra structured fields (data id, counts...). */
  fields?: Record<string, unknown>;
}

/** One progress event: `done` of `total` steps of a task's work. */
export interface ProgressEvent {
  /** Full task name. */
  task: string;
  /** Steps done. */
  done: number;
  /** Steps in all. */
  total: number;
  /** What is being counted ("rows", "quanta"...). */
  label?: string;
}

/** Receives log records. */
export type LogSink = (record: LogRecord) => void;
/** Receives progress events. */
export type ProgressSink = (event: ProgressEvent) => void;

/** A sink that keeps records in memory (tests, metadata). */
export function memorySink(records: LogRecord[]): LogSink {
  return (r) => {
    records.push(r);
  };
}

/** A sink writing one line per record to stderr: text, or JSON lines when `json`. */
export function stderrSink(minLevel: TaskLogLevel = "info", json = false): LogSink {
  const min = TASK_LOG_LEVELS.indexOf(minLevel);
  return (r) => {
    if (TASK_LOG_LEVELS.indexOf(r.level) < min) return;
    process.stderr.write(
      json ? `${JSON.stringify(r)}\n` : `${r.level === "info" ? "" : `${r.level}: `}${r.task}: ${r.message}\n`,
    );
  };
}

/** A task's logger: tags each record with the task's full name. */
export class TaskLog {
  constructor(
    /** Full task name. */
    readonly task: string,
    private readonly sink: LogSink,
  ) {}
  /** Logs at `level`. */
  log(level: TaskLogLevel, message: string, fields?: Record<string, unknown>): void {
    this.sink({ time: new Date().toISOString(), level, task: this.task, message, ...(fields === undefined ? {} : { fields }) });
  }
  /** Detail for debugging. */
  debug(message: string, fields?: Record<string, unknown>): void {
    this.log("debug", message, fields);
  }
  /** Normal progress. */
  info(message: string, fields?: Record<string, unknown>): void {
    this.log("info", message, fields);
  }
  /** Something odd that did not stop the work. */
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log("warn", message, fields);
  }
  /** A failure. */
  error(message: string, fields?: Record<string, unknown>): void {
    this.log("error", message, fields);
  }
  /** A child logger for a subtask. */
  child(name: string): TaskLog {
    return new TaskLog(`${this.task}.${name}`, this.sink);
  }
}
