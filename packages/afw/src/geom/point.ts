/**
 * Integer and floating-point 2-D points and extents (lsst.geom Point2I/Point2D/Extent2I/Extent2D).
 *
 * All four are small immutable classes: operations return new objects. A *point* is a position,
 * an *extent* is a displacement or a size; point − point = extent, point ± extent = point.
 * Positions follow the LSST pixel convention (see `pixel.ts`): the centre of pixel (i, j) is the
 * position (i, j).
 */
import { AfwError } from "../image/errors.js";
import { positionToIndexOnly } from "./pixel.js";

/** Smallest and largest values of a 32-bit signed integer (the range of integer geometry). */
export const INT32_MIN = -2147483648;
/** Largest value of a 32-bit signed integer. */
export const INT32_MAX = 2147483647;

/** Throw INVALID_ARGUMENT/OVERFLOW unless `v` is an integer in the int32 range. */
export function checkInt32(v: number, what: string): void {
  if (!Number.isInteger(v)) {
    throw new AfwError("INVALID_ARGUMENT", `${what} must be an integer, got ${v}`);
  }
  if (v < INT32_MIN || v > INT32_MAX) {
    throw new AfwError("OVERFLOW", `${what} = ${v} does not fit in a 32-bit integer`);
  }
}

/** An integer 2-D displacement or size, in pixels. */
export class Extent2I {
  /** x component (pixels). */
  readonly x: number;
  /** y component (pixels). */
  readonly y: number;

  /** @throws AfwError INVALID_ARGUMENT/OVERFLOW unless both are int32 integers. */
  constructor(x: number, y: number) {
    checkInt32(x, "Extent2I.x");
    checkInt32(y, "Extent2I.y");
    this.x = x;
    this.y = y;
  }

  /** Component-wise sum. */
  add(other: Extent2I): Extent2I {
    return new Extent2I(this.x + other.x, this.y + other.y);
  }

  /** Component-wise difference. */
  sub(other: Extent2I): Extent2I {
    return new Extent2I(this.x - other.x, this.y - other.y);
  }

  /** Multiply both components by an integer. */
  scale(k: number): Extent2I {
    return new Extent2I(this.x * k, this.y * k);
  }

  /** The opposite extent. */
  negate(): Extent2I {
    return new Extent2I(-this.x, -this.y);
  }

  /** Exact equality of both components. */
  equals(other: Extent2I): boolean {
    return this.x === other.x && this.y === other.y;
  }

  /** The same extent as floating point. */
  toExtent2D(): Extent2D {
    return new Extent2D(this.x, this.y);
  }

  /** `[x, y]`. */
  toArray(): [number, number] {
    return [this.x, this.y];
  }

  /** e.g. `Extent2I(3, -4)`. */
  toString(): string {
    return `Extent2I(${this.x}, ${this.y})`;
  }
}

/** A floating-point 2-D displacement or size, in pixels (or any unit the caller states). */
export class Extent2D {
  /** x component. */
  readonly x: number;
  /** y component. */
  readonly y: number;

  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }

  /** Component-wise sum. */
  add(other: Extent2D | Extent2I): Extent2D {
    return new Extent2D(this.x + other.x, this.y + other.y);
  }

  /** Component-wise difference. */
  sub(other: Extent2D | Extent2I): Extent2D {
    return new Extent2D(this.x - other.x, this.y - other.y);
  }

  /** Multiply both components by `k`. */
  scale(k: number): Extent2D {
    return new Extent2D(this.x * k, this.y * k);
  }

  /** The opposite extent. */
  negate(): Extent2D {
    return new Extent2D(-this.x, -this.y);
  }

  /** Euclidean length sqrt(x² + y²). */
  norm(): number {
    return Math.hypot(this.x, this.y);
  }

  /** Exact equality of both components (NaN is never equal). */
  equals(other: Extent2D | Extent2I): boolean {
    return this.x === other.x && this.y === other.y;
  }

  /** `[x, y]`. */
  toArray(): [number, number] {
    return [this.x, this.y];
  }

  /** e.g. `Extent2D(0.5, 2)`. */
  toString(): string {
    return `Extent2D(${this.x}, ${this.y})`;
  }
}

/** An integer 2-D pixel index (column x, row y). */
export class Point2I {
  /** Column index (pixels). */
  readonly x: number;
  /** Row index (pixels). */
  readonly y: number;

  /** @throws AfwError INVALID_ARGUMENT/OVERFLOW unless both are int32 integers. */
  constructor(x: number, y: number) {
    checkInt32(x, "Point2I.x");
    checkInt32(y, "Point2I.y");
    this.x = x;
    this.y = y;
  }

  /** The origin (0, 0). */
  static readonly ORIGIN: Point2I = new Point2I(0, 0);

  /**
   * The index of the pixel containing a floating-point position: floor(p + 0.5) per axis
   * (LSST convention: rounding, not truncation, like lsst.geom's converting constructor).
   */
  static fromPoint2D(p: Point2D): Point2I {
    return new Point2I(positionToIndexOnly(p.x), positionToIndexOnly(p.y));
  }

  /** Point shifted by an extent. */
  add(e: Extent2I): Point2I {
    return new Point2I(this.x + e.x, this.y + e.y);
  }

  /** `p.sub(q)` with a point gives the extent from q to p; with an extent gives a shifted point. */
  sub(other: Point2I): Extent2I;
  sub(other: Extent2I): Point2I;
  sub(other: Point2I | Extent2I): Extent2I | Point2I {
    if (other instanceof Point2I) return new Extent2I(this.x - other.x, this.y - other.y);
    return new Point2I(this.x - other.x, this.y - other.y);
  }

  /** The extent from the origin to this point. */
  asExtent(): Extent2I {
    return new Extent2I(this.x, this.y);
  }

  /** Exact equality. */
  equals(other: Point2I): boolean {
    return this.x === other.x && this.y === other.y;
  }

  /** The same position as floating point (the pixel centre). */
  toPoint2D(): Point2D {
    return new Point2D(this.x, this.y);
  }

  /** `[x, y]`. */
  toArray(): [number, number] {
    return [this.x, this.y];
  }

  /** e.g. `Point2I(3, -4)`. */
  toString(): string {
    return `Point2I(${this.x}, ${this.y})`;
  }
}

/** A floating-point 2-D position (pixels, LSST convention: pixel centres at integers). */
export class Point2D {
  /** x position. */
  readonly x: number;
  /** y position. */
  readonly y: number;

  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }

  /** Point shifted by an extent. */
  add(e: Extent2D | Extent2I): Point2D {
    return new Point2D(this.x + e.x, this.y + e.y);
  }

  /** `p.sub(q)` with a point gives the extent from q to p; with an extent gives a shifted point. */
  sub(other: Point2D | Point2I): Extent2D;
  sub(other: Extent2D | Extent2I): Point2D;
  sub(other: Point2D | Point2I | Extent2D | Extent2I): Extent2D | Point2D {
    if (other instanceof Point2D || other instanceof Point2I) {
      return new Extent2D(this.x - other.x, this.y - other.y);
    }
    return new Point2D(this.x - other.x, this.y - other.y);
  }

  /** Euclidean distance to another point. */
  distanceTo(other: Point2D | Point2I): number {
    return Math.hypot(this.x - other.x, this.y - other.y);
  }

  /** The extent from the origin to this point. */
  asExtent(): Extent2D {
    return new Extent2D(this.x, this.y);
  }

  /** Exact equality (NaN is never equal). */
  equals(other: Point2D | Point2I): boolean {
    return this.x === other.x && this.y === other.y;
  }

  /** `[x, y]`. */
  toArray(): [number, number] {
    return [this.x, this.y];
  }

  /** e.g. `Point2D(0.5, -1.25)`. */
  toString(): string {
    return `Point2D(${this.x}, ${this.y})`;
  }
}
