import { describe, expect, it } from "vitest";
import {
  arcminToRad,
  arcsecToRad,
  degToRad,
  hoursToRad,
  masToRad,
  radToArcmin,
  radToArcsec,
  radToDeg,
  radToHours,
  radToMas,
  TWO_PI,
  wrapAngle,
  wrapAngleCtr,
  wrapAngleNear,
} from "../../src/geom/index.js";

describe("angle helpers", () => {
  it("convert units", () => {
    expect(degToRad(180)).toBe(Math.PI);
    expect(radToDeg(Math.PI / 2)).toBe(90);
    expect(arcsecToRad(3600)).toBeCloseTo(degToRad(1), 17);
    expect(radToArcsec(1)).toBeCloseTo(206264.80624709636, 8);
    expect(arcminToRad(60)).toBeCloseTo(degToRad(1), 17);
    expect(radToArcmin(degToRad(2))).toBeCloseTo(120, 12);
    expect(radToMas(masToRad(12.5))).toBeCloseTo(12.5, 12);
    expect(hoursToRad(12)).toBe(Math.PI);
    expect(radToHours(Math.PI / 2)).toBe(6);
  });

  it("wrap into standard ranges", () => {
    expect(wrapAngle(-Math.PI / 2)).toBeCloseTo((3 * Math.PI) / 2, 15);
    expect(wrapAngle(TWO_PI)).toBe(0);
    expect(wrapAngle(-1e-300)).toBeGreaterThanOrEqual(0);
    expect(wrapAngle(-1e-300)).toBeLessThan(TWO_PI);
    expect(wrapAngle(-1e-20)).toBe(0); // rounds to 2π, which wraps to 0
    expect(Object.is(wrapAngle(-0), 0)).toBe(true);
    expect(wrapAngleCtr(Math.PI)).toBeCloseTo(-Math.PI, 15);
    expect(wrapAngleCtr(degToRad(270))).toBeCloseTo(degToRad(-90), 14);
    expect(wrapAngleNear(degToRad(1), degToRad(359))).toBeCloseTo(degToRad(361), 13);
    expect(wrapAngle(Number.NaN)).toBeNaN();
  });
});
