// ISR benchmark: one full MegaCam CCD from the compressed 36-CCD raw MEF to the written Exposure.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Camera, writeExposure } from "@skystack/afw";
import { runIsr } from "@skystack/isr";
import {
  megacamCamera,
  megacamIsrOptions,
  readElixirDefects,
  readMegacamCalib,
  readMegacamRaw,
  simulateMegacamRaw,
  writeMegacamMasters,
} from "@skystack/obs-cfht";
import type { Benchmark } from "../benchmarks.js";

const CCD = 17;
const names = (w: string) => ({
  raw: join(w, "isr-2000017o.fits.fz"),
  bias: join(w, "isr-master-bias.fits"),
  flat: join(w, "isr-master-flat.fits"),
  dark: join(w, "isr-master-dark.fits"),
  fringe: join(w, "isr-master-fringe.fits"),
  mask: join(w, "isr-mask.fits"),
  out: join(w, "isr-ccd17-out.fits"),
});

async function prepare(workDir: string): Promise<void> {
  const n = names(workDir);
  const cam = megacamCamera(36);
  if (!existsSync(n.raw)) {
    // the full 36-extension raw (RICE_1, 2112x1 tiles); a complete scene on ccd17, sky elsewhere
    await simulateMegacamRaw(n.raw, {
      camera: cam,
      ccds: [CCD],
      seed: 3,
      visit: { expnum: 2000017, filter: "i.MP9702", exptime: 60, darktime: 61, mjdObs: 55503.25, ra: 214.88, dec: 52.66 },
    });
  }
  if (!existsSync(n.mask)) {
    await writeMegacamMasters({
      camera: new Camera("MegaCam", [cam.get(CCD)]),
      biasPath: n.bias,
      flatPath: n.flat,
      darkPath: n.dark,
      fringePath: n.fringe,
      maskPath: n.mask,
    });
  }
}

async function run(i: Record<string, string>): Promise<void> {
  const raw = await readMegacamRaw(i.raw!, CCD);
  const [bias, flat, dark, fringe] = await Promise.all(
    [i.bias!, i.flat!, i.dark!, i.fringe!].map((p) => readMegacamCalib(p, CCD)),
  );
  const defects = await readElixirDefects(i.mask!, raw.detector);
  const res = runIsr(
    raw,
    { bias: bias!, flat: flat!, fringe: fringe!, dark: { image: dark!, darkTime: 1 }, defects },
    { ...megacamIsrOptions(raw.filter ?? null, false), mutateRaw: true },
  );
  await writeExposure(i.out!, res.exposure, { unit: "electron" });
}

// numpy/astropy doing the same arithmetic steps (per-row overscan median, trim, bias, dark, flat,
// gain, variance, write IMAGE/MASK/VARIANCE); no saturation, defects, fringe or interpolation.
const PEER = `
import sys, time, json, numpy as np
from astropy.io import fits
raw, bias, flat, dark, out = sys.argv[1:6]
def once():
    with fits.open(raw, memmap=False) as f:
        h = f['ccd17'].header; d = f['ccd17'].data.astype(np.float32)
    def cal(p):
        with fits.open(p, memmap=False) as g: return g['ccd17'].data.astype(np.float32)
    b, fl, dk = cal(bias), cal(flat), cal(dark)
    a = d[:4612, 32:1056] - np.median(d[:4612, 0:32], axis=1)[:, None]
    bb = d[:4612, 1056:2080] - np.median(d[:4612, 2080:2112], axis=1)[:, None]
    im = np.hstack([a, bb]) - b
    g = np.where(np.arange(2048) < 1024, h['GAINA'], h['GAINB']).astype(np.float32)
    rn = np.where(np.arange(2048) < 1024, h['RDNOISEA'], h['RDNOISEB']).astype(np.float32)
    im *= g
    var = np.maximum(im, 0) + rn ** 2
    im -= dk * h['DARKTIME']
    fn = fl / fl.mean(); im /= fn; var /= fn ** 2
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(im, name='IMAGE'), fits.ImageHDU(np.zeros(im.shape, np.int32), name='MASK'), fits.ImageHDU(var, name='VARIANCE')]).writeto(out, overwrite=True)
once()
ts = []
for _ in range(3):
    t = time.perf_counter(); once(); ts.append((time.perf_counter() - t) * 1000)
print(json.dumps({"median_ms": sorted(ts)[1]}))
`;

/**
 * The same arithmetic as the numpy+astropy peer, like for like: per-row median overscan, trim and
 * assembly, bias, gain, variance, dark, flat, write IMAGE/MASK/VARIANCE; no saturation, defects,
 * fringe or interpolation.
 */
async function runSubset(i: Record<string, string>): Promise<void> {
  const raw = await readMegacamRaw(i.raw!, CCD);
  const [bias, flat, dark] = await Promise.all([i.bias!, i.flat!, i.dark!].map((p) => readMegacamCalib(p, CCD)));
  const res = runIsr(
    raw,
    { bias: bias!, flat: flat!, dark: { image: dark!, darkTime: 1 } },
    {
      mutateRaw: true,
      doSaturation: false,
      overscan: { fitType: "MEDIAN_PER_ROW" },
      doFringe: false,
      doInterpolate: false,
      doWidenSaturationTrails: false,
    },
  );
  await writeExposure(i.out!, res.exposure, { unit: "electron" });
}

const peerCommand = (i: Record<string, string>) => ({
  name: "numpy+astropy ISR subset",
  argv: [
    existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3",
    "-c",
    PEER,
    i.raw!,
    i.bias!,
    i.flat!,
    i.dark!,
    `${i.out!}.peer.fits`,
  ],
  selfTimed: true,
});

/** ISR benchmarks (issue 6). */
export const isrBenchmarks: Benchmark[] = [
  {
    name: "isr.megacam-ccd.full",
    backend: "ts",
    note: "one MegaCam CCD: read ccd17 of a simulated 36-CCD RICE_1 raw MEF + master bias/flat/dark/fringe + Elixir-format defect mask, runIsr (saturation, POLY-3 overscan, assembly, bias, gain, variance, defects, dark, flat, fringe fit, interpolation), write the Exposure (IMAGE/MASK/VARIANCE); peer: numpy+astropy doing the arithmetic subset (no saturation/defects/fringe/interpolation)",
    prepare,
    inputs: async (w) => {
      const n = names(w);
      return { raw: n.raw, bias: n.bias, flat: n.flat, dark: n.dark, fringe: n.fringe, mask: n.mask, out: n.out };
    },
    run,
    peer: peerCommand,
  },
  {
    name: "isr.megacam-ccd.subset",
    backend: "ts",
    note: "like for like with the numpy+astropy peer: read ccd17 of the RICE MEF + bias/flat/dark masters, per-row median overscan, assembly, bias, gain, variance, dark, flat, write the Exposure (no saturation, defects, fringe or interpolation in either)",
    prepare,
    inputs: async (w) => {
      const n = names(w);
      return { raw: n.raw, bias: n.bias, flat: n.flat, dark: n.dark, out: `${n.out}.subset.fits` };
    },
    run: runSubset,
    peer: peerCommand,
  },
];
