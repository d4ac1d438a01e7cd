// Pixel -> pixel transforms between two WCSs and their grid approximation, checked against the
// exact transform at every pixel of the box.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approximateOnGrid, Box2I, makeSkyWcs, readSkyWcsFromFile, SpherePoint, WcsPairTransform } from "../../src/index.js";

const real = join(import.meta.dirname, "..", "..", "..", "..", "test", "data", "real");

async function rotatedTarget(source: Awaited<ReturnType<typeof readSkyWcsFromFile>>, degrees: number) {
  const centre = source.pixelToSky(255.5, 255.5);
  const scale = source.getPixelScale(255.5, 255.5) / 3600; // degrees per pixel
  const t = (degrees * Math.PI) / 180;
  return makeSkyWcs({
    crpix: [300, 280],
    crval: SpherePoint.fromDegrees(centre.raDeg, centre.decDeg),
    cd: [-scale * Math.cos(t), scale * Math.sin(t), scale * Math.sin(t), scale * Math.cos(t)],
  });
}

describe("WcsPairTransform and approximateOnGrid", () => {
  it("maps destination pixels onto a real TPV image to within the requested error everywhere", async () => {
    const source = await readSkyWcsFromFile(join(real, "wcs-galsim", "tpv.fits"));
    const destination = await rotatedTarget(source, 2);
    const transform = new WcsPairTransform(destination, source);
    const box = Box2I.fromXYWH(-20, 10, 600, 500);
    for (const maxError of [0.05, 0.005]) {
      const approx = approximateOnGrid(transform, box, { maxError });
      expect(approx.maxError).toBeLessThanOrEqual(maxError);
      // Exact transform of every pixel of the box.
      const n = box.width * box.height;
      const xs = new Float64Array(n);
      const ys = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        xs[k] = box.minX + (k % box.width);
        ys[k] = box.minY + Math.floor(k / box.width);
      }
      const exact = transform.apply(xs, ys);
      expect(exact.nFailed).toBe(0);
      let worst = 0;
      for (let k = 0; k < n; k++) worst = Math.max(worst, Math.hypot(approx.x[k]! - exact.x[k]!, approx.y[k]! - exact.y[k]!));
      // Bilinear error peaks at the checked cell centres/edges; allow a little for curvature elsewhere.
      expect(worst).toBeLessThanOrEqual(maxError * 1.25);
      // Far fewer exact evaluations than pixels.
      expect(approx.exactEvaluations).toBeLessThan(n / 20);
    }
  });

  it("is the identity for the same WCS and inverts with the swapped pair", async () => {
    const w = await readSkyWcsFromFile(join(real, "wcs-galsim", "sipsample.fits"));
    const id = new WcsPairTransform(w, w).apply(Float64Array.of(0, 100.25, 255), Float64Array.of(0, 50.5, 255));
    expect([...id.x].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 100.25, 255]);
    expect([...id.y].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 50.5, 255]);
    const other = await rotatedTarget(w, -1.5);
    const there = new WcsPairTransform(other, w).apply(Float64Array.of(10, 200), Float64Array.of(20, 150));
    const back = new WcsPairTransform(w, other).apply(there.x, there.y);
    expect(Math.abs(back.x[0]! - 10) + Math.abs(back.y[1]! - 150)).toBeLessThan(1e-8);
  });

  it("reports when the requested accuracy cannot be reached", async () => {
    const w = await readSkyWcsFromFile(join(real, "wcs-galsim", "tpv.fits"));
    const other = await rotatedTarget(w, 30);
    expect(() =>
      approximateOnGrid(new WcsPairTransform(other, w), Box2I.fromXYWH(0, 0, 300, 300), { maxError: 1e-9, minSpacing: 16 }),
    ).toThrow(/grid approximation error/);
  });
});
