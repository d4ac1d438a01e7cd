// The exposure's SkyWcs is written into the IMAGE/MASK/VARIANCE HDUs with CRPIX shifted for xy0
// (FITS CRPIX = LSST crpix − xy0 + 1) and read back; astropy (wcslib) reading the written file with
// FITS 1-based local pixels must agree with our PARENT-pixel transform.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Box2I } from "../../src/geom/box.js";
import { SpherePoint } from "../../src/geom/sphere.js";
import { Exposure } from "../../src/image/exposure.js";
import { Image } from "../../src/image/image.js";
import { MaskedImage } from "../../src/image/maskedImage.js";
import { readExposure, writeExposure } from "../../src/persistence/index.js";
import { makeCdMatrix, makeTanSipWcs, makeTpvWcs, Poly2D, SkyWcs } from "../../src/wcs/index.js";
import { sepDeg } from "./helpers.js";

const PY = "/usr/bin/python3";
const HAVE_ASTROPY = existsSync(PY) && spawnSync(PY, ["-c", "import astropy.wcs"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "skystack-wcs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tpv(): SkyWcs {
  const xi = new Poly2D(3);
  const eta = new Poly2D(3);
  xi.set(1, 0, 1.001);
  xi.set(2, 0, 0.01);
  xi.set(0, 3, -0.5);
  eta.set(0, 1, 0.999);
  eta.set(1, 1, 0.02);
  eta.set(3, 0, 0.4);
  return makeTpvWcs(
    { crpix: [1500.25, -300.5], crval: SpherePoint.fromDegrees(33.3, -12.1), cd: makeCdMatrix(0.2, 0.3) },
    xi,
    eta,
  );
}
function sip(): SkyWcs {
  const a = new Poly2D(2);
  const b = new Poly2D(2);
  a.set(2, 0, 1e-5);
  b.set(1, 1, -2e-5);
  return makeTanSipWcs({ crpix: [120, 80], crval: SpherePoint.fromDegrees(359.99, 45), cd: makeCdMatrix(0.5, -0.2, true) }, a, b);
}

describe.each([
  ["TPV", tpv],
  ["TAN-SIP", sip],
])("Exposure with a %s SkyWcs and xy0 = (100, 200)", (_n, make) => {
  const wcs = make();
  const path = join(dir, `${_n}.fits`);
  const pts: [number, number][] = [
    [0, 0],
    [63, 0],
    [17.25, 40.5],
    [63, 47],
  ];

  it("round-trips through writeExposure/readExposure in PARENT pixels", async () => {
    const img = Image.fromBBox(Box2I.fromXYWH(100, 200, 64, 48));
    const exp = new Exposure(new MaskedImage(img));
    exp.wcs = wcs;
    await writeExposure(path, exp);
    const back = await readExposure(path);
    expect(back.wcs).toBeInstanceOf(SkyWcs);
    for (const [lx, ly] of pts) {
      const a = wcs.pixelToSky(lx + 100, ly + 200);
      const b = back.wcs!.pixelToSky(lx + 100, ly + 200);
      expect(sepDeg(a.raDeg, a.decDeg, b.raDeg, b.decDeg)).toBeLessThan(1e-12);
    }
  });

  it.skipIf(!HAVE_ASTROPY)("astropy reads the written IMAGE HDU as the same WCS (local FITS pixels)", () => {
    const script = `import sys,json,warnings; warnings.simplefilter("ignore")
from astropy.io import fits; from astropy.wcs import WCS
w = WCS(fits.open(sys.argv[1])["IMAGE"].header)
print(json.dumps(w.all_pix2world(json.loads(sys.argv[2]), 1).tolist()))`;
    const fitsPix = pts.map(([x, y]) => [x + 1, y + 1]);
    const r = spawnSync(PY, ["-c", script, path, JSON.stringify(fitsPix)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as [number, number][];
    pts.forEach(([lx, ly], i) => {
      const a = wcs.pixelToSky(lx + 100, ly + 200);
      expect(sepDeg(got[i]![0], got[i]![1], a.raDeg, a.decDeg)).toBeLessThan(1e-10);
    });
  });
});
