// Developer script: per-step ISR timings on /tmp/isrwork files written by smoke.ts.

import { Mask, writeExposure } from "@skystack/afw";
import { assembleImage, fitFringe, maskThreshold, overscanCorrectAmplifier, runIsr } from "@skystack/isr";
import { readMegacamCalib, readMegacamRaw } from "@skystack/obs-cfht";

const T = () => performance.now();
let t = T();
const raw = await readMegacamRaw("/tmp/isrwork/raw.fits.fz", 0);
console.log("read raw", (T() - t).toFixed(0));
t = T();
const [bias, flat, fringe, dark] = await Promise.all(
  ["bias", "flat", "fringe", "dark"].map((n) => readMegacamCalib(`/tmp/isrwork/${n}.fits`, 0)),
);
console.log("read calibs", (T() - t).toFixed(0));
t = T();
for (let k = 0; k < 3; k++) {
  t = T();
  const res = runIsr(
    raw,
    { bias, flat, fringe, dark: { image: dark!, darkTime: 1 } },
    { overscan: { fitType: "POLY", order: 3 } },
  );
  console.log(
    "isr",
    (T() - t).toFixed(0),
    JSON.stringify(Object.fromEntries(Object.entries(res.timings).map(([k, v]) => [k, Math.round(v)]))),
  );
  if (k === 2) {
    t = T();
    await writeExposure("/tmp/isrwork/out.fits", res.exposure, { unit: "electron" });
    console.log("write", (T() - t).toFixed(0));
  }
}
const img = raw.image.clone();
t = T();
for (const a of raw.detector.amplifiers) overscanCorrectAmplifier(img, a, { fitType: "POLY", order: 3 });
console.log("overscan", (T() - t).toFixed(0));
t = T();
const m = Mask.fromBBox(img.bbox);
for (const a of raw.detector.amplifiers) maskThreshold(img, m, 65535, 2, 1, a.rawDataBBox);
console.log("sat", (T() - t).toFixed(0));
t = T();
const as = assembleImage(img, raw.detector);
console.log("assemble", (T() - t).toFixed(0));
t = T();
fitFringe(as, fringe!, null, {});
console.log("fringe", (T() - t).toFixed(0));
