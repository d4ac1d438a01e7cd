/**
 * Pipeline definitions in YAML (the pipe_base layout):
 *
 *   description: Toy pipeline
 *   tasks:
 *     scale:                                  # label
 *       class: ./tasks.ts#ScaleImageTask      # module#export; relative to this file, or a package
 *       config: { factor: 2 }                 # overrides (plain data), or configFile: scale.yaml
 *     sum: ./tasks.ts#SumImagesTask
 *   subsets:
 *     step1: [scale]
 *     all: { subset: [scale, sum], description: everything }
 *
 * `file.yaml#step1` selects a subset (or a comma-separated list of labels).
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type AnyConfigSchema, applyOverrides, ConfigError, type ConfigOverride } from "../config/index.js";
import { parseDataYaml } from "../config/overrides.js";
import { checkPipelineTaskClass, type PipelineTaskClass } from "../task/index.js";

/** A problem with a pipeline file, naming the file and the task label or key. */
export class PipelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PipelineError";
  }
}

/** One task of a loaded pipeline, with its fully resolved config. */
export interface TaskDef {
  /** Label in the pipeline. */
  label: string;
  /** Absolute class spec: `file:///abs/module.ts#Export` or `package#Export`. */
  classSpec: string;
  /** The class. */
  cls: PipelineTaskClass;
  /** The validated config (JSON form, exact). */
  config: Record<string, unknown>;
}

/** A loaded pipeline (tasks in file order, restricted to the chosen subset). */
export interface Pipeline {
  /** The YAML file. */
  file: string;
  /** Description from the file. */
  description: string;
  /** Subset or label list chosen after '#', if any. */
  subset: string | undefined;
  /** The tasks. */
  tasks: TaskDef[];
}

/** Per-label config overrides: `-c label:path=value` and `-C label:file`. */
export type LabeledOverride = { label: string; override: ConfigOverride };

/** Parses `label:path=value` (for -c) or `label:file` (for -C). */
export function parseLabeledOverride(text: string, kind: "set" | "file"): LabeledOverride {
  const colon = text.indexOf(":");
  if (colon <= 0)
    throw new PipelineError(`${kind === "set" ? "-c" : "-C"} ${text}: expected LABEL:${kind === "set" ? "path=value" : "file"}`);
  const label = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  return { label, override: kind === "set" ? { set: rest } : { file: rest } };
}

const taskModules = new Map<string, unknown>();

/** Imports a task class from a spec `module#Export` (module relative to `baseDir` when it starts with "."). */
export async function importTaskClass(
  spec: string,
  baseDir = process.cwd(),
): Promise<{ cls: PipelineTaskClass; absolute: string }> {
  const hash = spec.lastIndexOf("#");
  if (hash <= 0) throw new PipelineError(`task class ${JSON.stringify(spec)} must look like module#ExportName`);
  let mod = spec.slice(0, hash);
  const name = spec.slice(hash + 1);
  if (mod.startsWith(".") || isAbsolute(mod)) mod = pathToFileURL(resolve(baseDir, mod)).href;
  let m = taskModules.get(mod) as Record<string, unknown> | undefined;
  if (!m) {
    try {
      m = (await import(mod)) as Record<string, unknown>;
    } catch (e) {
      throw new PipelineError(`cannot import task module ${mod}: ${(e as Error).message.split("\n")[0]}`);
    }
    taskModules.set(mod, m);
  }
  const cls = m[name];
  if (cls === undefined) throw new PipelineError(`${mod} has no export ${name} (exports: ${Object.keys(m).join(", ")})`);
  checkPipelineTaskClass(cls, `${mod}#${name}`);
  return { cls, absolute: `${mod}#${name}` };
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new PipelineError(`${what} must be a mapping`);
  return v as Record<string, unknown>;
}

/**
 * Loads `file[#subset]`, imports each task class, and resolves each config: defaults, then the
 * file's `config`/`configFile`, then `overrides` for that label in order. Throws
 * {@link PipelineError} or {@link ConfigError} naming the file, label and field.
 */
export async function loadPipeline(spec: string, overrides: readonly LabeledOverride[] = []): Promise<Pipeline> {
  const hash = spec.indexOf("#");
  const file = resolve(hash >= 0 ? spec.slice(0, hash) : spec);
  const subset = hash >= 0 ? spec.slice(hash + 1) : undefined;
  let doc: Record<string, unknown>;
  try {
    doc = asRecord(parseDataYaml(readFileSync(file, "utf8")), file);
  } catch (e) {
    if (e instanceof PipelineError) throw e;
    throw new PipelineError(`${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  for (const k of Object.keys(doc))
    if (!["description", "instrument", "tasks", "subsets", "parameters"].includes(k))
      throw new PipelineError(`${file}: unknown key ${k}`);
  const tasksDoc = asRecord(doc.tasks, `${file}: tasks`);
  const subsets = doc.subsets === undefined ? {} : asRecord(doc.subsets, `${file}: subsets`);
  let labels = Object.keys(tasksDoc);
  if (subset !== undefined) {
    const s = subsets[subset];
    let chosen: unknown =
      s === undefined
        ? subset.split(",").map((x) => x.trim())
        : Array.isArray(s)
          ? s
          : asRecord(s, `${file}: subsets.${subset}`).subset;
    if (!Array.isArray(chosen)) throw new PipelineError(`${file}: subsets.${subset} must list labels`);
    chosen = chosen.map(String);
    for (const l of chosen as string[])
      if (!Object.hasOwn(tasksDoc, l))
        throw new PipelineError(
          `${file}: subset ${subset} names unknown task label ${l} (labels: ${labels.join(", ")}; subsets: ${Object.keys(subsets).join(", ")})`,
        );
    labels = labels.filter((l) => (chosen as string[]).includes(l));
  }
  for (const o of overrides)
    if (!Object.hasOwn(tasksDoc, o.label))
      throw new PipelineError(`config override for unknown task label ${o.label} (labels: ${Object.keys(tasksDoc).join(", ")})`);
  const base = dirname(file);
  const tasks: TaskDef[] = [];
  for (const label of labels) {
    const entry = tasksDoc[label];
    const t = typeof entry === "string" ? { class: entry } : asRecord(entry, `${file}: tasks.${label}`);
    for (const k of Object.keys(t))
      if (!["class", "config", "configFile"].includes(k)) throw new PipelineError(`${file}: tasks.${label}: unknown key ${k}`);
    if (typeof t.class !== "string") throw new PipelineError(`${file}: tasks.${label}.class must be a module#Export string`);
    const { cls, absolute } = await importTaskClass(t.class, base);
    const schema: AnyConfigSchema = cls.ConfigSchema;
    const all: ConfigOverride[] = [];
    if (typeof t.configFile === "string") all.push({ file: resolve(base, t.configFile) });
    if (t.config !== undefined) all.push({ data: t.config, source: `${file} tasks.${label}.config` });
    for (const o of overrides) if (o.label === label) all.push(o.override);
    let config: Record<string, unknown>;
    try {
      const c = applyOverrides(schema, schema.defaults(), all);
      schema.validate(c, label);
      config = schema.toJSON(c);
    } catch (e) {
      if (e instanceof ConfigError)
        throw new ConfigError(
          e.issues.map((i) => ({
            ...i,
            path: i.path.startsWith(`${label}.`) || i.path === label ? i.path : `${label}.${i.path}`,
          })),
          e.source ?? file,
        );
      throw e;
    }
    tasks.push({ label, classSpec: absolute, cls, config });
  }
  if (tasks.length === 0) throw new PipelineError(`${file}: no tasks${subset ? ` in subset ${subset}` : ""}`);
  return { file, description: typeof doc.description === "string" ? doc.description : "", subset, tasks };
}
