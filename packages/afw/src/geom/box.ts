/**
 * Axis-aligned boxes: `Box2I` (inclusive integer pixel box) and `Box2D` (floating-point box).
 *
 * Box2I follows lsst.geom: min and max are both *inside* the box, so width = maxX − minX + 1.
 * There is exactly one empty Box2I (min (0,0), max (−1,−1)); every operation that can produce an
 * empty box returns it. A Box2I converts to the Box2D that its pixels cover, [min − 0.5, max + 0.5]
 * (pixel i covers [i − 0.5, i + 0.5), see `pixel.ts`).
 *
 * Both classes are immutable; operations return new boxes.
 */
import { AfwError } from "../image/errors.js";
import { checkInt32, Extent2D, Extent2I, INT32_MAX, Point2D, Point2I } from "./point.js";

/** How `Box2I.fromBox2D` treats pixels that are only partly inside the floating-point box. */
export type EdgeHandling =
  /** Include every pixel that the Box2D touches (the smallest Box2I covering it). */
  | "EXPAND"
  /** Include only pixels that lie entirely inside the Box2D. */
  | "SHRINK";

/** An inclusive integer pixel box [minX, maxX] × [minY, maxY], or the empty box. */
export class Box2I {
  /** Smallest x inside the box (0 for the empty box). */
  readonly minX: number;
  /** Smallest y inside the box (0 for the empty box). */
  readonly minY: number;
  /** Largest x inside the box (−1 for the empty box). */
  readonly maxX: number;
  /** Largest y inside the box (−1 for the empty box). */
  readonly maxY: number;

  /**
   * Box from inclusive corners. If maxX < minX or maxY < minY the result is the empty box
   * (use {@link Box2I.fromCorners} to accept corners in any order).
   * @throws AfwError INVALID_ARGUMENT for non-integers, OVERFLOW when a coordinate or the width
   *   or height does not fit in int32.
   */
  constructor(minX: number, minY: number, maxX: number, maxY: number) {
    checkInt32(minX, "Box2I.minX");
    checkInt32(minY, "Box2I.minY");
    checkInt32(maxX, "Box2I.maxX");
    checkInt32(maxY, "Box2I.maxY");
    if (maxX < minX || maxY < minY) {
      this.minX = 0;
      this.minY = 0;
      this.maxX = -1;
      this.maxY = -1;
      return;
    }
    if (maxX - minX + 1 > INT32_MAX || maxY - minY + 1 > INT32_MAX) {
      throw new AfwError("OVERFLOW", `Box2I [${minX}..${maxX}] x [${minY}..${maxY}] has a width or height beyond 2^31-1`);
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
  }

  /** The empty box (contains nothing, width = height = 0). */
  static readonly EMPTY: Box2I = new Box2I(0, 0, -1, -1);

  /** Box from its inclusive min and max corners; empty if max < min on either axis. */
  static fromMinMax(min: Point2I, max: Point2I): Box2I {
    return new Box2I(min.x, min.y, max.x, max.y);
  }

  /** Smallest box containing two pixels given in any order (never empty). */
  static fromCorners(a: Point2I, b: Point2I): Box2I {
    return new Box2I(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y));
  }

  /** Box with lower-left pixel `min` and `size` pixels per axis; empty when a size is ≤ 0. */
  static fromMinSize(min: Point2I, size: Extent2I): Box2I {
    if (size.x <= 0 || size.y <= 0) return Box2I.EMPTY;
    return new Box2I(min.x, min.y, min.x + size.x - 1, min.y + size.y - 1);
  }

  /** Box of `width` × `height` pixels starting at (x0, y0); empty when a size is ≤ 0. */
  static fromXYWH(x0: number, y0: number, width: number, height: number): Box2I {
    if (width <= 0 || height <= 0) return Box2I.EMPTY;
    return new Box2I(x0, y0, x0 + width - 1, y0 + height - 1);
  }

  /**
   * Box of the given size whose centre is as close as possible to `center` (lsst.geom
   * `Box2I.makeCenteredBox`): min = round(center − (size − 1)/2) per axis, halves rounding up.
   */
  static makeCentered(center: Point2D, size: Extent2I): Box2I {
    if (size.x <= 0 || size.y <= 0) return Box2I.EMPTY;
    const x0 = Math.round(center.x - 0.5 * size.x + 0.5);
    const y0 = Math.round(center.y - 0.5 * size.y + 0.5);
    return Box2I.fromXYWH(x0, y0, size.x, size.y);
  }

  /**
   * Integer box of the pixels covered by a floating-point box.
   *
   * EXPAND (default): every pixel the box touches, min = floor(min + 0.5), max = ceil(max − 0.5).
   * SHRINK: only pixels entirely inside, min = ceil(min + 0.5), max = floor(max − 0.5).
   * An empty Box2D gives the empty Box2I.
   * @throws AfwError INVALID_ARGUMENT when the box has an infinite bound.
   */
  static fromBox2D(box: Box2D, edge: EdgeHandling = "EXPAND"): Box2I {
    if (box.isEmpty()) return Box2I.EMPTY;
    if (!Number.isFinite(box.minX) || !Number.isFinite(box.minY) || !Number.isFinite(box.maxX) || !Number.isFinite(box.maxY)) {
      throw new AfwError("INVALID_ARGUMENT", `cannot convert non-finite ${box.toString()} to Box2I`);
    }
    const lo = (v: number) => (edge === "EXPAND" ? Math.floor(v + 0.5) : Math.ceil(v + 0.5));
    const hi = (v: number) => (edge === "EXPAND" ? Math.ceil(v - 0.5) : Math.floor(v - 0.5));
    return new Box2I(lo(box.minX), lo(box.minY), hi(box.maxX), hi(box.maxY));
  }

  /** Number of columns (0 when empty). */
  get width(): number {
    return this.maxX - this.minX + 1;
  }

  /** Number of rows (0 when empty). */
  get height(): number {
    return this.maxY - this.minY + 1;
  }

  /** Number of pixels (width × height). */
  get area(): number {
    return this.width * this.height;
  }

  /** One past maxX (exclusive end, handy for loops). */
  get endX(): number {
    return this.maxX + 1;
  }

  /** One past maxY (exclusive end, handy for loops). */
  get endY(): number {
    return this.maxY + 1;
  }

  /** Lower-left pixel (inclusive). */
  get min(): Point2I {
    return new Point2I(this.minX, this.minY);
  }

  /** Upper-right pixel (inclusive). */
  get max(): Point2I {
    return new Point2I(this.maxX, this.maxY);
  }

  /** (width, height). */
  get dimensions(): Extent2I {
    return new Extent2I(this.width, this.height);
  }

  /** Geometric centre ((minX + maxX)/2, (minY + maxY)/2); NaN for the empty box. */
  get center(): Point2D {
    if (this.isEmpty()) return new Point2D(Number.NaN, Number.NaN);
    return new Point2D(0.5 * (this.minX + this.maxX), 0.5 * (this.minY + this.maxY));
  }

  /** True for the empty box. */
  isEmpty(): boolean {
    return this.maxX < this.minX;
  }

  /** True if pixel (x, y) is inside the box. */
  containsXY(x: number, y: number): boolean {
    return x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY;
  }

  /** Whether a pixel is inside, or a whole box is inside (the empty box is inside every box). */
  contains(other: Point2I | Box2I): boolean {
    if (other instanceof Point2I) return this.containsXY(other.x, other.y);
    if (other.isEmpty()) return true;
    return other.minX >= this.minX && other.maxX <= this.maxX && other.minY >= this.minY && other.maxY <= this.maxY;
  }

  /** True if the boxes share at least one pixel (never for an empty box). */
  overlaps(other: Box2I): boolean {
    if (this.isEmpty() || other.isEmpty()) return false;
    return other.minX <= this.maxX && other.maxX >= this.minX && other.minY <= this.maxY && other.maxY >= this.minY;
  }

  /** The pixels in both boxes (empty if they do not overlap). */
  intersection(other: Box2I): Box2I {
    if (!this.overlaps(other)) return Box2I.EMPTY;
    return new Box2I(
      Math.max(this.minX, other.minX),
      Math.max(this.minY, other.minY),
      Math.min(this.maxX, other.maxX),
      Math.min(this.maxY, other.maxY),
    );
  }

  /** This box clipped to `other` (same as {@link intersection}, afw's `clippedTo`). */
  clippedTo(other: Box2I): Box2I {
    return this.intersection(other);
  }

  /** Smallest box containing this box and a pixel or another box. */
  expandedTo(other: Point2I | Box2I): Box2I {
    if (other instanceof Point2I) {
      if (this.isEmpty()) return new Box2I(other.x, other.y, other.x, other.y);
      return new Box2I(
        Math.min(this.minX, other.x),
        Math.min(this.minY, other.y),
        Math.max(this.maxX, other.x),
        Math.max(this.maxY, other.y),
      );
    }
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return new Box2I(
      Math.min(this.minX, other.minX),
      Math.min(this.minY, other.minY),
      Math.max(this.maxX, other.maxX),
      Math.max(this.maxY, other.maxY),
    );
  }

  /**
   * Box grown by `n` pixels on every side (an Extent2I grows x and y separately). Negative
   * amounts shrink; a box shrunk to nothing is empty; the empty box stays empty.
   */
  dilatedBy(n: number | Extent2I): Box2I {
    if (this.isEmpty()) return this;
    const dx = typeof n === "number" ? n : n.x;
    const dy = typeof n === "number" ? n : n.y;
    return new Box2I(this.minX - dx, this.minY - dy, this.maxX + dx, this.maxY + dy);
  }

  /** Box shrunk by `n` pixels on every side (see {@link dilatedBy}). */
  erodedBy(n: number | Extent2I): Box2I {
    return this.dilatedBy(typeof n === "number" ? -n : n.negate());
  }

  /** Box translated by an offset (the empty box stays empty). */
  shiftedBy(offset: Extent2I): Box2I {
    if (this.isEmpty()) return this;
    return new Box2I(this.minX + offset.x, this.minY + offset.y, this.maxX + offset.x, this.maxY + offset.y);
  }

  /** Equal bounds (all empty boxes are equal). */
  equals(other: Box2I): boolean {
    return this.minX === other.minX && this.minY === other.minY && this.maxX === other.maxX && this.maxY === other.maxY;
  }

  /** The area covered by the pixels: [min − 0.5, max + 0.5] (empty → empty). */
  toBox2D(): Box2D {
    return Box2D.fromBox2I(this);
  }

  /** The four corner pixels, counter-clockwise from min (empty box → []). */
  corners(): Point2I[] {
    if (this.isEmpty()) return [];
    return [
      new Point2I(this.minX, this.minY),
      new Point2I(this.maxX, this.minY),
      new Point2I(this.maxX, this.maxY),
      new Point2I(this.minX, this.maxY),
    ];
  }

  /** e.g. `Box2I(minimum=(0, 0), maximum=(9, 4))` or `Box2I(empty)`. */
  toString(): string {
    if (this.isEmpty()) return "Box2I(empty)";
    return `Box2I(minimum=(${this.minX}, ${this.minY}), maximum=(${this.maxX}, ${this.maxY}))`;
  }
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The smallest double strictly greater than `x` (x for NaN and +Infinity). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (x > 0 ? 1n : -1n);
  return f64[0] as number;
}

/**
 * A floating-point box [minX, maxX] × [minY, maxY]. A box with zero or negative width/height, or
 * a NaN bound, is empty (all bounds NaN). `contains(point)` treats the max edges as exclusive
 * (min ≤ p < max), matching the half-open pixel convention.
 */
export class Box2D {
  /** Lower x bound (NaN when empty). */
  readonly minX: number;
  /** Lower y bound (NaN when empty). */
  readonly minY: number;
  /** Upper x bound (NaN when empty). */
  readonly maxX: number;
  /** Upper y bound (NaN when empty). */
  readonly maxY: number;

  /** Box from bounds; empty unless minX < maxX and minY < maxY. */
  constructor(minX: number, minY: number, maxX: number, maxY: number) {
    if (!(minX < maxX && minY < maxY)) {
      this.minX = Number.NaN;
      this.minY = Number.NaN;
      this.maxX = Number.NaN;
      this.maxY = Number.NaN;
      return;
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
  }

  /** The empty box. */
  static readonly EMPTY: Box2D = new Box2D(Number.NaN, Number.NaN, Number.NaN, Number.NaN);

  /** Box from min and max corners; empty unless min < max on both axes. */
  static fromMinMax(min: Point2D, max: Point2D): Box2D {
    return new Box2D(min.x, min.y, max.x, max.y);
  }

  /** Smallest box with two corners given in any order (empty if they share an x or y). */
  static fromCorners(a: Point2D, b: Point2D): Box2D {
    return new Box2D(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y));
  }

  /** Box [min, min + size]; empty when a size is ≤ 0. */
  static fromMinSize(min: Point2D, size: Extent2D): Box2D {
    return new Box2D(min.x, min.y, min.x + size.x, min.y + size.y);
  }

  /** Box of the given size centred on `center`. */
  static makeCentered(center: Point2D, size: Extent2D): Box2D {
    return new Box2D(center.x - 0.5 * size.x, center.y - 0.5 * size.y, center.x + 0.5 * size.x, center.y + 0.5 * size.y);
  }

  /** The area covered by the pixels of an integer box: [min − 0.5, max + 0.5]; empty → empty. */
  static fromBox2I(b: Box2I): Box2D {
    if (b.isEmpty()) return Box2D.EMPTY;
    return new Box2D(b.minX - 0.5, b.minY - 0.5, b.maxX + 0.5, b.maxY + 0.5);
  }

  /** maxX − minX (0 when empty). */
  get width(): number {
    return this.isEmpty() ? 0 : this.maxX - this.minX;
  }

  /** maxY − minY (0 when empty). */
  get height(): number {
    return this.isEmpty() ? 0 : this.maxY - this.minY;
  }

  /** width × height. */
  get area(): number {
    return this.width * this.height;
  }

  /** Lower corner. */
  get min(): Point2D {
    return new Point2D(this.minX, this.minY);
  }

  /** Upper corner. */
  get max(): Point2D {
    return new Point2D(this.maxX, this.maxY);
  }

  /** (width, height). */
  get dimensions(): Extent2D {
    return new Extent2D(this.width, this.height);
  }

  /** Centre point (NaN when empty). */
  get center(): Point2D {
    return new Point2D(0.5 * (this.minX + this.maxX), 0.5 * (this.minY + this.maxY));
  }

  /** True for the empty box. */
  isEmpty(): boolean {
    return Number.isNaN(this.minX);
  }

  /** True if min ≤ (x, y) < max. */
  containsXY(x: number, y: number): boolean {
    return x >= this.minX && x < this.maxX && y >= this.minY && y < this.maxY;
  }

  /** Point inside (min ≤ p < max), or whole box inside (the empty box is inside every box). */
  contains(other: Point2D | Point2I | Box2D): boolean {
    if (other instanceof Box2D) {
      if (other.isEmpty()) return true;
      return other.minX >= this.minX && other.maxX <= this.maxX && other.minY >= this.minY && other.maxY <= this.maxY;
    }
    return this.containsXY(other.x, other.y);
  }

  /** True if the interiors intersect (boxes that only touch along an edge do not overlap). */
  overlaps(other: Box2D): boolean {
    if (this.isEmpty() || other.isEmpty()) return false;
    return other.minX < this.maxX && other.maxX > this.minX && other.minY < this.maxY && other.maxY > this.minY;
  }

  /** Common part of two boxes (empty if they do not overlap). */
  intersection(other: Box2D): Box2D {
    if (!this.overlaps(other)) return Box2D.EMPTY;
    return new Box2D(
      Math.max(this.minX, other.minX),
      Math.max(this.minY, other.minY),
      Math.min(this.maxX, other.maxX),
      Math.min(this.maxY, other.maxY),
    );
  }

  /** Same as {@link intersection} (afw's `clippedTo`). */
  clippedTo(other: Box2D): Box2D {
    return this.intersection(other);
  }

  /**
   * Smallest box containing this one and a point or box. When a point is on or beyond a max edge,
   * that edge is moved to the next double above it, so `contains(point)` is true afterwards
   * (lsst.geom does the same).
   */
  expandedTo(other: Point2D | Point2I | Box2D): Box2D {
    if (other instanceof Box2D) {
      if (other.isEmpty()) return this;
      if (this.isEmpty()) return other;
      return new Box2D(
        Math.min(this.minX, other.minX),
        Math.min(this.minY, other.minY),
        Math.max(this.maxX, other.maxX),
        Math.max(this.maxY, other.maxY),
      );
    }
    if (this.isEmpty()) return new Box2D(other.x, other.y, nextUp(other.x), nextUp(other.y));
    return new Box2D(
      Math.min(this.minX, other.x),
      Math.min(this.minY, other.y),
      other.x >= this.maxX ? nextUp(other.x) : this.maxX,
      other.y >= this.maxY ? nextUp(other.y) : this.maxY,
    );
  }

  /** Box grown by `d` on every side (Extent2D: per axis); negative shrinks; empty stays empty. */
  dilatedBy(d: number | Extent2D): Box2D {
    if (this.isEmpty()) return this;
    const dx = typeof d === "number" ? d : d.x;
    const dy = typeof d === "number" ? d : d.y;
    return new Box2D(this.minX - dx, this.minY - dy, this.maxX + dx, this.maxY + dy);
  }

  /** Box shrunk by `d` on every side. */
  erodedBy(d: number | Extent2D): Box2D {
    return this.dilatedBy(typeof d === "number" ? -d : d.negate());
  }

  /** Box translated by an offset. */
  shiftedBy(offset: Extent2D | Extent2I): Box2D {
    if (this.isEmpty()) return this;
    return new Box2D(this.minX + offset.x, this.minY + offset.y, this.maxX + offset.x, this.maxY + offset.y);
  }

  /** Equal bounds (all empty boxes are equal). */
  equals(other: Box2D): boolean {
    if (this.isEmpty() || other.isEmpty()) return this.isEmpty() && other.isEmpty();
    return this.minX === other.minX && this.minY === other.minY && this.maxX === other.maxX && this.maxY === other.maxY;
  }

  /** The four corners, counter-clockwise from min (empty → []). */
  corners(): Point2D[] {
    if (this.isEmpty()) return [];
    return [
      new Point2D(this.minX, this.minY),
      new Point2D(this.maxX, this.minY),
      new Point2D(this.maxX, this.maxY),
      new Point2D(this.minX, this.maxY),
    ];
  }

  /** e.g. `Box2D(minimum=(-0.5, -0.5), maximum=(9.5, 4.5))` or `Box2D(empty)`. */
  toString(): string {
    if (this.isEmpty()) return "Box2D(empty)";
    return `Box2D(minimum=(${this.minX}, ${this.minY}), maximum=(${this.maxX}, ${this.maxY}))`;
  }
}
