// Writes the toy pipeline's raw files: one multi-extension FITS file per exposure, one 8x6 float32
// image HDU per detector, with INSTRUME/EXPNUM/CCDNUM cards for `skystack butler ingest-raws`.
//   node --conditions=source --import tsx examples/toy-pipeline/raws.ts OUTDIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsWriter, Header } from "@skystack/afw";

/** Image width and height, pixels. */
export const TOY_SHAPE = [8, 6] as const;

/** Pixel i (row-major) of the raw of (exposure, detector), in adu: an exact float32 value. */
export function toyRawValue(exposure: number, detector: number, i: number): number {
  return 100 * exposure + 10 * detector + (i % 7) - 3;
}

/** Writes raw-EEEE.fits for each exposure into `dir`; returns the paths. */
export async function writeToyRaws(dir: string, exposures: readonly number[], detectors: readonly number[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const e of exposures) {
    const path = join(dir, `raw-${String(e).padStart(4, "0")}.fits`);
    const w = await FitsWriter.create(path);
    await w.writeImage(new Uint8Array(0), [], { header: new Header().set("INSTRUME", "TOY").set("EXPNUM", e) });
    for (const d of detectors) {
      const px = new Float32Array(TOY_SHAPE[0] * TOY_SHAPE[1]).map((_, i) => toyRawValue(e, d, i));
      await w.writeImage(px, [...TOY_SHAPE], { header: new Header().set("CCDNUM", d), extname: `CCD${d}` });
    }
    await w.close();
    paths.push(path);
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? "toy-raws";
  const paths = await writeToyRaws(out, [1, 2, 3], [0, 1]);
  process.stdout.write(`${paths.join("\n")}\n`);
}
