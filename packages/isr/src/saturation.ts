/**
 * Threshold masks (ip_isr `makeThresholdMask`): pixels at or above a level get mask bits, the
 * flagged regions grown by `grow` pixels with box (non-isotropic) growth; and widening of
 * saturation trails so every bleed column is flagged over the full extent of its trail.
 */
import type { Amplifier, Box2I, Image, Mask } from "@skystack/afw";

/**
 * ORs `bits` into `mask` where `image` ≥ `level` inside `bbox` (PARENT; default the whole image),
 * then grows the flagged pixels by `grow` px in x and y (clipped to `bbox`).
 * @returns the number of pixels at or above the level (before growing).
 */
export function maskThreshold(
  image: Image<Float32Array>,
  mask: Mask,
  level: number,
  bits: number,
  grow = 0,
  bbox?: Box2I,
): number {
  const b = bbox ?? image.bbox;
  const w = b.width;
  const h = b.height;
  const a = image.array;
  const st = image.stride;
  // pass 1: indices (within bbox) of pixels at or above the level
  let hits = new Int32Array(1024);
  let n = 0;
  for (let y = 0; y < h; y++) {
    const o = (b.min.y + y - image.y0) * st + (b.min.x - image.x0);
    for (let x = 0; x < w; x++) {
      if (a[o + x]! >= level) {
        if (n === hits.length) {
          const bigger = new Int32Array(n * 2);
          bigger.set(hits);
          hits = bigger;
        }
        hits[n++] = y * w + x;
      }
    }
  }
  if (n === 0) return 0;
  const m = mask.array;
  const ms = mask.stride;
  const mo = (b.min.y - mask.y0) * ms + (b.min.x - mask.x0);
  const side = 2 * grow + 1;
  if (grow <= 0 || n * side * side <= (w * h) / 4) {
    // few pixels: OR each one's (2·grow+1)² box directly
    for (let k = 0; k < n; k++) {
      const y = Math.floor(hits[k]! / w);
      const x = hits[k]! - y * w;
      const y0 = Math.max(0, y - grow);
      const y1 = Math.min(h - 1, y + grow);
      const x0 = Math.max(0, x - grow);
      const x1 = Math.min(w - 1, x + grow);
      for (let yy = y0; yy <= y1; yy++) {
        const r = mo + yy * ms;
        for (let xx = x0; xx <= x1; xx++) m[r + xx]! |= bits;
      }
    }
    return n;
  }
  const flag = new Uint8Array(w * h);
  for (let k = 0; k < n; k++) flag[hits[k]!] = 1;
  const grown = growBox(flag, w, h, grow);
  for (let y = 0; y < h; y++) {
    const o = mo + y * ms;
    for (let x = 0; x < w; x++) if (grown[y * w + x]) m[o + x]! |= bits;
  }
  return n;
}

/**
 * Positions (raw-frame PARENT x, y interleaved) of pixels ≥ `level` inside `bbox`, for flagging
 * after assembly without a raw-frame mask.
 */
export function thresholdPositions(image: Image<Float32Array>, level: number, bbox: Box2I): Int32Array {
  const a = image.array;
  const st = image.stride;
  let out = new Int32Array(256);
  let n = 0;
  const bx0 = bbox.min.x;
  const bx1 = bbox.max.x;
  const by1 = bbox.max.y;
  const ix0 = image.x0;
  const iy0 = image.y0;
  for (let y = bbox.min.y; y <= by1; y++) {
    const o = (y - iy0) * st - ix0;
    for (let x = bx0; x <= bx1; x++) {
      if (a[o + x]! >= level) {
        if (n + 2 > out.length) {
          const bigger = new Int32Array(out.length * 2);
          bigger.set(out);
          out = bigger;
        }
        out[n++] = x;
        out[n++] = y;
      }
    }
  }
  return out.subarray(0, n);
}

/**
 * ORs `bits` into `mask` at raw positions of an amplifier mapped to the assembled detector (with
 * the amplifier's flips), each grown by a (2·grow+1)² box clipped to the amplifier's box.
 */
export function flagRawPositions(mask: Mask, amp: Amplifier, positions: Int32Array, bits: number, grow = 0): void {
  const rb = amp.rawDataBBox;
  const b = amp.bbox;
  const m = mask.array;
  const ms = mask.stride;
  for (let k = 0; k < positions.length; k += 2) {
    const lx = positions[k]! - rb.min.x;
    const ly = positions[k + 1]! - rb.min.y;
    const ax = b.min.x + (amp.rawFlipX ? rb.width - 1 - lx : lx);
    const ay = b.min.y + (amp.rawFlipY ? rb.height - 1 - ly : ly);
    const x0 = Math.max(b.min.x, ax - grow);
    const x1 = Math.min(b.max.x, ax + grow);
    const y0 = Math.max(b.min.y, ay - grow);
    const y1 = Math.min(b.max.y, ay + grow);
    for (let y = y0; y <= y1; y++) {
      const r = (y - mask.y0) * ms - mask.x0;
      for (let x = x0; x <= x1; x++) m[r + x]! |= bits;
    }
  }
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
    for (let x = 0, W = mask.width; x < W; x++) {
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
