// Acceptance: 8 parallel writers (worker threads, then child processes) put and register 1000
// datasets into one repository, racing on a fifth of them; one writer is killed in the middle of a
// payload write. Nothing registered may be partial or duplicated; a rerun completes the rest.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { nodeArgsFor, startWorker } from "../src/exec/spawn.js";
import { Butler, dataIdKey, registerStorageClass, TEMP_PREFIX } from "../src/index.js";
import { blobBytes } from "./fixtures/blob.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-conc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WORKER = new URL("./fixtures/put-worker.ts", import.meta.url);
const N = 8;
const HANG_WORKER = 3;
const HANG_INDEX = HANG_WORKER + N * 40; // dataset 323, written only by worker 3

registerStorageClass<unknown>("Blob", {
  extension: ".bin",
  async write() {
    throw new Error("the test process only reads blobs");
  },
  async read(path) {
    const { readFile } = await import("node:fs/promises");
    return new Uint8Array(await readFile(path));
  },
});

interface Handle {
  done: Promise<number | "killed">;
  kill(): void;
}

function startThread(repo: string, w: number, hang: number, marker: string): Handle {
  const worker: Worker = startWorker(WORKER, { workerData: { repo, worker: w, nworkers: N, hang, marker } });
  let killed = false;
  const done = new Promise<number | "killed">((resolve, reject) => {
    worker.on("message", (m: { done: number }) => resolve(m.done));
    worker.on("error", reject);
    worker.on("exit", () => (killed ? resolve("killed") : undefined));
  });
  return {
    done,
    kill: () => {
      killed = true;
      void worker.terminate();
    },
  };
}

function startProcess(repo: string, w: number, hang: number, marker: string): Handle {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgsFor(WORKER), WORKER.pathname, repo, String(w), String(N), String(hang), marker],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const done = new Promise<number | "killed">((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve((JSON.parse(out) as { done: number }).done);
      else reject(new Error(`worker ${w} exited ${code}: ${err}`));
    });
  });
  return { done, kill: () => child.kill("SIGKILL") };
}

async function waitFor(path: string, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function files(d: string): string[] {
  return existsSync(d) ? readdirSync(d) : [];
}

async function scenario(mode: "thread" | "process"): Promise<void> {
  const repo = join(dir, mode);
  await Butler.create(repo);
  const start = mode === "thread" ? startThread : startProcess;
  const marker = join(dir, `${mode}.hang`);

  // Round 1: worker 3 hangs half-way through writing dataset 323 and is killed there.
  const round1 = Array.from({ length: N }, (_, w) => start(repo, w, w === HANG_WORKER ? HANG_INDEX : -1, marker));
  await waitFor(marker, 60_000);
  round1[HANG_WORKER]!.kill();
  const r1 = await Promise.all(round1.map((h) => h.done));
  expect(r1[HANG_WORKER]).toBe("killed");

  const butler = await Butler.open(repo);
  const payloadDir = join(repo, "datastore", "conc", "blob");
  const temps = files(payloadDir).filter((f) => f.startsWith(TEMP_PREFIX));
  expect(temps.length).toBeGreaterThanOrEqual(1); // the killed writer's half-written payload
  expect(temps.some((t) => statSync(join(payloadDir, t)).size === 1500)).toBe(true);
  const after1 = await butler.queryDatasets("blob", { collections: ["conc"] });
  expect(after1.length).toBeGreaterThan(500);
  expect(after1.length).toBeLessThan(1000);
  expect(after1.find((r) => dataIdKey(r.dataId) === "instrument=TOY,exposure=32,detector=3")).toBeUndefined();
  expect(await butler.verify(["conc"])).toEqual([]); // nothing registered is partial

  // Round 2: the same writers again, nobody killed; existing datasets are skipped.
  const round2 = Array.from({ length: N }, (_, w) => start(repo, w, -1, marker));
  const r2 = await Promise.all(round2.map((h) => h.done));
  expect(r2.every((x) => typeof x === "number")).toBe(true);

  const all = await butler.queryDatasets("blob", { collections: ["conc"] });
  expect(all).toHaveLength(1000);
  const keys = new Set(all.map((r) => dataIdKey(r.dataId)));
  const want = new Set(
    Array.from({ length: 1000 }, (_, i) => `instrument=TOY,exposure=${Math.floor(i / 10)},detector=${i % 10}`),
  );
  expect(keys).toEqual(want);
  expect(new Set(all.map((r) => r.id)).size).toBe(1000);
  expect(await butler.verify(["conc"])).toEqual([]);
  for (const ref of all) {
    const i = (ref.dataId.exposure as number) * 10 + (ref.dataId.detector as number);
    expect(await butler.get<Uint8Array>(ref)).toEqual(blobBytes(i));
  }
  // Leftovers of the killed writer are garbage, never datasets; gc removes them.
  const gc = await butler.gc({ olderThanSeconds: 0 });
  expect(gc.tempFiles).toBeGreaterThanOrEqual(1);
  const left = files(payloadDir);
  expect(left.filter((f) => f.startsWith(TEMP_PREFIX))).toEqual([]);
  expect(left).toHaveLength(1000);
  expect(files(join(repo, "registry", "datasets", "conc", "blob"))).toHaveLength(1000);
}

describe("concurrent puts", () => {
  it("8 worker threads, one terminated mid-write, then a rerun", { timeout: 180_000 }, async () => {
    await scenario("thread");
  });
  it("8 child processes, one SIGKILLed mid-write, then a rerun", { timeout: 180_000 }, async () => {
    await scenario("process");
  });
});
