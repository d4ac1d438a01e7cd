/**
 * Defects: lists of bad-pixel boxes (ip_isr `Defects`), built from bad-pixel mask images (such as
 * CFHT Elixir masks, 0 = bad) and mapped from raw to assembled coordinates.
 */
import { Box2I, type Detector, type Mask } from "@skystack/afw";

/**
 * Bad pixels of a mask image as boxes: runs of `isBad` pixels per row, merged with identical runs
 * in the rows above into rectangles. Boxes are in the image's pixel frame offset by (x0, y0).
 * @param isBad the bad pixel value (default 0), or a predicate on pixel values.
 */
export function defectsFromMaskPixels(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  isBad: ((v: number) => boolean) | number = 0,
  x0 = 0,
  y0 = 0,
): Box2I[] {
  // Runs of bad pixels in row `o`: for a bad *value* in a typed array, the native indexOf finds
  // each run's start (≈10x faster than a per-pixel test on a mostly good 10-Mpixel mask).
  type Searchable = ArrayLike<number> & { subarray(a: number, b: number): { indexOf(v: number, from: number): number } };
  const searchable = typeof isBad === "number" && typeof (pixels as Partial<Searchable>).subarray === "function";
  const test = typeof isBad === "number" ? (v: number) => v === isBad : isBad;
  const runsOfRow = (o: number, visit: (start: number, end: number) => void): void => {
    const row = searchable ? (pixels as Searchable).subarray(o, o + width) : undefined;
    let x = 0;
    while (x < width) {
      if (row) {
        const k = row.indexOf(isBad as number, x);
        if (k < 0) return;
        x = k;
      } else if (!test(pixels[o + x] as number)) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && test(pixels[o + x] as number)) x++;
      visit(start, x - 1);
    }
  };
  const out: Box2I[] = [];
  // open rectangles keyed by "start,end" of their run
  let open = new Map<string, { x0: number; x1: number; y0: number }>();
  for (let y = 0; y <= height; y++) {
    const next = new Map<string, { x0: number; x1: number; y0: number }>();
    if (y < height) {
      runsOfRow(y * width, (s0, s1) => {
        const key = `${s0},${s1}`;
        const prev = open.get(key);
        if (prev) {
          next.set(key, prev);
          open.delete(key);
        } else next.set(key, { x0: s0, x1: s1, y0: y });
      });
    }
    for (const r of open.values()) out.push(new Box2I(r.x0 + x0, r.y0 + y0, r.x1 + x0, y - 1 + y0));
    open = next;
  }
  return out;
}

/**
 * Maps defect boxes given in the raw frame into the assembled detector: each box is clipped to
 * every amplifier's raw data box and moved (with the amplifier's flips) to its assembled box.
 * Parts in overscan regions are dropped.
 */
export function rawDefectsToDetector(rawBoxes: readonly Box2I[], detector: Detector): Box2I[] {
  const out: Box2I[] = [];
  for (const amp of detector.amplifiers) {
    const rb = amp.rawDataBBox;
    for (const d of rawBoxes) {
      const c = d.clippedTo(rb);
      if (c.isEmpty()) continue;
      const lx0 = c.min.x - rb.min.x;
      const lx1 = c.max.x - rb.min.x;
      const ly0 = c.min.y - rb.min.y;
      const ly1 = c.max.y - rb.min.y;
      const W = rb.width - 1;
      const H = rb.height - 1;
      const ax0 = amp.rawFlipX ? W - lx1 : lx0;
      const ax1 = amp.rawFlipX ? W - lx0 : lx1;
      const ay0 = amp.rawFlipY ? H - ly1 : ly0;
      const ay1 = amp.rawFlipY ? H - ly0 : ly1;
      out.push(new Box2I(amp.bbox.min.x + ax0, amp.bbox.min.y + ay0, amp.bbox.min.x + ax1, amp.bbox.min.y + ay1));
    }
  }
  return out;
}

/** ORs `bits` into the mask over every defect box (clipped to the mask). @returns pixels flagged. */
export function maskDefects(mask: Mask, defects: readonly Box2I[], bits: number): number {
  let n = 0;
  for (const d of defects) {
    const c = d.clippedTo(mask.bbox);
    if (c.isEmpty()) continue;
    mask.orBits(bits, c);
    n += c.area;
  }
  return n;
}
