// The benchmark registry. Each benchmark makes its inputs once (prepare), then is timed on them
// (run) next to a peer command on the same files.
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, FitsWriter } from "@skystack/afw";

/** One result line of `npm run bench -- --json`. */
export interface BenchResult {
  bench: string;
  backend: string;
  threads: number;
  median_ms: number;
  peak_mb: number;
  peer: string | null;
  peer_median_ms: number | null;
  runs: number;
  note: string;
}

/** Files a benchmark works on. */
export type BenchInputs = Record<string, string>;

/** A benchmark. */
export interface Benchmark {
  name: string;
  backend: string;
  note: string;
  /** Makes the input files in `workDir` (kept between runs). */
  prepare(workDir: string): Promise<void>;
  /** Paths of the inputs in `workDir`. */
  inputs(workDir: string): Promise<BenchInputs>;
  /** The timed operation. */
  run(inputs: BenchInputs): Promise<void>;
  /** The peer command timed on the same inputs, if any. */
  peer?(inputs: BenchInputs): { name: string; argv: string[] } | null;
}

function haveCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Deterministic normal deviates (xorshift + Box-Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A simulated sky frame: background + Poisson-like noise + Gaussian stars (+ bias/overscan columns). */
function simulateFrame(nx: number, ny: number, sky: number, noise: number, seed: number, overscan = 0): Float32Array {
  const g = gaussian(seed);
  const out = new Float32Array(nx * ny);
  for (let i = 0; i < out.length; i++) out[i] = sky + noise * g();
  const r = gaussian(seed + 1);
  for (let k = 0; k < 400; k++) {
    const cx = Math.abs(r() * 1e6) % nx;
    const cy = Math.abs(r() * 1e6) % ny;
    const flux = 200 * Math.exp(Math.abs(r()) * 3);
    const s2 = 2 * 1.8 * 1.8;
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(ny, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(nx, cx + 8); x++) {
        out[y * nx + x]! += (flux / (Math.PI * s2)) * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / s2);
      }
    }
  }
  // Overscan strips at both ends of each row, at the bias level (MegaCam: 32 columns per side).
  if (overscan > 0) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < overscan; x++) {
        out[y * nx + x] = 1000 + 4 * g();
        out[y * nx + nx - 1 - x] = 1000 + 4 * g();
      }
    }
  }
  return out;
}

async function writePlain(path: string, data: Float32Array | Uint16Array, shape: number[]): Promise<void> {
  const w = await FitsWriter.create(path);
  await w.writeImage(data, shape);
  await w.close();
}

/** Compresses `plain` into `packed` with fpack when installed (the acceptance asks for fpack files), else with skystack. */
async function pack(plain: string, packed: string, fpackFlags: string[], fallback: () => Promise<void>): Promise<void> {
  if (existsSync(packed)) return;
  if (haveCommand("fpack")) {
    rmSync(`${packed}.tmp`, { force: true });
    const r = spawnSync("fpack", [...fpackFlags, "-O", `${packed}.tmp`, plain], { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`fpack failed on ${plain}`);
    renameSync(`${packed}.tmp`, packed);
  } else {
    await fallback();
  }
}

const MEGACAM = { nx: 2112, ny: 4644 };
const WIDE = { nx: 4096, ny: 2048 };

async function prepareMegacam(workDir: string): Promise<void> {
  const plain = join(workDir, "megacam-sim.fits");
  if (!existsSync(plain)) {
    const f = simulateFrame(MEGACAM.nx, MEGACAM.ny, 1500, 25, 42, 32);
    await writePlain(plain, Uint16Array.from(f, (v) => Math.max(0, Math.min(65535, Math.round(v)))), [MEGACAM.nx, MEGACAM.ny]);
  }
  await pack(plain, join(workDir, "megacam-sim.fits.fz"), ["-r"], async () => {
    const f = await FitsFile.open(plain);
    const img = await f.readImage(0);
    await f.close();
    const w = await FitsWriter.create(join(workDir, "megacam-sim.fits.fz"));
    await w.writeCompressedImage(img.data, img.shape, { compression: "RICE_1" });
    await w.close();
  });
}

async function prepareWide(workDir: string): Promise<void> {
  const plain = join(workDir, "wide-float.fits");
  if (!existsSync(plain)) await writePlain(plain, simulateFrame(WIDE.nx, WIDE.ny, 100, 10, 7), [WIDE.nx, WIDE.ny]);
  await pack(plain, join(workDir, "wide-float-q4.fits.fz"), ["-r", "-q", "4"], async () => {
    const f = await FitsFile.open(plain);
    const img = await f.readImage(0);
    await f.close();
    const w = await FitsWriter.create(join(workDir, "wide-float-q4.fits.fz"));
    await w.writeCompressedImage(img.data, img.shape, { compression: "RICE_1", quantizeLevel: 4 });
    await w.close();
  });
}

async function decode(path: string, hdu: number): Promise<void> {
  const f = await FitsFile.open(path);
  const img = await f.readImage(hdu);
  await f.close();
  if (img.data.length === 0) throw new Error("nothing decoded");
}

/** Every benchmark `npm run bench` knows. */
export const BENCHMARKS: Benchmark[] = [
  {
    name: "fits.rice-decode.megacam-uint16",
    backend: "ts",
    note: "2112x4644 uint16 RICE_1 (fpack -r of a simulated MegaCam CCD with overscan): open + decode to a Uint16Array; peer: funpack -S > /dev/null (process start and output write included)",
    prepare: prepareMegacam,
    inputs: async (w) => ({ packed: join(w, "megacam-sim.fits.fz") }),
    run: (i) => decode(i.packed!, 1),
    peer: (i) => ({ name: "funpack", argv: ["sh", "-c", `funpack -S '${i.packed}' > /dev/null`] }),
  },
  {
    name: "fits.rice-decode.float32-q4",
    backend: "ts",
    note: "4096x2048 float32 RICE_1 q=4 SUBTRACTIVE_DITHER_1 (fpack -r -q 4): open + decode + dequantize to a Float32Array; peer: funpack -S > /dev/null",
    prepare: prepareWide,
    inputs: async (w) => ({ packed: join(w, "wide-float-q4.fits.fz") }),
    run: (i) => decode(i.packed!, 1),
    peer: (i) => ({ name: "funpack", argv: ["sh", "-c", `funpack -S '${i.packed}' > /dev/null`] }),
  },
  {
    name: "fits.rice-encode.megacam-uint16",
    backend: "ts",
    note: "write a 2112x4644 uint16 image as RICE_1 (read of the plain file included); peer: fpack -r -S > /dev/null",
    prepare: prepareMegacam,
    inputs: async (w) => ({ plain: join(w, "megacam-sim.fits"), out: join(w, "megacam-ours.fits.fz") }),
    run: async (i) => {
      const f = await FitsFile.open(i.plain!);
      const img = await f.readImage(0);
      await f.close();
      const w = await FitsWriter.create(i.out!);
      await w.writeCompressedImage(img.data, img.shape, { compression: "RICE_1" });
      await w.close();
    },
    peer: (i) => ({ name: "fpack", argv: ["sh", "-c", `fpack -r -S '${i.plain}' > /dev/null`] }),
  },
  {
    name: "fits.read-plain.megacam-uint16",
    backend: "ts",
    note: "read an uncompressed 2112x4644 uint16 image (BZERO 32768) into a Uint16Array; peer: funpack -S of the RICE file is not comparable, so none",
    prepare: prepareMegacam,
    inputs: async (w) => ({ plain: join(w, "megacam-sim.fits") }),
    run: (i) => decode(i.plain!, 0),
  },
];
