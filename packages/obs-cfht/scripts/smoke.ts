// Developer script: simulate 2 MegaCam CCDs into /tmp/isrwork, write masters, run ISR on ccd00, print residuals vs truth.
// node --conditions=source --import tsx packages/obs-cfht/scripts/smoke.ts
import { Camera } from "@skystack/afw";
import { runIsr } from "@skystack/isr";
import { megacamCamera, readMegacamCalib, readMegacamRaw, simulateMegacamRaw, writeMegacamMasters } from "@skystack/obs-cfht";

const cam36 = megacamCamera(36);
const cam = new Camera("MegaCam", [cam36.get(0), cam36.get(27)]);
let t = performance.now();
const truths = await simulateMegacamRaw("/tmp/isrwork/raw.fits.fz", {
  camera: cam,
  visit: { expnum: 1000001, filter: "i.MP9702", exptime: 60, mjdObs: 55503.2, ra: 214.88, dec: 52.66 },
  keepTruth: [0],
});
console.log("sim", performance.now() - t);
t = performance.now();
await writeMegacamMasters({
  camera: cam,
  biasPath: "/tmp/isrwork/bias.fits",
  flatPath: "/tmp/isrwork/flat.fits",
  fringePath: "/tmp/isrwork/fringe.fits",
  maskPath: "/tmp/isrwork/mask.fits",
  darkPath: "/tmp/isrwork/dark.fits",
});
console.log("masters", performance.now() - t);
t = performance.now();
const raw = await readMegacamRaw("/tmp/isrwork/raw.fits.fz", 0);
console.log("read", performance.now() - t, raw.image.width, raw.image.height, raw.visitInfo?.exposureTime, raw.filter);
t = performance.now();
const bias = await readMegacamCalib("/tmp/isrwork/bias.fits", 0);
const flat = await readMegacamCalib("/tmp/isrwork/flat.fits", 0);
const fringe = await readMegacamCalib("/tmp/isrwork/fringe.fits", 0);
const tr = truths.get(0)!;
const dark = await readMegacamCalib("/tmp/isrwork/dark.fits", 0);
const res = runIsr(
  raw,
  { bias, flat, fringe, dark: { image: dark, darkTime: 1 }, defects: tr.defects },
  { overscan: { fitType: "POLY", order: 3 } },
);
console.log("isr", performance.now() - t, res.counts, res.fringe);
const im = res.exposure.image.array,
  m = res.exposure.mask.array,
  v = res.exposure.variance.array;
let s = 0,
  n = 0,
  vs = 0,
  tv = 0;
for (let i = 0; i < im.length; i++) {
  if (m[i] || tr.artefacts[i]) continue;
  s += im[i]! - tr.image[i]!;
  vs += v[i]!;
  tv += tr.variance[i]!;
  n++;
}
console.log("mean resid", s / n, "var ratio", vs / tv, n);
for (const a of raw.detector.amplifiers) {
  let s2 = 0,
    n2 = 0;
  for (let y = a.bbox.min.y; y <= a.bbox.max.y; y++)
    for (let x = a.bbox.min.x; x <= a.bbox.max.x; x++) {
      const i = y * 2048 + x;
      if (m[i] || tr.artefacts[i]) continue;
      s2 += im[i]! - tr.image[i]!;
      n2++;
    }
  console.log(a.name, s2 / n2);
}
