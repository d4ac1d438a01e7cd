// Developer script: phase timings of the isr bench (run `npm run bench -- --filter isr.` first).
import { writeExposure } from "@skystack/afw";
import { runIsr } from "@skystack/isr";
import { megacamIsrOptions, readElixirDefects, readMegacamCalib, readMegacamRaw } from "@skystack/obs-cfht";

const w = "bench/.work/";
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  const lap = (s: string) => {
    const n = performance.now();
    process.stdout.write(`${s} ${(n - t).toFixed(0)}  `);
    t = n;
  };
  const raw = await readMegacamRaw(`${w}isr-2000017o.fits.fz`, 17);
  lap("raw");
  const [bias, flat, dark, fringe] = await Promise.all(
    ["bias", "flat", "dark", "fringe"].map((n) => readMegacamCalib(`${w}isr-master-${n}.fits`, 17)),
  );
  lap("calibs");
  const defects = await readElixirDefects(`${w}isr-mask.fits`, raw.detector);
  lap("defects");
  const res = runIsr(
    raw,
    { bias: bias!, flat: flat!, fringe: fringe!, dark: { image: dark!, darkTime: 1 }, defects },
    { ...megacamIsrOptions(raw.filter ?? null, false), mutateRaw: true },
  );
  lap("isr");
  await writeExposure(`${w}isr-prof-out.fits`, res.exposure, { unit: "electron" });
  lap("write");
  console.log(JSON.stringify(Object.fromEntries(Object.entries(res.timings).map(([a, b]) => [a, Math.round(b)]))));
}
