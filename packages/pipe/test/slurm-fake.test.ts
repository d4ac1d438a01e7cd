// The Slurm executor against a fake sbatch/squeue/scancel on PATH (test/fixtures/fake-slurm): the
// fake refuses dependencies without --kill-on-invalid-dep=yes, runs array tasks for real through
// the generated job scripts, and records every call, so these tests check the generated arrays and
// dependency chains, a failing job, cancellation, and that outputs equal the local executor's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeToyRaws } from "../../../examples/toy-pipeline/raws.js";
import {
  Butler,
  dataIdKey,
  genericInstrument,
  ingestRaws,
  LocalExecutor,
  parseSqueueJson,
  runPipeline,
  SlurmExecutor,
} from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "skystack-fakeslurm-"));
const PIPELINE = new URL("../../../examples/toy-pipeline/pipeline.yaml", import.meta.url).pathname;
const FAKE = new URL("./fixtures/fake-slurm", import.meta.url).pathname;
const savedPath = process.env.PATH;
let repo: string;
let n = 0;
let fakeDir: string;

beforeAll(async () => {
  repo = join(root, "repo");
  const b = await Butler.create(repo);
  await ingestRaws(b, await writeToyRaws(join(root, "raws"), [1, 2, 3], [0, 1]), { instrument: genericInstrument });
  process.env.PATH = `${FAKE}:${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_SLURM_DIR;
  delete process.env.FAKE_SLURM_HOLD;
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  fakeDir = join(root, `fake${n++}`);
  mkdirSync(fakeDir);
  process.env.FAKE_SLURM_DIR = fakeDir;
  delete process.env.FAKE_SLURM_HOLD;
});

interface Call {
  cmd: string;
  args: string[];
}
const calls = (): Call[] =>
  readFileSync(join(fakeDir, "calls.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Call);
const fakeState = (): { jobs: { id: number; name: string; state: string; tasks?: number[] }[] } =>
  JSON.parse(readFileSync(join(fakeDir, "state.json"), "utf8"));

async function checksums(output: string): Promise<Record<string, string>> {
  const b = await Butler.open(repo);
  const refs = await b.queryDatasets(["scaled", "summed", "sumSummary"], { collections: [output] });
  return Object.fromEntries(refs.map((r) => [`${r.datasetType}@${dataIdKey(r.dataId)}`, r.sha256]));
}

describe("SlurmExecutor with a fake sbatch/squeue", () => {
  it("submits one array per task chained with afterany, and matches the local executor", async () => {
    const slurm = new SlurmExecutor({ quantaPerJob: 2, pollInterval: 0.05, memoryMB: 500, sbatchArgs: ["--time=10"] });
    const r = await runPipeline({
      repo,
      pipeline: PIPELINE,
      inputs: ["TOY/raw/all"],
      output: "slurm1",
      executor: slurm,
      log: () => {},
    });
    expect(r.report.counts).toEqual({ ok: 8, skipped: 0, failed: 0, blocked: 0 });
    const sb = calls().filter((c) => c.cmd === "sbatch");
    expect(sb).toHaveLength(2);
    const [scale, sum] = slurm.submitted;
    expect(scale).toMatchObject({ label: "scale", arrayTasks: 3, chunkSize: 2, dependsOn: [] });
    expect(sum).toMatchObject({ label: "sum", arrayTasks: 1, chunkSize: 2, dependsOn: [scale!.jobId] });
    expect(sb[0]!.args).toEqual(
      expect.arrayContaining([
        "--parsable",
        "--array=0-2",
        "--job-name=skystack-scale",
        "--mem=500",
        "--cpus-per-task=1",
        "--time=10",
      ]),
    );
    expect(sb[0]!.args.some((a) => a.startsWith("--dependency"))).toBe(false);
    expect(sb[1]!.args).toEqual(expect.arrayContaining(["--array=0-0", `--dependency=afterany:${scale!.jobId}`]));
    expect(calls().some((c) => c.cmd === "squeue" && c.args.includes("--json"))).toBe(true);
    expect(fakeState().jobs.map((j) => [j.name, j.state, j.tasks])).toEqual([
      ["skystack-scale", "COMPLETED", [0, 0, 0]],
      ["skystack-sum", "COMPLETED", [0]],
    ]);
    // provenance records the executor
    const b = await Butler.open(repo);
    const summed = await b.queryDatasets("summed", { collections: ["slurm1"] });
    expect(summed[0]!.provenance?.executor).toBe("slurm");
    // identical outputs with the local executor
    await runPipeline({
      repo,
      pipeline: PIPELINE,
      inputs: ["TOY/raw/all"],
      output: "local1",
      executor: new LocalExecutor({ mode: "inline" }),
      log: () => {},
    });
    const a = await checksums("slurm1");
    expect(Object.keys(a)).toHaveLength(10);
    expect(a).toEqual(await checksums("local1"));
  });

  it("a failing quantum fails its array task; downstream only the quanta that needed it are blocked (as local)", async () => {
    const slurm = new SlurmExecutor({ quantaPerJob: 1, pollInterval: 0.05 });
    const r = await runPipeline({
      repo,
      pipeline: PIPELINE,
      inputs: ["TOY/raw/all"],
      output: "slurm-fail",
      overrides: [{ label: "scale", override: { set: "failOnDetectors=[1]" } }],
      executor: slurm,
      log: () => {},
    });
    const st = Object.fromEntries(r.report.results.map((x) => [x.id, x.status]));
    expect(st["scale/instrument=TOY,exposure=1,detector=0"]).toBe("ok");
    expect(st["scale/instrument=TOY,exposure=2,detector=1"]).toBe("failed");
    expect(r.report.results.find((x) => x.id === "scale/instrument=TOY,exposure=2,detector=1")!.error).toMatch(
      /configured to fail on detector 1/,
    );
    // detector 0's sum had all its inputs: it runs; detector 1's is blocked, naming the missing input
    expect(st["sum/instrument=TOY,detector=0"]).toBe("ok");
    expect(st["sum/instrument=TOY,detector=1"]).toBe("blocked");
    expect(r.report.results.find((x) => x.id === "sum/instrument=TOY,detector=1")!.error).toMatch(
      /^upstream failed: input \w+ scaled@\{.*detector=1.*\} was not produced$/,
    );
    expect(r.report.counts).toEqual({ ok: 4, skipped: 0, failed: 3, blocked: 1 });
    const jobs = fakeState().jobs;
    expect(jobs.map((j) => [j.name, j.state])).toEqual([
      ["skystack-scale", "FAILED"],
      ["skystack-sum", "COMPLETED"],
    ]);
    expect(jobs[0]!.tasks).toEqual([0, 1, 0, 1, 0, 1]);
    expect(jobs[1]!.tasks).toEqual([0, 0]);
    // the same counts as the local executor on the same failure
    const local = await runPipeline({
      repo,
      pipeline: PIPELINE,
      inputs: ["TOY/raw/all"],
      output: "local-fail",
      overrides: [{ label: "scale", override: { set: "failOnDetectors=[1]" } }],
      executor: new LocalExecutor({ mode: "inline" }),
      log: () => {},
    });
    expect(local.report.counts).toEqual(r.report.counts);
  });

  it("cancellation scancels every submitted job", async () => {
    process.env.FAKE_SLURM_HOLD = "1";
    const ac = new AbortController();
    const slurm = new SlurmExecutor({ pollInterval: 0.05 });
    let polls = 0;
    const r = await runPipeline({
      repo,
      pipeline: PIPELINE,
      inputs: ["TOY/raw/all"],
      output: "slurm-cancel",
      executor: slurm,
      signal: ac.signal,
      log: () => {},
      onProgress: () => {
        if (++polls === 3) ac.abort();
      },
    });
    const ids = slurm.submitted.map((j) => j.jobId);
    expect(ids).toHaveLength(2);
    expect(
      calls()
        .filter((c) => c.cmd === "scancel")
        .map((c) => c.args),
    ).toContainEqual(ids);
    expect(fakeState().jobs.map((j) => j.state)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(r.report.counts.ok).toBe(0);
    expect(r.report.results.every((x) => x.status === "blocked" && x.error === "cancelled")).toBe(true);
  });

  it("a rejected submission cancels what was already submitted and says why", async () => {
    process.env.FAKE_SLURM_REJECT = "sum";
    try {
      const slurm = new SlurmExecutor({ pollInterval: 0.05 });
      await expect(
        runPipeline({
          repo,
          pipeline: PIPELINE,
          inputs: ["TOY/raw/all"],
          output: "slurm-reject",
          executor: slurm,
          log: () => {},
        }),
      ).rejects.toThrow(/sbatch failed for task sum \(exit 1\): sbatch: error: Batch job submission failed: Invalid partition/);
      expect(
        calls()
          .filter((c) => c.cmd === "scancel")
          .map((c) => c.args),
      ).toEqual([[slurm.submitted[0]!.jobId]]);
    } finally {
      delete process.env.FAKE_SLURM_REJECT;
    }
  });
});

describe("parseSqueueJson", () => {
  it("reads Slurm 22.05 (plain values) and 23.x+ (objects and state arrays) output", () => {
    expect(
      parseSqueueJson('{"jobs":[{"job_id":12,"array_job_id":10,"job_state":"PENDING","state_reason":"Dependency"}]}'),
    ).toEqual([{ jobId: "12", arrayJobId: "10", state: "PENDING", reason: "Dependency" }]);
    expect(
      parseSqueueJson(
        '{"jobs":[{"job_id":12,"array_job_id":{"set":true,"number":10},"job_state":["RUNNING"],"state_reason":"None"}]}',
      ),
    ).toEqual([{ jobId: "12", arrayJobId: "10", state: "RUNNING", reason: "None" }]);
  });
});
