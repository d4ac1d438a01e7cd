import { Amplifier, Box2I, Detector } from "@skystack/afw";

/** Standard normal deviates from a seeded LCG + Box-Muller (independent of @skystack/sim). */
export function gaussian(seed: number): () => number {
  // xorshift32 from a hashed seed (nearby seeds give unrelated streams)
  let s = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * A small two-amplifier detector: raw frame (2·(w+os)) × (h+vos); amp A overscan on the left,
 * amp B on the right (as MegaCam); optional flips of B's raw data.
 */
export function smallDetector(w = 40, h = 30, os = 8, vos = 4, flipB = false): Detector {
  const A = new Amplifier({
    name: "A",
    bbox: Box2I.fromXYWH(0, 0, w, h),
    gain: 1.5,
    readNoise: 4,
    saturation: 60000,
    rawBBox: Box2I.fromXYWH(0, 0, w + os, h + vos),
    rawDataBBox: Box2I.fromXYWH(os, 0, w, h),
    rawHorizontalOverscanBBox: Box2I.fromXYWH(0, 0, os, h),
    rawVerticalOverscanBBox: Box2I.fromXYWH(os, h, w, vos),
    readoutCorner: "LL",
  });
  const B = new Amplifier({
    name: "B",
    bbox: Box2I.fromXYWH(w, 0, w, h),
    gain: 2.0,
    readNoise: 6,
    saturation: 60000,
    rawBBox: Box2I.fromXYWH(w + os, 0, w + os, h + vos),
    rawDataBBox: Box2I.fromXYWH(w + os, 0, w, h),
    rawHorizontalOverscanBBox: Box2I.fromXYWH(2 * w + os, 0, os, h),
    rawVerticalOverscanBBox: Box2I.fromXYWH(w + os, h, w, vos),
    readoutCorner: "LR",
    rawFlipX: flipB,
  });
  return new Detector({ name: "test", id: 0, bbox: Box2I.fromXYWH(0, 0, 2 * w, h), amplifiers: [A, B] });
}
