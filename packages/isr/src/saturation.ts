/**
 * Threshold masks (ip_isr `makeThresholdMask`): pixels at or above a level get mask bits, the
 * flagged regions grown by `grow` pixels with box (non-isotropic) growth; and widening of
 * saturation trails so every bleed column is flagged over the full extent of its trail.
 */
import type { Box2I, Image, Mask } from "@skystack/afw";

/**
 * ORs `bits` into `mask` where `image` ≥ `level` inside `bbox` (PARENT; default the whole image),
 * then grows the flagged pixels by `grow` px in x and y (clipped to `bbox`).
 * @returns the number of pixels at or above the level (before growing).
 */
export function maskThreshold(image: Image<Float32Array>, mask: Mask, level: number, bits: number, grow = 0, bbox?: Box2I): number {
  const b = bbox ?? image.bbox;
  const w = b.width;
  const h = b.height;
  const flag = new Uint8Array(w * h);
  const a = image.array;
  const st = image.stride;
  let n = 0;
  for (let y = 0; y < h; y++) {
    const o = (b.min.y + y - image.y0) * st + (b.min.x - image.x0);
    for (let x = 0; x < w; x++) {
      if (a[o + x]! >= level) {
        flag[y * w + x] = 1;
        n++;
      }
    }
  }
  if (n === 0) return 0;
  const grown = grow > 0 ? growBox(flag, w, h, grow) : flag;
  const m = mask.array;
  const ms = mask.stride;
  for (let y = 0; y < h; y++) {
    const o = (b.min.y + y - mask.y0) * ms + (b.min.x - mask.x0);
    for (let x = 0; x < w; x++) if (grown[y * w + x]) m[o + x]! |= bits;
  }
  return n;
}

/** Separable box dilation of a 0/1 grid by r pixels (running counts, O(w·h)). */
export function growBox(flag: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let count = 0;
    for (let x = 0; x < Math.min(r, w); x++) count += flag[o + x]!;
    for (let x = 0; x < w; x++) {
      if (x + r < w) count += flag[o + x + r]!;
      if (x - r - 1 >= 0) count -= flag[o + x - r - 1]!;
      tmp[o + x] = count > 0 ? 1 : 0;
    }
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let count = 0;
    for (let y = 0; y < Math.min(r, h); y++) count += tmp[y * w + x]!;
    for (let y = 0; y < h; y++) {
      if (y + r < h) count += tmp[(y + r) * w + x]!;
      if (y - r - 1 >= 0) count -= tmp[(y - r - 1) * w + x]!;
      out[y * w + x] = count > 0 ? 1 : 0;
    }
  }
  return out;
}

/**
 * Widens saturation trails (ip_isr `widenSaturationTrails`): in every row, the gap between the
 * leftmost and rightmost SAT pixel of each run of nearby SAT pixels (closer than `maxGap`) is filled,
 * so a bleed trail with a few unsaturated pixels inside is flagged as one.
 * @returns pixels newly flagged.
 */
export function widenSaturationTrails(mask: Mask, satBits: number, maxGap = 4): number {
  const m = mask.array;
  const st = mask.stride;
  let added = 0;
  for (let y = 0; y < mask.height; y++) {
    const o = y * st;
    let last = -1;
    for (let x = 0; x < mask.width; x++) {
      if (m[o + x]! & satBits) {
        if (last >= 0 && x - last > 1 && x - last <= maxGap) {
          for (let k = last + 1; k < x; k++) {
            m[o + k]! |= satBits;
            added++;
          }
        }
        last = x;
      }
    }
  }
  return added;
}
