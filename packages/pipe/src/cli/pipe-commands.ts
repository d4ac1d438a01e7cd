/** CLI commands for configs, the butler and pipelines: `config show`, `butler ...`, `run`. */
import { parseArgs } from "node:util";
import { Butler } from "../butler/butler.js";
import { dataIdKey } from "../butler/dimensions.js";
import { ingestRaws, loadInstrument, type TransferMode } from "../butler/ingest.js";
import { applyOverrides, type ConfigOverride, formatConfig } from "../config/index.js";
import type { Executor } from "../exec/executor.js";
import { LocalExecutor } from "../exec/local.js";
import { SlurmExecutor } from "../exec/slurm.js";
import { importTaskClass, type LabeledOverride, loadPipeline, parseLabeledOverride } from "../pipeline/pipeline.js";
import { runPipeline } from "../pipeline/run.js";
import { stderrSink, type TaskLogLevel } from "../task/index.js";
import { UsageError } from "./errors.js";
import type { CliLog, LogLevel } from "./log.js";

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

function helpOf(args: readonly string[], text: string): boolean {
  if (args.includes("--help") || args.includes("-h")) {
    out(text);
    return true;
  }
  return false;
}

function labeled(
  values: { config?: string[] | undefined; "config-file"?: string[] | undefined },
  order: readonly string[],
): LabeledOverride[] {
  // Keep -c and -C in the order given on the command line.
  const sets = [...(values.config ?? [])];
  const files = [...(values["config-file"] ?? [])];
  const outList: LabeledOverride[] = [];
  for (const a of order) {
    if (a === "-c" || a === "--config") outList.push(parseLabeledOverride(sets.shift()!, "set"));
    else if (a === "-C" || a === "--config-file") outList.push(parseLabeledOverride(files.shift()!, "file"));
  }
  return outList;
}

const CONFIG_HELP = `usage: skystack config show (-p PIPELINE.yaml[#labels] | --task MODULE#Export)
                            [-c [LABEL:]path=value]... [-C [LABEL:]FILE]... [--json]
Prints the fully resolved config of each task, one field per line with its doc, units and type.`;

/** `skystack config show`. */
export async function configCmd(sub: string | undefined, args: string[]): Promise<number> {
  if (sub !== "show") {
    if (sub === undefined || sub === "--help" || sub === "-h") {
      out(CONFIG_HELP);
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command 'config ${sub}'`);
  }
  if (helpOf(args, CONFIG_HELP)) return 0;
  const { values } = parseArgs({
    args,
    options: {
      pipeline: { type: "string", short: "p" },
      task: { type: "string" },
      config: { type: "string", short: "c", multiple: true },
      "config-file": { type: "string", short: "C", multiple: true },
      json: { type: "boolean" },
    },
  });
  const sections: { label: string; cls: string; lines: ReturnType<typeof formatConfig>; json: Record<string, unknown> }[] = [];
  if (values.pipeline) {
    const p = await loadPipeline(values.pipeline, labeled(values, args));
    for (const t of p.tasks) {
      const schema = t.cls.ConfigSchema;
      const c = schema.fromJSON(t.config);
      sections.push({ label: t.label, cls: t.classSpec, lines: formatConfig(schema.describe(c, t.label)), json: t.config });
    }
  } else if (values.task) {
    const { cls, absolute } = await importTaskClass(values.task);
    const schema = cls.ConfigSchema;
    const overrides: ConfigOverride[] = [];
    const sets = [...(values.config ?? [])];
    const files = [...(values["config-file"] ?? [])];
    for (const a of args) {
      if (a === "-c" || a === "--config") overrides.push({ set: sets.shift()! });
      else if (a === "-C" || a === "--config-file") overrides.push({ file: files.shift()! });
    }
    const c = applyOverrides(schema, schema.defaults(), overrides);
    schema.validate(c, cls.defaultName);
    sections.push({
      label: cls.defaultName,
      cls: absolute,
      lines: formatConfig(schema.describe(c, cls.defaultName)),
      json: schema.toJSON(c),
    });
  } else throw new UsageError("config show needs -p PIPELINE.yaml or --task MODULE#Export");
  if (values.json) out(JSON.stringify(Object.fromEntries(sections.map((s) => [s.label, s.json])), null, 1));
  else out(sections.map((s) => `# ===== ${s.label} (${s.cls})\n${s.lines}`).join("\n\n"));
  return 0;
}

const BUTLER_HELP = `usage: skystack butler COMMAND REPO ...
  create REPO                                       make an empty repository
  ingest-raws REPO FILE... [--instrument NAME] [--run RUN] [--transfer copy|link|symlink|move|direct]
                                                    register raw files (headers -> data ids by the obs package)
  query-datasets REPO [TYPE...] --collections C[,C] [--where EXPR] [--all] [--json]
                                                    list datasets (TYPE default: all)
  query-collections REPO [--json]                   list collections
  remove-runs REPO RUN... [--unlink-from-chains]    delete RUN collections and their datasets`;

/** `skystack butler ...`. */
export async function butlerCmd(sub: string | undefined, args: string[], log: CliLog): Promise<number> {
  if (sub === undefined || sub === "--help" || sub === "-h") {
    out(BUTLER_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (helpOf(args, BUTLER_HELP)) return 0;
  if (sub === "create") {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError("butler create needs exactly one REPO");
    const b = await Butler.create(positionals[0]!);
    log.info(`created repository ${b.root}`);
    return 0;
  }
  if (sub === "ingest-raws") {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        instrument: { type: "string", default: "generic" },
        run: { type: "string" },
        transfer: { type: "string", default: "copy" },
        json: { type: "boolean" },
      },
    });
    const [repo, ...files] = positionals;
    if (!repo || files.length === 0) throw new UsageError("butler ingest-raws needs REPO and at least one FILE");
    if (!["copy", "link", "symlink", "move", "direct"].includes(values.transfer!))
      throw new UsageError(`--transfer must be copy, link, symlink, move or direct, not ${values.transfer}`);
    const b = await Butler.open(repo);
    const r = await ingestRaws(b, files, {
      instrument: await loadInstrument(values.instrument!),
      transfer: values.transfer as TransferMode,
      ...(values.run ? { run: values.run } : {}),
    });
    if (values.json)
      out(
        JSON.stringify({ ingested: r.ingested.map((x) => ({ run: x.run, dataId: x.dataId, hdu: x.hdu })), skipped: r.skipped }),
      );
    else
      log.info(
        `ingested ${r.ingested.length} raw dataset(s)${r.ingested[0] ? ` into ${r.ingested[0].run}` : ""}; ${r.skipped.length} already present`,
      );
    return 0;
  }
  if (sub === "query-datasets") {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        collections: { type: "string", multiple: true },
        where: { type: "string", short: "d" },
        all: { type: "boolean" },
        json: { type: "boolean" },
      },
    });
    const [repo, ...types] = positionals;
    if (!repo) throw new UsageError("butler query-datasets needs REPO");
    const b = await Butler.open(repo);
    const collections = (values.collections ?? []).flatMap((c) => c.split(",")).filter((c) => c !== "");
    const cols =
      collections.length > 0 ? collections : (await b.collections()).filter((c) => c.type === "RUN").map((c) => c.name);
    const refs = await b.queryDatasets(types.length === 0 ? "*" : types, {
      collections: cols,
      where: values.where ?? "",
      findFirst: values.all !== true,
    });
    if (values.json) out(JSON.stringify(refs, null, 1));
    else {
      const rows = refs.map((r) => [r.datasetType, r.run, dataIdKey(r.dataId), r.id]);
      const w = [0, 1, 2].map((i) => Math.max(["type", "run", "data id"][i]!.length, ...rows.map((r) => r[i]!.length)));
      out(["type", "run", "data id", "id"].map((h, i) => (i < 3 ? h.padEnd(w[i]!) : h)).join("  "));
      for (const r of rows) out(r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join("  "));
    }
    return 0;
  }
  if (sub === "query-collections") {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
    if (positionals.length !== 1) throw new UsageError("butler query-collections needs REPO");
    const cs = await (await Butler.open(positionals[0]!)).collections();
    if (values.json) out(JSON.stringify(cs));
    else for (const c of cs) out(`${c.name}  ${c.type}${c.type === "CHAINED" ? `  [${c.children.join(", ")}]` : ""}`);
    return 0;
  }
  if (sub === "remove-runs") {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { "unlink-from-chains": { type: "boolean" } },
    });
    const [repo, ...runs] = positionals;
    if (!repo || runs.length === 0) throw new UsageError("butler remove-runs needs REPO and at least one RUN");
    const n = await (await Butler.open(repo)).removeRuns(runs, { unlinkFromChains: values["unlink-from-chains"] === true });
    log.info(`removed ${runs.length} run(s) with ${n} dataset(s)`);
    return 0;
  }
  throw new UsageError(`unknown command 'butler ${sub}'`);
}

const RUN_HELP = `usage: skystack run -b REPO -p PIPELINE.yaml[#subset] -i IN[,IN] -o OUT [options]
  -b, --butler REPO          repository
  -p, --pipeline FILE[#S]    pipeline YAML, optionally a subset or comma-separated labels
  -i, --input C[,C]          input collections
  -o, --output OUT           output CHAINED collection ([OUT/run, inputs...])
      --output-run RUN       RUN for the outputs (default OUT/run)
  -d, --data-query WHERE     where expression on data ids, e.g. "detector IN (1..4) AND exposure = 12"
  -c LABEL:path=value        config override (repeatable, applied in order with -C)
  -C LABEL:FILE              config override file, JSON or YAML (repeatable)
  -j, --jobs N               parallel workers for the local executor (default 1)
      --executor local|slurm (default local)
      --mode thread|process  local workers (default thread)
      --skip-existing        skip quanta whose outputs exist (resume)
      --quanta-per-job K     slurm: quanta per array task (default: at most 32 array tasks per step)
      --mem MB               slurm: memory per array task (default 2048)
      --sbatch-arg ARG       slurm: extra sbatch argument (repeatable), e.g. --sbatch-arg=--partition=debug
      --poll S               slurm: seconds between squeue polls (default 1)
      --json                 print the execution report as JSON`;

/** `skystack run`. */
export async function runCmd(args: string[], log: CliLog, level: LogLevel): Promise<number> {
  if (helpOf(args, RUN_HELP)) return 0;
  const { values } = parseArgs({
    args,
    options: {
      butler: { type: "string", short: "b" },
      pipeline: { type: "string", short: "p" },
      input: { type: "string", short: "i", multiple: true },
      output: { type: "string", short: "o" },
      "output-run": { type: "string" },
      "data-query": { type: "string", short: "d" },
      config: { type: "string", short: "c", multiple: true },
      "config-file": { type: "string", short: "C", multiple: true },
      jobs: { type: "string", short: "j" },
      executor: { type: "string", default: "local" },
      mode: { type: "string", default: "thread" },
      "skip-existing": { type: "boolean" },
      "quanta-per-job": { type: "string" },
      "sbatch-arg": { type: "string", multiple: true },
      mem: { type: "string" },
      poll: { type: "string" },
      json: { type: "boolean" },
    },
  });
  for (const k of ["butler", "pipeline", "output"] as const) if (!values[k]) throw new UsageError(`run needs --${k}`);
  const inputs = (values.input ?? []).flatMap((c) => c.split(",")).filter((c) => c !== "");
  if (inputs.length === 0) throw new UsageError("run needs -i INPUT collections");
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`-j must be a positive integer, not ${values.jobs}`);
  if (!["thread", "process"].includes(values.mode!)) throw new UsageError(`--mode must be thread or process, not ${values.mode}`);
  let executor: Executor;
  if (values.executor === "local") executor = new LocalExecutor({ jobs, mode: values.mode as "thread" | "process" });
  else if (values.executor === "slurm") {
    const k = values["quanta-per-job"] === undefined ? undefined : Number(values["quanta-per-job"]);
    if (k !== undefined && (!Number.isInteger(k) || k < 1)) throw new UsageError(`--quanta-per-job must be a positive integer`);
    const mem = values.mem === undefined ? undefined : Number(values.mem);
    if (mem !== undefined && !(mem > 0)) throw new UsageError("--mem must be a positive number of MB");
    executor = new SlurmExecutor({
      ...(k === undefined ? {} : { quantaPerJob: k }),
      ...(mem === undefined ? {} : { memoryMB: mem }),
      sbatchArgs: values["sbatch-arg"] ?? [],
      ...(values.poll ? { pollInterval: Number(values.poll) } : {}),
    });
  } else throw new UsageError(`--executor must be local or slurm, not ${values.executor}`);
  const ac = new AbortController();
  const onSig = (): void => {
    log.warn("interrupted: cancelling");
    ac.abort();
  };
  process.once("SIGINT", onSig);
  process.once("SIGTERM", onSig);
  const bar = log.progress("quanta", 1);
  let barTotal = 1;
  let progress = bar;
  try {
    const taskLevel: TaskLogLevel = level === "silent" ? "error" : level;
    const { report, graphPath } = await runPipeline({
      repo: values.butler!,
      pipeline: values.pipeline!,
      inputs,
      output: values.output!,
      ...(values["output-run"] ? { outputRun: values["output-run"] } : {}),
      where: values["data-query"] ?? "",
      overrides: labeled(values, args),
      skipExisting: values["skip-existing"] === true,
      executor,
      signal: ac.signal,
      log: stderrSink(taskLevel === "info" ? "warn" : taskLevel),
      onProgress: (done, total) => {
        if (total !== barTotal) {
          barTotal = total;
          progress = log.progress("quanta", total);
        }
        progress(done);
      },
    });
    const c = report.counts;
    if (values.json) out(JSON.stringify(report));
    log.info(
      `${report.results.length} quanta: ${c.ok} ok, ${c.skipped} skipped, ${c.failed} failed, ${c.blocked} blocked (${report.seconds.toFixed(1)} s, ${report.executor}); graph ${graphPath}`,
    );
    for (const r of report.results)
      if (r.status === "failed" || r.status === "blocked") log.error(`${r.id}: ${r.status}: ${r.error ?? ""}`);
    return c.failed + c.blocked > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSig);
    process.off("SIGTERM", onSig);
  }
}
