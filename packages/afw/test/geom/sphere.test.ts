import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arcsecToRad, degToRad, HALF_PI, SpherePoint, TWO_PI } from "../../src/geom/index.js";
import { AfwError } from "../../src/image/errors.js";

const sp = SpherePoint.fromDegrees;

describe("SpherePoint basics", () => {
  it("stores radians, wraps longitude, exposes degrees", () => {
    const p = new SpherePoint(-HALF_PI, 0.25);
    expect(p.ra).toBeCloseTo((3 * Math.PI) / 2, 15);
    expect(p.dec).toBe(0.25);
    expect(p.longitude).toBe(p.ra);
    expect(p.latitude).toBe(p.dec);
    expect(sp(370, -45).raDeg).toBeCloseTo(10, 12);
    expect(sp(370, -45).decDeg).toBeCloseTo(-45, 12);
    expect(sp(10.54325, 32.830583).toString()).toBe("SpherePoint(10.543250, +32.830583)");
  });

  it("rejects |dec| > 90 deg and infinite ra with a typed error; accepts NaN", () => {
    expect(() => sp(0, 90.0001)).toThrow(AfwError);
    expect(() => new SpherePoint(Number.POSITIVE_INFINITY, 0)).toThrow(/longitude/);
    const n = new SpherePoint(Number.NaN, Number.NaN);
    expect(n.isFinite()).toBe(false);
    expect(n.equals(n)).toBe(false);
    expect(sp(0, 90).atPole()).toBe(true);
  });

  it("round-trips through unit vectors", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 359.999, noNaN: true }),
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        (ra, dec) => {
          const p = sp(ra, dec);
          const q = SpherePoint.fromVector(p.toVector());
          expect(p.separation(q)).toBeLessThan(1e-15);
        },
      ),
    );
    expect(SpherePoint.fromVector([0, 0, 2]).equals(new SpherePoint(0, HALF_PI))).toBe(true);
    expect(() => SpherePoint.fromVector([0, 0, 0])).toThrow(AfwError);
  });
});

describe("SpherePoint.separation (Vincenty)", () => {
  it("matches exact values", () => {
    expect(sp(0, 0).separation(sp(90, 0))).toBeCloseTo(HALF_PI, 15);
    expect(sp(0, 0).separation(sp(0, 90))).toBeCloseTo(HALF_PI, 15);
    expect(sp(0, 0).separation(sp(45, 45))).toBeCloseTo(Math.PI / 3, 15); // cos = cos45·cos45 = 1/2
    expect(sp(123, 17).separation(sp(123, 17))).toBe(0);
  });

  it("is exact between the poles and at antipodes", () => {
    expect(sp(0, 90).separation(sp(123, -90))).toBeCloseTo(Math.PI, 15);
    expect(Math.abs(sp(10, 20).separation(sp(190, -20)) - Math.PI)).toBeLessThan(1e-15);
    expect(Math.abs(sp(300.5, -63.2).separation(sp(120.5, 63.2)) - Math.PI)).toBeLessThan(1e-15);
    // near-antipodal: π − 1e-9 is resolved
    const a = new SpherePoint(0, 0);
    const b = new SpherePoint(Math.PI - 1e-9, 0);
    expect(Math.abs(a.separation(b) - (Math.PI - 1e-9))).toBeLessThan(1e-15);
  });

  it("is precise to 1e-12 rad relative for tiny separations", () => {
    const a = new SpherePoint(1.0, 0.3);
    const b = new SpherePoint(1.0, 0.3 + 1e-12);
    // the true separation is the exact difference of the stored latitudes (Sterbenz: exact)
    expect(b.dec - a.dec).toBeCloseTo(1e-12, 15);
    expect(Math.abs(a.separation(b) - (b.dec - a.dec))).toBeLessThan(1e-24);
    // along a parallel at dec 60°: exact chord formula 2·asin(cos δ · sin(Δα/2))
    const c = new SpherePoint(2.0, Math.PI / 3);
    const d = new SpherePoint(2.0 + 2e-12, Math.PI / 3);
    const dra = d.ra - c.ra;
    const truth = 2 * Math.asin(Math.cos(Math.PI / 3) * Math.sin(dra / 2));
    expect(Math.abs(c.separation(d) - truth)).toBeLessThan(1e-24);
    // across ra = 0
    const e = new SpherePoint(TWO_PI - 5e-13, 0);
    const f = new SpherePoint(5e-13, 0);
    // true angle: f.ra + (2π − e.ra), with 2π = TWO_PI (double) + 2.449e-16
    const across = f.ra + (TWO_PI - e.ra) + 2.4492935982947064e-16;
    expect(across).toBeCloseTo(1e-12, 15);
    expect(Math.abs(e.separation(f) - across)).toBeLessThan(1e-24);
    expect(Math.abs(f.separation(e) - across)).toBeLessThan(1e-24);
    // 10 mas near the pole
    const g = sp(10, 89.9999);
    const h = new SpherePoint(g.ra, g.dec + arcsecToRad(0.01));
    expect(Math.abs(g.separation(h) - (h.dec - g.dec))).toBeLessThan(1e-24);
    // tiny separation in both coordinates, against the flat-sky limit
    const i = new SpherePoint(0.7, -0.2);
    const j = new SpherePoint(0.7 + 3e-12, -0.2 + 4e-12);
    const flat = Math.hypot((j.ra - i.ra) * Math.cos(-0.2), j.dec - i.dec);
    expect(Math.abs(i.separation(j) - flat) / flat).toBeLessThan(1e-11);
  });

  it("property: symmetric and in [0, π]", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        (r1, d1, r2, d2) => {
          const a = sp(r1, d1);
          const b = sp(r2, d2);
          const s = a.separation(b);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(Math.PI);
          expect(Math.abs(s - b.separation(a))).toBeLessThan(1e-15);
        },
      ),
    );
  });
});

describe("SpherePoint bearing and offset", () => {
  it("bearing: 0 = east, π/2 = north (lsst.geom convention)", () => {
    const o = sp(30, 10);
    expect(o.bearingTo(sp(31, 10))).toBeCloseTo(degToRad(0.0868), 3); // slightly north of east
    expect(sp(0, 0).bearingTo(sp(1, 0))).toBeCloseTo(0, 15);
    expect(sp(0, 0).bearingTo(sp(0, 1))).toBeCloseTo(HALF_PI, 15);
    expect(sp(0, 0).bearingTo(sp(359, 0))).toBeCloseTo(Math.PI, 15);
    expect(sp(0, 0).bearingTo(sp(0, -1))).toBeCloseTo(3 * HALF_PI, 15);
    // every direction from the south pole leads north
    expect(sp(0, 40).bearingTo(sp(0, 90))).toBeCloseTo(HALF_PI, 15);
  });

  it("offset moves the requested distance in the requested direction", () => {
    const o = sp(0, 0);
    const n = o.offset(HALF_PI, degToRad(10));
    expect(n.raDeg).toBeCloseTo(0, 12);
    expect(n.decDeg).toBeCloseTo(10, 12);
    const e = o.offset(0, degToRad(10));
    expect(e.raDeg).toBeCloseTo(10, 12);
    expect(e.decDeg).toBeCloseTo(0, 12);
    // over the north pole along the meridian of the start point
    const p = sp(0, 90).offset(HALF_PI, degToRad(10));
    expect(p.raDeg).toBeCloseTo(180, 10);
    expect(p.decDeg).toBeCloseTo(80, 12);
    // negative amount = opposite direction
    const w = o.offset(0, -degToRad(5));
    expect(w.raDeg).toBeCloseTo(355, 12);
  });

  it("property: A.offset(b, d) is at separation d and bearing b from A", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: -85, max: 85, noNaN: true }),
        fc.double({ min: 0, max: 359.9, noNaN: true }),
        fc.double({ min: 1e-6, max: 170, noNaN: true }),
        (ra, dec, bearingDeg, distDeg) => {
          const a = sp(ra, dec);
          const b = a.offset(degToRad(bearingDeg), degToRad(distDeg));
          expect(Math.abs(a.separation(b) - degToRad(distDeg))).toBeLessThan(1e-12);
          // B's stored coordinates carry ~1e-16 rad of rounding, so the bearing is only
          // determined to ~1e-16 / distance
          const db = Math.abs(a.bearingTo(b) - degToRad(bearingDeg));
          expect(Math.min(db, TWO_PI - db)).toBeLessThan(Math.max(1e-12, 1e-15 / degToRad(distDeg)));
        },
      ),
    );
  });

  it("tangent-plane offsets match gnomonic projection", () => {
    const c = sp(150, -30);
    const north = c.offset(HALF_PI, arcsecToRad(1));
    const [xi, eta] = c.getTangentPlaneOffset(north);
    expect(xi).toBeCloseTo(0, 15);
    expect(eta).toBeCloseTo(Math.tan(arcsecToRad(1)), 15);
    const east = c.offset(0, degToRad(1));
    const [xi2, eta2] = c.getTangentPlaneOffset(east);
    expect(xi2).toBeCloseTo(Math.tan(degToRad(1)), 14);
    expect(eta2).toBeCloseTo(0, 14);
  });
});
