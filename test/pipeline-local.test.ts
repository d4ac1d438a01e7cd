// The toy pipeline (examples/toy-pipeline) through the skystack CLI with the local executor:
// butler create -> ingest-raws -> config show -> run (threads and processes) -> query-datasets,
// checked against analytic truth, with provenance, reruns, failures and where-expressions.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Exposure } from "@skystack/afw";
import { Butler, type DatasetRef, dataIdKey, SOFTWARE_VERSION } from "@skystack/pipe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOY_SHAPE, toyRawValue, writeToyRaws } from "../examples/toy-pipeline/raws.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "skystack-pipeline-"));
const repo = join(dir, "repo");
const PIPELINE = join(root, "examples", "toy-pipeline", "pipeline.yaml");
const EXPOSURES = [1, 2, 3, 4];
const DETECTORS = [0, 1, 2];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function skystack(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    { encoding: "utf8", cwd: root },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");

beforeAll(async () => {
  const raws = await writeToyRaws(join(dir, "raws"), EXPOSURES, DETECTORS);
  expect(skystack("butler", "create", repo).status).toBe(0);
  const ing = skystack("butler", "ingest-raws", repo, ...raws, "--json");
  expect(ing.status, ing.stderr).toBe(0);
  expect(JSON.parse(ing.stdout).ingested).toHaveLength(EXPOSURES.length * DETECTORS.length);
});

describe("skystack config show", () => {
  it("prints the resolved config with docs, overrides applied in order", () => {
    const r = skystack("config", "show", "-p", PIPELINE, "-c", "scale:factor=3", "-c", "scale:offset=-1", "-c", "scale:factor=4");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("# Multiply every pixel by this [dimensionless] (float)\nscale.factor = 4");
    expect(r.stdout).toContain("scale.offset = -1");
    expect(r.stdout).toContain("sum.minInputs = 1");
    const j = JSON.parse(skystack("config", "show", "-p", `${PIPELINE}#step1`, "--json").stdout);
    expect(j).toEqual({ scale: { factor: 2, offset: 1.5, failOnDetectors: [] } });
    const bad = skystack("config", "show", "-p", PIPELINE, "-c", "scale:factr=3");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/scale.factr = "3": is not a field of ScaleImageConfig/);
  });
});

describe("skystack run --executor local", () => {
  let refs: DatasetRef[];
  it("runs scale -> sum over the data ids the where expression selects", () => {
    const r = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "toy",
      "-j",
      "3",
      "-d",
      "exposure IN (1..3)",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/12 quanta: 12 ok, 0 skipped, 0 failed, 0 blocked/);
  });

  it("writes outputs equal to the analytic truth", async () => {
    const b = await Butler.open(repo);
    refs = await b.queryDatasets(["summed", "scaled", "sumSummary"], { collections: ["toy"] });
    expect(refs.filter((r) => r.datasetType === "scaled")).toHaveLength(9);
    for (const d of DETECTORS) {
      const s = await b.get<Exposure<Float32Array>>(
        "summed",
        { instrument: "TOY", detector: d },
        { collections: ["toy"], verify: true },
      );
      expect([s.width, s.height]).toEqual([...TOY_SHAPE]);
      const want = Array.from({ length: TOY_SHAPE[0] * TOY_SHAPE[1] }, (_, i) =>
        [1, 2, 3].reduce((acc, e) => acc + (2 * toyRawValue(e, d, i) + 1.5), 0),
      );
      expect(Array.from(s.image.array)).toEqual(want);
      const v = [1, 2, 3].reduce((acc, e) => acc + 4 * Math.abs(toyRawValue(e, d, 5)), 0);
      expect(s.variance.array[5]).toBeCloseTo(v, 3);
      const summary = await b.get<{ n: number; total: number }>(
        "sumSummary",
        { instrument: "TOY", detector: d },
        { collections: ["toy"] },
      );
      expect(summary.n).toBe(3);
      expect(summary.total).toBeCloseTo(
        want.reduce((a, x) => a + x, 0),
        2,
      );
    }
  });

  it("records provenance: software version, full config, inputs with checksums", async () => {
    const b = await Butler.open(repo);
    const summed = refs.find((r) => r.datasetType === "summed" && r.dataId.detector === 1)!;
    const p = summed.provenance!;
    expect(p.software).toEqual({ name: "skystack", version: SOFTWARE_VERSION, node: process.version });
    expect(p.task?.label).toBe("sum");
    expect(p.task?.config).toEqual({ minInputs: 1 });
    expect(p.executor).toBe("local");
    expect(p.inputs.map((i) => dataIdKey(i.dataId))).toEqual([1, 2, 3].map((e) => `instrument=TOY,exposure=${e},detector=1`));
    for (const i of p.inputs) {
      const scaled = refs.find((r) => r.id === i.id)!;
      expect(i.sha256).toBe(scaled.sha256);
      expect(sha(b.pathOf(scaled))).toBe(i.sha256);
      // and the scaled image's own provenance points at the raw file's checksum
      const raw = scaled.provenance!.inputs[0]!;
      expect(raw.datasetType).toBe("raw");
      expect(sha(join(dir, "raws", `raw-000${scaled.dataId.exposure}.fits`))).toBe(raw.sha256);
      expect(scaled.provenance!.task?.config).toEqual({ factor: 2, offset: 1.5, failOnDetectors: [] });
    }
    const cfg = await b.get("scale_config", {}, { collections: ["toy"] });
    expect(cfg).toEqual({ factor: 2, offset: 1.5, failOnDetectors: [] });
    const md = await b.get<Record<string, Record<string, number>>>(
      "scale_metadata",
      { instrument: "TOY", exposure: 2, detector: 0 },
      { collections: ["toy"] },
    );
    expect(md.scale!.nPixels).toBe(48);
    expect(md.scale!.runQuantumDuration).toBeGreaterThan(0);
  });

  it("refuses to overwrite, and resumes with --skip-existing", () => {
    const again = skystack("run", "-b", repo, "-p", PIPELINE, "-i", "TOY/raw/all", "-o", "toy", "-d", "exposure IN (1..3)");
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists in run toy\/run; pass --skip-existing/);
    const skip = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "toy",
      "--skip-existing",
      "-d",
      "exposure IN (1..3)",
    );
    expect(skip.status, skip.stderr).toBe(0);
    expect(skip.stderr).toMatch(/12 quanta: 0 ok, 12 skipped/);
    const changed = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "toy",
      "--skip-existing",
      "-c",
      "scale:factor=5",
    );
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/config differs from the one already recorded in run toy\/run/);
  });

  it("gives identical outputs with child processes", async () => {
    const r = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "toy-proc",
      "-j",
      "2",
      "--mode",
      "process",
      "-d",
      "exposure IN (1..3)",
    );
    expect(r.status, r.stderr).toBe(0);
    const b = await Butler.open(repo);
    const sums = async (c: string) =>
      Object.fromEntries(
        (await b.queryDatasets(["scaled", "summed", "sumSummary"], { collections: [c] })).map((x) => [
          `${x.datasetType}@${dataIdKey(x.dataId)}`,
          x.sha256,
        ]),
      );
    const a = await sums("toy-proc");
    expect(Object.keys(a)).toHaveLength(15);
    expect(a).toEqual(await sums("toy"));
  });

  it("isolates a failing quantum: the rest runs, downstream is blocked, exit status 1", () => {
    const r = skystack(
      "run",
      "-b",
      repo,
      "-p",
      PIPELINE,
      "-i",
      "TOY/raw/all",
      "-o",
      "toy-fail",
      "-j",
      "2",
      "-c",
      "scale:failOnDetectors=[2]",
      "--json",
    );
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      counts: Record<string, number>;
      results: { id: string; status: string; error?: string }[];
    };
    expect(report.counts).toEqual({ ok: 8 + 2, skipped: 0, failed: 4, blocked: 1 });
    expect(report.results.find((x) => x.id === "sum/instrument=TOY,detector=2")).toMatchObject({ status: "blocked" });
    expect(report.results.find((x) => x.id === "scale/instrument=TOY,exposure=4,detector=2")).toMatchObject({
      status: "failed",
      error: "configured to fail on detector 2",
    });
    expect(r.stderr).toMatch(
      /sum\/instrument=TOY,detector=2: blocked: upstream scale\/instrument=TOY,exposure=\d,detector=2 failed/,
    );
  });

  it("queries and removes runs from the CLI", () => {
    const q = skystack("butler", "query-datasets", repo, "summed", "--collections", "toy", "--where", "detector > 0");
    expect(q.status, q.stderr).toBe(0);
    expect(
      q.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(/\s+/)[2]),
    ).toEqual(["instrument=TOY,detector=1", "instrument=TOY,detector=2"]);
    expect(skystack("butler", "remove-runs", repo, "toy-fail/run").status).toBe(1);
    const rm = skystack("butler", "remove-runs", repo, "toy-fail/run", "--unlink-from-chains");
    expect(rm.status, rm.stderr).toBe(0);
    const bad = skystack("butler", "query-datasets", repo, "--collections", "toy-fail/run");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/collection toy-fail\/run does not exist/);
  });
});
