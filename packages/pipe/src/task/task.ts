/**
 * Task (pipe_base Task): a configured unit of work with a frozen config, subtasks made from
 * config fields, structured logging, timing/memory metadata per method, cancellation and progress.
 */
import { type AnyConfigSchema, ConfigError, type ConfigOf, type Frozen, registryInfo, subtaskTarget } from "../config/index.js";
import { type LogSink, type ProgressSink, stderrSink, TaskLog } from "./log.js";

/** Metadata values a task records (numbers in SI units unless named otherwise). */
export type MetadataValue = number | string | boolean;

/** Options for constructing a task. */
export interface TaskOptions<C = unknown> {
  /** The config (validated and frozen by the constructor); default: the schema's defaults. */
  config?: C;
  /** Task name (default: the class's `defaultName`). */
  name?: string;
  /** Parent task (subtasks share its log sink, signal and progress sink). */
  parent?: Task<AnyConfigSchema>;
  /** Where log records go (default: stderr at info). */
  log?: LogSink;
  /** Cancels the task: `checkCancelled()` throws once it is aborted. */
  signal?: AbortSignal;
  /** Receives progress events. */
  onProgress?: ProgressSink;
}

/** The static side of a task class. */
export interface TaskClass<T extends Task<AnyConfigSchema> = Task<AnyConfigSchema>> {
  // biome-ignore lint/suspicious/noExplicitAny: each task class takes its own config type
  new (options?: TaskOptions<any>): T;
  /** Config schema of the task. */
  readonly ConfigSchema: AnyConfigSchema;
  /** Default task name (also the pipeline label suggestion). */
  readonly defaultName: string;
}

/** Thrown by {@link Task.checkCancelled} after the task's signal is aborted. */
export class TaskCancelledError extends Error {
  constructor(task: string) {
    super(`${task}: cancelled`);
    this.name = "TaskCancelledError";
  }
}

function usage(): { cpu: number; user: number; system: number; maxRss: number } {
  const r = process.resourceUsage();
  return {
    cpu: (r.userCPUTime + r.systemCPUTime) / 1e6,
    user: r.userCPUTime / 1e6,
    system: r.systemCPUTime / 1e6,
    maxRss: r.maxRSS * 1024,
  };
}

/**
 * Base class of every task. Subclasses set `static ConfigSchema` and `static defaultName`.
 * @example
 * class ScaleTask extends Task<typeof ScaleConfig> {
 *   static readonly ConfigSchema = ScaleConfig;
 *   static readonly defaultName = "scale";
 *   run(x: number) { return this.timed("run", () => x * this.config.factor); }
 * }
 */
export abstract class Task<S extends AnyConfigSchema> {
  /** The validated, frozen config. */
  readonly config: Frozen<ConfigOf<S>>;
  /** Short name. */
  readonly name: string;
  /** Hierarchical name, e.g. "calibrate.astrometry". */
  readonly fullName: string;
  /** Structured logger tagged with {@link fullName}. */
  readonly log: TaskLog;
  /** This task's metadata (timings, counts); see {@link fullMetadata} for subtasks too. */
  readonly metadata: Record<string, MetadataValue> = {};
  /** Subtasks made by {@link makeSubtask}, by name. */
  readonly subtasks: Record<string, Task<AnyConfigSchema>> = {};
  /** The cancellation signal, if any. */
  readonly signal: AbortSignal | undefined;
  private readonly sink: LogSink;
  private readonly progressSink: ProgressSink | undefined;

  constructor(options: TaskOptions<ConfigOf<S> | Frozen<ConfigOf<S>>> = {}) {
    const cls = this.constructor as unknown as TaskClass;
    this.name = options.name ?? cls.defaultName;
    this.fullName = options.parent ? `${options.parent.fullName}.${this.name}` : this.name;
    const schema = cls.ConfigSchema;
    const config = options.config ?? schema.defaults();
    try {
      this.config = schema.freeze(config as never, this.fullName) as Frozen<ConfigOf<S>>;
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(e.issues, `task ${this.fullName}`);
      throw e;
    }
    this.sink = options.log ?? options.parent?.sink ?? stderrSink();
    this.log = new TaskLog(this.fullName, this.sink);
    this.signal = options.signal ?? options.parent?.signal;
    this.progressSink = options.onProgress ?? options.parent?.progressSink;
  }

  /**
   * Builds the subtask configured by the subtask or registry field `fieldName` (for a registry,
   * the selected choice's target), names it `fieldName` and keeps it in {@link subtasks}.
   */
  makeSubtask<T extends Task<AnyConfigSchema>>(fieldName: string & keyof ConfigOf<S>): T {
    const schema = (this.constructor as unknown as TaskClass).ConfigSchema;
    const f = schema.fields[fieldName];
    if (!f) throw new Error(`${this.fullName}: no config field ${fieldName}`);
    const value = (this.config as Record<string, unknown>)[fieldName] as Record<string, unknown>;
    let target = subtaskTarget(f);
    let config: unknown = value;
    const reg = registryInfo(f);
    if (reg) {
      if (reg.multi) throw new Error(`${this.fullName}: ${fieldName} selects several implementations; build them one by one`);
      const name = value.name as string;
      target = reg.choices[name]?.target;
      config = value[name];
      if (!target) throw new Error(`${this.fullName}: registry choice ${fieldName}.name=${name} has no task target`);
    }
    if (!target) throw new Error(`${this.fullName}: config field ${fieldName} is not a subtask or registry field`);
    const Cls = target as unknown as TaskClass<T>;
    const sub = new Cls({ config, name: fieldName, parent: this as unknown as Task<AnyConfigSchema> });
    this.subtasks[fieldName] = sub;
    return sub;
  }

  /**
   * Runs `fn` and records `<method>StartUtc/EndUtc` (ISO), `<method>StartCpuTime/EndCpuTime`,
   * `...UserTime`, `...SystemTime` (s), `...MaxResidentSetSize` (bytes) and `<method>Duration` (s)
   * in {@link metadata}, like pipe_base's `@timeMethod`.
   */
  async timed<R>(method: string, fn: () => R | Promise<R>): Promise<R> {
    const t0 = performance.now();
    const u0 = usage();
    this.metadata[`${method}StartUtc`] = new Date().toISOString();
    this.metadata[`${method}StartCpuTime`] = u0.cpu;
    this.metadata[`${method}StartUserTime`] = u0.user;
    this.metadata[`${method}StartSystemTime`] = u0.system;
    this.metadata[`${method}StartMaxResidentSetSize`] = u0.maxRss;
    try {
      return await fn();
    } finally {
      const u1 = usage();
      this.metadata[`${method}EndUtc`] = new Date().toISOString();
      this.metadata[`${method}EndCpuTime`] = u1.cpu;
      this.metadata[`${method}EndUserTime`] = u1.user;
      this.metadata[`${method}EndSystemTime`] = u1.system;
      this.metadata[`${method}EndMaxResidentSetSize`] = u1.maxRss;
      this.metadata[`${method}Duration`] = (performance.now() - t0) / 1000;
    }
  }

  /** Throws {@link TaskCancelledError} if the task's signal has been aborted. */
  checkCancelled(): void {
    if (this.signal?.aborted) throw new TaskCancelledError(this.fullName);
  }

  /** Reports progress (`done` of `total`) to the progress sink, if any. */
  progress(done: number, total: number, label?: string): void {
    this.progressSink?.({ task: this.fullName, done, total, ...(label === undefined ? {} : { label }) });
  }

  /** Metadata of this task and all its subtasks, keyed by full task name. */
  fullMetadata(): Record<string, Record<string, MetadataValue>> {
    const out: Record<string, Record<string, MetadataValue>> = { [this.fullName]: { ...this.metadata } };
    for (const s of Object.values(this.subtasks)) Object.assign(out, s.fullMetadata());
    return out;
  }
}
