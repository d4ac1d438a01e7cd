import { Camera } from "@skystack/afw";
import { megacamCamera, simulateMegacamRaw, writeMegacamMasters, readMegacamRaw, readMegacamCalib, megacamIsrOptions, readElixirDefects } from "@skystack/obs-cfht";
import { runIsr } from "@skystack/isr";
const cam36 = megacamCamera(36);
const id = Number(process.argv[2] ?? 27);
const cam = new Camera("MegaCam", [cam36.get(id)]);
const truths = await simulateMegacamRaw("/tmp/isrwork/r27.fits.fz", { camera: cam, seed: 7, visit: { expnum: 2000001, filter: "i.MP9702", exptime: 60, darktime: 61, mjdObs: 55503.25, ra: 214.88, dec: 52.66 }, keepTruth: [id] });
await writeMegacamMasters({ camera: cam, biasPath: "/tmp/isrwork/b27.fits", flatPath: "/tmp/isrwork/f27.fits", fringePath: "/tmp/isrwork/fr27.fits", darkPath: "/tmp/isrwork/d27.fits", maskPath: "/tmp/isrwork/m27.fits" });
const raw = await readMegacamRaw("/tmp/isrwork/r27.fits.fz", id);
const [bias, flat, fringe, dark] = await Promise.all(["b27", "f27", "fr27", "d27"].map((n) => readMegacamCalib(`/tmp/isrwork/${n}.fits`, id)));
const tr = truths.get(id)!;
const defects = await readElixirDefects("/tmp/isrwork/m27.fits", raw.detector);
const res = runIsr(raw, { bias, flat, fringe, dark: { image: dark!, darkTime: 1 }, defects }, megacamIsrOptions(raw.filter ?? null, false));
const e = res.exposure; const im = e.image.array, m = e.mask.array;
// residual by row band and column band
const rows = new Float64Array(47), rn = new Float64Array(47), cols = new Float64Array(32), cn = new Float64Array(32);
let worst: [number, number, number][] = [];
for (let y = 0; y < 4612; y++) for (let x = 0; x < 2048; x++) { const i = y * 2048 + x; if (m[i] || tr.artefacts[i]) continue; const r = im[i]! - tr.image[i]!; const c = r * r / tr.variance[i]!; rows[Math.floor(y / 100)]! += c; rn[Math.floor(y / 100)]!++; cols[Math.floor(x / 64)]! += c; cn[Math.floor(x / 64)]!++; if (c > 100) worst.push([x, y, r]); }
console.log("rows", Array.from(rows, (v, k) => (v / rn[k]!).toFixed(2)).join(" "));
console.log("cols", Array.from(cols, (v, k) => (v / cn[k]!).toFixed(2)).join(" "));
console.log(worst.length, worst.slice(0, 20));
