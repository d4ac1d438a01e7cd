// The toy pipeline through `skystack run --executor slurm` on a real Slurm (CI starts a one-node
// Slurm on localhost with scripts/ci/slurm-up.sh), compared with the local executor's outputs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Butler, dataIdKey } from "@skystack/pipe";
import { afterAll, describe, expect, it } from "vitest";
import { writeToyRaws } from "../examples/toy-pipeline/raws.js";

const root = join(import.meta.dirname, "..");
const PIPELINE = join(root, "examples", "toy-pipeline", "pipeline.yaml");

function slurmReason(): string | undefined {
  if (spawnSync("sh", ["-c", "command -v sbatch && command -v squeue"], { stdio: "ignore" }).status !== 0)
    return "sbatch/squeue are not installed (CI runs scripts/ci/slurm-up.sh first)";
  const s = spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8" });
  if (s.status !== 0 || !/^(idle|mixed|allocated)/m.test(s.stdout))
    return `no Slurm node is up (sinfo: ${(s.stderr || s.stdout).trim() || "no nodes"}); run scripts/ci/slurm-up.sh`;
  return undefined;
}
const reason = slurmReason();
if (reason) console.warn(`pipeline-slurm: skipped: ${reason}`);

function skystack(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    { encoding: "utf8", cwd: root, timeout: 240_000 },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(reason !== undefined)("skystack run --executor slurm (real Slurm)", () => {
  const dir = mkdtempSync(join(tmpdir(), "skystack-slurm-"));
  const repo = join(dir, "repo");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the toy pipeline as dependent job arrays with the same outputs as the local executor", {
    timeout: 300_000,
  }, async () => {
    const raws = await writeToyRaws(join(dir, "raws"), [1, 2, 3], [0, 1]);
    expect(skystack("butler", "create", repo).status).toBe(0);
    expect(skystack("butler", "ingest-raws", repo, ...raws).status).toBe(0);
    const s = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "slurm",
      "--executor",
      "slurm",
      "--poll",
      "0.3",
      "--mem",
      "300",
      "--quanta-per-job",
      "3",
      "--json",
    );
    expect(s.status, s.stderr).toBe(0);
    const report = JSON.parse(s.stdout) as { counts: Record<string, number> };
    expect(report.counts).toEqual({ ok: 8, skipped: 0, failed: 0, blocked: 0 });
    const l = skystack("run", "-b", repo, "-p", PIPELINE, "-i", "TOY/raw/all", "-o", "local", "-j", "2");
    expect(l.status, l.stderr).toBe(0);
    const b = await Butler.open(repo);
    const sums = async (c: string) =>
      Object.fromEntries(
        (await b.queryDatasets(["scaled", "summed", "sumSummary"], { collections: [c] })).map((x) => [
          `${x.datasetType}@${dataIdKey(x.dataId)}`,
          x.sha256,
        ]),
      );
    const a = await sums("slurm");
    expect(Object.keys(a)).toHaveLength(10);
    expect(a).toEqual(await sums("local"));
    const summed = await b.queryDatasets("summed", { collections: ["slurm"] });
    expect(summed[0]!.provenance?.executor).toBe("slurm");
    expect(summed[0]!.provenance?.inputs).toHaveLength(3);
  });

  it("a failing quantum fails its array task; the next step runs and blocks only the quanta that needed it", {
    timeout: 300_000,
  }, () => {
    const s = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "slurm-fail",
      "--executor",
      "slurm",
      "--poll",
      "0.3",
      "--mem",
      "300",
      "--quanta-per-job",
      "2",
      "-c",
      "scale:failOnDetectors=[1]",
      "--json",
    );
    expect(s.status).toBe(1);
    const report = JSON.parse(s.stdout) as { counts: Record<string, number>; results: { id: string; status: string }[] };
    expect(report.counts).toEqual({ ok: 4, skipped: 0, failed: 3, blocked: 1 });
    expect(report.results.find((x) => x.id === "sum/instrument=TOY,detector=0")?.status).toBe("ok");
    expect(report.results.find((x) => x.id === "sum/instrument=TOY,detector=1")?.status).toBe("blocked");
  });
});
