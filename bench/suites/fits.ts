// FITS benchmarks: tile decompression and compression next to funpack/fpack.
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, FitsWriter } from "@skystack/afw";
import type { Benchmark } from "../benchmarks.js";
import { haveCommand, simulateFrame } from "../sim.js";

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
    await writePlain(
      plain,
      Uint16Array.from(f, (v) => Math.max(0, Math.min(65535, Math.round(v)))),
      [MEGACAM.nx, MEGACAM.ny],
    );
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

/** FITS I/O benchmarks (issue: foundation). */
export const fitsBenchmarks: Benchmark[] = [
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
