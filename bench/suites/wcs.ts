// WCS benchmarks: vectorised pixel -> sky (and sky -> pixel) of 10^6 points next to astropy's
// all_pix2world / all_world2pix (wcslib) on the same points, timed by the peer itself after its imports.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSkyWcsFromFile, type SkyWcs } from "@skystack/afw";
import type { Benchmark } from "../benchmarks.js";

const ROOT = join(import.meta.dirname, "..", "..");
const REAL = join(ROOT, "test", "data", "real");
const N = 1_000_000;

const PEER = `
import sys, json, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from astropy.io import fits
from astropy.wcs import WCS
path, hdu, pts, direction, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
w = WCS(fits.open(path)[hdu].header)
xy = np.fromfile(pts, dtype="<f8").reshape(2, -1).T.copy()
if direction == "sky2pix":
    xy = w.all_pix2world(xy, 0)
f = w.all_pix2world if direction == "pix2sky" else w.all_world2pix
f(xy, 0)
ts = []
for _ in range(runs):
    t0 = time.perf_counter(); f(xy, 0); ts.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"median_ms": float(np.median(ts))}))
`;

/** Pixel positions (x then y, float64 little-endian) covering the image, the same for us and the peer. */
function writePoints(path: string, nx: number, ny: number): void {
  const a = new Float64Array(2 * N);
  const side = Math.sqrt(N);
  for (let k = 0; k < N; k++) {
    a[k] = -0.5 + ((k % side) + 0.5) * (nx / side);
    a[N + k] = -0.5 + (Math.floor(k / side) + 0.5) * (ny / side);
  }
  writeFileSync(path, new Uint8Array(a.buffer));
}

const cache = new Map<
  string,
  { wcs: SkyWcs; x: Float64Array; y: Float64Array; ra: Float64Array; dec: Float64Array; ox: Float64Array; oy: Float64Array }
>();

async function load(file: string, hdu: number, pts: string) {
  let c = cache.get(pts);
  if (!c) {
    const buf = readFileSync(pts);
    const a = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const wcs = await readSkyWcsFromFile(file, hdu);
    const x = a.subarray(0, N);
    const y = a.subarray(N);
    const sky = wcs.pixelToSkyArrays(x, y);
    c = { wcs, x, y, ra: sky.ra, dec: sky.dec, ox: new Float64Array(N), oy: new Float64Array(N) };
    cache.set(pts, c);
  }
  return c;
}

function cases(): { tag: string; file: string; hdu: number; nx: number; ny: number; what: string }[] {
  return [
    {
      tag: "tan-sip",
      file: join(REAL, "wcs-galsim", "sipsample.fits"),
      hdu: 0,
      nx: 256,
      ny: 256,
      what: "TAN-SIP order 3 (IRAC sipsample.fits)",
    },
    { tag: "tpv", file: join(REAL, "wcs-galsim", "tpv.fits"), hdu: 0, nx: 512, ny: 512, what: "TPV order 3 (Mosaic2 tpv.fits)" },
  ];
}

/** WCS benchmarks (issue 4). */
export const wcsBenchmarks: Benchmark[] = cases().flatMap((c) =>
  (["pix2sky", "sky2pix"] as const).map(
    (dir): Benchmark => ({
      name: `wcs.${dir}.${c.tag}.1e6`,
      backend: "ts",
      note: `${dir === "pix2sky" ? "pixelToSkyArrays" : "skyToPixelArrays (AP/BP or linear start, Newton steps with the analytic Jacobian until the residual at the returned point is <= 1e-10 px; per-point convergence check)"} of 10^6 points over the image, ${c.what}, into preallocated Float64Arrays; peer: astropy ${dir === "pix2sky" ? "all_pix2world" : "all_world2pix"} (wcslib) on the same points, timed after imports`,
      prepare: async (w) => {
        const pts = join(w, `wcs-${c.tag}.f64`);
        if (!existsSync(pts)) writePoints(pts, c.nx, c.ny);
        writeFileSync(join(w, "wcs_peer.py"), PEER);
      },
      inputs: async (w) => ({ pts: join(w, `wcs-${c.tag}.f64`), peer: join(w, "wcs_peer.py") }),
      run: async (i) => {
        const d = await load(c.file, c.hdu, i.pts!);
        if (dir === "pix2sky") d.wcs.pixelToSkyArrays(d.x, d.y, { ra: d.ox, dec: d.oy });
        else {
          const r = d.wcs.skyToPixelArrays(d.ra, d.dec, { x: d.ox, y: d.oy });
          if (r.nFailed > 0) throw new Error(`${r.nFailed} points did not converge`);
        }
      },
      peer: (i) => ({
        name: `astropy ${dir === "pix2sky" ? "all_pix2world" : "all_world2pix"}`,
        argv: ["/usr/bin/python3", i.peer!, c.file, String(c.hdu), i.pts!, dir, "5"],
        selfTimed: true,
      }),
    }),
  ),
);
