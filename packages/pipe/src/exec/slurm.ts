/**
 * Slurm executor: one job array per pipeline task (each array task runs a chunk of quanta, so a
 * job is coarse enough for Slurm's ~1 s per-task overhead), chained with
 * `--dependency=afterany:<upstream ids>`, polled with `squeue --json`, cancelled with `scancel`.
 * afterany (not afterok) isolates failures per quantum as the local executor does: the next step
 * always runs, and only the quanta whose inputs an upstream failure did not produce report
 * "blocked" (an afterok chain would cancel the whole next array for one failed CCD). Jobs register their outputs themselves (the file registry is safe for
 * concurrent writers on a shared filesystem); afterwards the executor reads the per-quantum status
 * files and checks that every successful quantum's outputs are registered.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Butler } from "../butler/butler.js";
import { encodeName } from "../butler/dimensions.js";
import type { QuantumGraph } from "../pipeline/graph.js";
import { stderrSink } from "../task/index.js";
import { type ExecuteOptions, type ExecutionReport, type Executor, makeReport } from "./executor.js";
import { type QuantumResult, writeInitOutputs } from "./quantum.js";
import { moduleUrl, nodeArgsFor } from "./spawn.js";

/** Options of the Slurm executor. */
export interface SlurmExecutorOptions {
  /** Quanta per array task (default: enough that no step has more than `maxArrayTasks` tasks). */
  quantaPerJob?: number;
  /** Upper bound on array tasks per step when `quantaPerJob` is not given (default 32). */
  maxArrayTasks?: number;
  /** Seconds between `squeue` polls (default 1). */
  pollInterval?: number;
  /** Extra sbatch arguments for every job, e.g. ["--partition=debug", "--time=60"]. */
  sbatchArgs?: readonly string[];
  /** Memory per array task, MB (`--mem`; default 2048, as ctrl_bps's requestMemory). */
  memoryMB?: number;
  /** CPUs per array task (`--cpus-per-task`; default 1). */
  cpus?: number;
  /** Submission directory (default: beside the graph file). */
  submitDir?: string;
  /** Give up (and scancel) after this many seconds (default: no limit). */
  timeoutSeconds?: number;
}

/** A job the executor submitted. */
export interface SubmittedJob {
  /** Task label. */
  label: string;
  /** Slurm job id of the array. */
  jobId: string;
  /** Number of array tasks. */
  arrayTasks: number;
  /** Quanta per array task. */
  chunkSize: number;
  /** Job ids it waits for (afterany). */
  dependsOn: string[];
}

function run(cmd: string, args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) return { status: 127, stdout: "", stderr: `${cmd}: ${r.error.message}` };
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Terminal Slurm job states. */
const FINISHED = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
  "SPECIAL_EXIT",
  "REVOKED",
]);

/** One job as `squeue --json` reports it (22.05 plain values, 23.x+ {number}/arrays accepted). */
interface SqueueJob {
  jobId: string;
  arrayJobId: string;
  state: string;
  reason: string;
}

/** Parses `squeue --json` output. */
export function parseSqueueJson(text: string): SqueueJob[] {
  const doc = JSON.parse(text) as { jobs?: Record<string, unknown>[] };
  const num = (v: unknown): string => {
    if (typeof v === "number" || typeof v === "string") return String(v);
    if (v && typeof v === "object" && "number" in v) return String((v as { number: unknown }).number);
    return "";
  };
  return (doc.jobs ?? []).map((j) => ({
    jobId: num(j.job_id),
    arrayJobId: num(j.array_job_id),
    state: Array.isArray(j.job_state) ? String(j.job_state[0]) : String(j.job_state ?? ""),
    reason: String(j.state_reason ?? ""),
  }));
}

/** The Slurm executor. */
export class SlurmExecutor implements Executor {
  readonly name = "slurm";
  /** Jobs submitted by the last {@link execute}. */
  submitted: SubmittedJob[] = [];

  constructor(private readonly options: SlurmExecutorOptions = {}) {}

  async execute(graph: QuantumGraph, options: ExecuteOptions): Promise<ExecutionReport> {
    const t0 = performance.now();
    const log = options.log ?? stderrSink();
    const say = (message: string, level: "info" | "warn" | "error" = "info"): void =>
      log({ time: new Date().toISOString(), level, task: "slurm", message });
    const butler = await Butler.open(graph.butlerRoot);
    await writeInitOutputs(butler, graph);
    const submit = this.options.submitDir ?? dirname(options.graphPath);
    const statusDir = join(submit, "status");
    mkdirSync(join(submit, "logs"), { recursive: true });
    mkdirSync(statusDir, { recursive: true });
    const entry = fileURLToPath(moduleUrl("./quantum-main"));
    const node = [process.execPath, ...nodeArgsFor(entry), entry];

    const results = new Map<string, QuantumResult>();
    const jobOf = new Map<string, string>();
    this.submitted = [];
    const cancelAll = (): void => {
      const ids = this.submitted.map((j) => j.jobId);
      if (ids.length > 0) run("scancel", ids);
    };
    for (const t of graph.tasks) {
      const quanta = graph.quanta.filter((q) => q.label === t.label);
      for (const q of quanta) if (q.skip) results.set(q.id, { id: q.id, label: q.label, status: "skipped" });
      const todo = quanta.filter((q) => !q.skip);
      if (todo.length === 0) continue;
      const k = this.options.quantaPerJob ?? Math.max(1, Math.ceil(todo.length / (this.options.maxArrayTasks ?? 32)));
      const n = Math.ceil(todo.length / k);
      const deps = t.upstream.map((l) => jobOf.get(l)).filter((x): x is string => x !== undefined);
      const script = join(submit, `${encodeName(t.label)}.sh`);
      const cmd = [
        ...node,
        "--graph",
        options.graphPath,
        "--label",
        t.label,
        "--chunk-size",
        String(k),
        "--status-dir",
        statusDir,
      ]
        .map(shellQuote)
        .join(" ");
      writeFileSync(
        script,
        `#!/bin/sh\n# skystack: task ${t.label}, ${todo.length} quanta, ${k} per array task\nexec ${cmd} --chunk "$SLURM_ARRAY_TASK_ID"\n`,
        { mode: 0o755 },
      );
      const args = [
        "--parsable",
        `--job-name=skystack-${t.label}`,
        `--array=0-${n - 1}`,
        `--output=${join(submit, "logs", `${encodeName(t.label)}-%A_%a.log`)}`,
        ...(deps.length > 0 ? [`--dependency=afterany:${deps.join(":")}`] : []),
        `--cpus-per-task=${this.options.cpus ?? 1}`,
        `--mem=${this.options.memoryMB ?? 2048}`,
        ...(this.options.sbatchArgs ?? []),
        script,
      ];
      const r = run("sbatch", args);
      const jobId = r.stdout.trim().split(";")[0] ?? "";
      if (r.status !== 0 || !/^\d+$/.test(jobId)) {
        cancelAll();
        throw new Error(`sbatch failed for task ${t.label} (exit ${r.status}): ${r.stderr.trim() || r.stdout.trim()}`);
      }
      jobOf.set(t.label, jobId);
      this.submitted.push({ label: t.label, jobId, arrayTasks: n, chunkSize: k, dependsOn: deps });
      say(
        `submitted ${t.label}: job ${jobId}, ${n} array task(s) of ${k} quanta${deps.length ? `, after ${deps.join(",")}` : ""}`,
      );
    }

    const ours = new Set(this.submitted.map((j) => j.jobId));
    const total = graph.quanta.length;
    const interval = (this.options.pollInterval ?? 1) * 1000;
    const deadline = this.options.timeoutSeconds === undefined ? Infinity : Date.now() + this.options.timeoutSeconds * 1000;
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      say(`cancelling: scancel ${[...ours].join(" ")}`, "warn");
      cancelAll();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (ours.size > 0) {
        const q = run("squeue", ["--json"]);
        if (q.status !== 0) throw new Error(`squeue --json failed (exit ${q.status}): ${q.stderr.trim()}`);
        // squeue --json also lists finished jobs (until MinJobAge): keep only those not yet done.
        const live = parseSqueueJson(q.stdout).filter(
          (j) => (ours.has(j.jobId) || ours.has(j.arrayJobId)) && !FINISHED.has(j.state),
        );
        const stuck = live.filter((j) => j.state === "PENDING" && j.reason === "DependencyNeverSatisfied");
        if (stuck.length > 0) run("scancel", [...new Set(stuck.map((j) => j.arrayJobId || j.jobId))]);
        const done = graph.quanta.filter(
          (x) => results.has(x.id) || existsSync(join(statusDir, `${encodeName(x.id)}.json`)),
        ).length;
        options.onProgress?.(done, total);
        if (live.length === 0) break;
        if (Date.now() > deadline && !cancelled) {
          say(`timed out after ${this.options.timeoutSeconds} s`, "error");
          onAbort();
        }
        await new Promise((r) => setTimeout(r, interval));
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }

    // Collect per-quantum status, then check the registry holds what succeeded.
    for (const q of graph.quanta) {
      if (results.has(q.id)) continue;
      const f = join(statusDir, `${encodeName(q.id)}.json`);
      if (existsSync(f)) {
        const r = JSON.parse(readFileSync(f, "utf8")) as QuantumResult;
        results.set(q.id, {
          id: r.id,
          label: r.label,
          status: r.status,
          ...(r.error === undefined ? {} : { error: r.error }),
          ...(r.seconds === undefined ? {} : { seconds: r.seconds }),
        });
      }
    }
    for (const q of graph.quanta) {
      if (results.has(q.id)) continue;
      // no status file: the array task died (node failure, OOM, time limit) or was cancelled
      results.set(q.id, {
        id: q.id,
        label: q.label,
        status: cancelled ? "blocked" : "failed",
        error: cancelled
          ? "cancelled"
          : `job ${jobOf.get(q.label)} ended without running it (see its log in ${join(submit, "logs")})`,
      });
    }
    for (const [id, r] of results) {
      if (r.status !== "ok") continue;
      const q = graph.quanta.find((x) => x.id === id)!;
      for (const o of Object.values(q.outputs)) {
        if (!(await butler.findInRun(o.datasetType, o.dataId, graph.outputRun)))
          results.set(id, { ...r, status: "failed", error: `job reported success but ${o.datasetType} is not registered` });
      }
    }
    options.onProgress?.(total, total);
    return makeReport(this.name, graph, results, t0);
  }
}
