// IsrTask: config defaults against ip_isr's (reference/lsst-anatomy.md §3), the config → runIsr
// options translation, and a run on a small two-amplifier raw with an analytic answer.
import { Image } from "@skystack/afw";
import { ConfigError } from "@skystack/pipe";
import { describe, expect, it } from "vitest";
import { IsrConfig, IsrTask, isrOptionsFromConfig } from "../src/index.js";
import { smallDetector } from "./helpers.js";

describe("IsrConfig", () => {
  it("has ip_isr's defaults where ip_isr defines them", () => {
    const c = IsrConfig.defaults();
    expect(c).toMatchObject({
      doSaturation: true,
      growSaturationFootprintSize: 1,
      doSuspect: false,
      doOverscan: true,
      overscan: { fitType: "MEDIAN", order: 1, numSigmaClip: 3, leadingColumnsToSkip: 0, trailingColumnsToSkip: 0 },
      doBias: true,
      doLinearize: true,
      doCrosstalk: false,
      doVariance: true,
      doDefect: true,
      doNanMasking: true,
      doWidenSaturationTrails: true,
      doDark: true,
      doFlat: true,
      doFringe: true,
      fringe: { num: 30000, small: 3, iterations: 20, clip: 3, pedestal: true },
      doInterpolate: true,
      maskListToInterpolate: ["SAT", "BAD"],
    });
    expect(c.saturation).toBeNaN();
  });
  it("documents every field", () => {
    for (const line of IsrConfig.describe(IsrConfig.defaults())) expect(line.doc, line.path).toMatch(/\w{3}/);
  });
  it("translates to runIsr options; NaN saturation means the amplifiers' levels", () => {
    const o = isrOptionsFromConfig(IsrConfig.make({ overscan: { fitType: "POLY", order: 3 }, doFringe: false }));
    expect(o.overscan).toMatchObject({ fitType: "POLY", order: 3 });
    expect(o.doFringe).toBe(false);
    expect("saturation" in o).toBe(false);
    expect(isrOptionsFromConfig(IsrConfig.make({ saturation: 5e4 })).saturation).toBe(5e4);
  });
  it("-c overrides are typed and bad ones name the field", () => {
    const c = IsrConfig.applyText(IsrConfig.defaults(), "overscan.fitType=CHEB");
    expect(c.overscan.fitType).toBe("CHEB");
    expect(() => IsrConfig.freeze(IsrConfig.applyText(IsrConfig.defaults(), "growSaturationFootprintSize=-1"))).toThrow(
      ConfigError,
    );
    try {
      IsrConfig.freeze(IsrConfig.applyText(IsrConfig.defaults(), "overscan.numSigmaClip=0"));
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).issues[0]!.path).toBe("overscan.numSigmaClip");
    }
  });
});

describe("IsrTask.run", () => {
  // raw: overscan level 1000 ADU; signal 300 e⁻ = 200 ADU in A (gain 1.5), 150 ADU in B (gain 2)
  const w = 40;
  const h = 30;
  const os = 8;
  const det = smallDetector(w, h, os, 4);
  const makeRaw = () => {
    const W = 2 * (w + os);
    const img = new Image(new Float32Array(W * (h + 4)).fill(1000), W, h + 4);
    for (const amp of det.amplifiers) {
      const b = amp.rawDataBBox;
      for (let y = b.minY; y <= b.maxY; y++) for (let x = b.minX; x <= b.maxX; x++) img.set(x, y, 1000 + 300 / amp.gain);
    }
    img.set(os + 10, 12, 65000); // saturated pixel in A
    return img;
  };
  it("gives the signal in electrons, variance signal + readNoise², SAT grown and interpolated", async () => {
    const task = new IsrTask();
    const { exposure } = await task.run({ image: makeRaw(), detector: det });
    const SAT = exposure.mask.getPlaneBitMask("SAT");
    const INTRP = exposure.mask.getPlaneBitMask("INTRP");
    for (let y = 0; y < h; y++)
      for (let x = 0; x < 2 * w; x++) {
        expect(exposure.image.get(x, y)).toBeCloseTo(300, 3);
        const amp = x < w ? det.amplifiers[0]! : det.amplifiers[1]!;
        const sat = Math.abs(x - 10) <= 1 && Math.abs(y - 12) <= 1; // grown by 1 px (box)
        expect([x, y, (exposure.mask.get(x, y) & (SAT | INTRP)) === (SAT | INTRP)]).toEqual([x, y, sat]);
        if (!sat) expect(exposure.variance.get(x, y)).toBeCloseTo(300 + amp.readNoise ** 2, 2);
      }
    expect(task.metadata["nSaturated"]).toBe(1);
    expect(task.metadata["runDuration"]).toBeGreaterThanOrEqual(0);
  });
  it("doApplyGains=false keeps ADU; doSaturation=false flags nothing", async () => {
    const task = new IsrTask({ config: IsrConfig.make({ doApplyGains: false, doSaturation: false }) });
    const { exposure } = await task.run({ image: makeRaw(), detector: det });
    expect(exposure.image.get(5, 5)).toBeCloseTo(200, 3);
    expect(exposure.image.get(w + 5, 5)).toBeCloseTo(150, 3);
    expect(exposure.mask.get(10, 12) & exposure.mask.getPlaneBitMask("SAT")).toBe(0);
  });
});
