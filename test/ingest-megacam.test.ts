// `skystack butler ingest-raws --instrument cfht`: a simulated MegaCam raw MEF registers one raw
// dataset per CCD with data ids translated from its headers, and reads back per CCD.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Camera } from "@skystack/afw";
import { megacamCamera, simulateMegacamRaw } from "@skystack/obs-cfht";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "skystack-ingest-"));
const RAW = join(dir, "2000005o.fits.fz");
const REPO = join(dir, "repo");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function skystack(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    {
      encoding: "utf8",
      cwd: root,
    },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const cam = megacamCamera(36);
  await simulateMegacamRaw(RAW, {
    camera: new Camera("MegaCam", [cam.get(3), cam.get(17)]),
    visit: {
      expnum: 2000005,
      filter: "r.MP9601",
      exptime: 30,
      darktime: 31,
      mjdObs: 55503.5,
      ra: 214.88,
      dec: 52.66,
      airmass: 1.1,
    },
    seed: 5,
  });
}, 120_000);

describe("butler ingest-raws --instrument cfht", () => {
  it("registers one raw per CCD with the header-derived data id", () => {
    expect(skystack("butler", "create", REPO).status).toBe(0);
    const ingest = skystack("butler", "ingest-raws", REPO, RAW, "--instrument", "cfht");
    expect(ingest.status, ingest.stderr).toBe(0);
    const q = skystack("butler", "query-datasets", REPO, "raw", "--collections", "MegaPrime/raw/all", "--json");
    expect(q.status, q.stderr).toBe(0);
    const refs = JSON.parse(q.stdout) as { dataId: Record<string, unknown> }[];
    const ids = refs.map((r) => r.dataId).sort((a, b) => Number(a.detector) - Number(b.detector));
    expect(ids).toEqual([
      { instrument: "MegaPrime", exposure: 2000005, detector: 3, band: "r" },
      { instrument: "MegaPrime", exposure: 2000005, detector: 17, band: "r" },
    ]);
    // Ingesting again registers nothing twice.
    const again = skystack("butler", "ingest-raws", REPO, RAW, "--instrument", "cfht");
    expect(again.status).toBe(0);
    const q2 = JSON.parse(
      skystack("butler", "query-datasets", REPO, "raw", "--collections", "MegaPrime/raw/all", "--json").stdout,
    );
    expect(q2).toHaveLength(2);
  });
});
