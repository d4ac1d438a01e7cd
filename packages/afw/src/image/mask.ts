/**
 * `Mask`: an int32 image whose bits are named planes (afw `Mask<MaskPixel>`).
 *
 * Each mask holds a {@link MaskPlaneDict}; by default the process-wide shared dictionary
 * (`MaskPlaneDict.getDefault()`), and views, clones and masks derived from it share their parent's
 * dictionary, so planes added by one member of a family are visible to all (afw semantics; see
 * `maskPlaneDict.ts`). Bitwise operations between two masks require compatible dictionaries.
 *
 * @example
 * const mask = Mask.fromBBox(exposureBox);
 * mask.setMaskPlane("SAT", Box2I.fromXYWH(10, 10, 3, 3));       // PARENT box
 * const bad = mask.getPlaneBitMask(["BAD", "SAT", "NO_DATA"]);
 * if (mask.get(11, 11, "PARENT") & bad) ...
 * mask.interpretMask(mask.get(11, 11, "PARENT"))                // ["SAT"]
 */
import type { Box2I } from "../geom/box.js";
import type { Point2I } from "../geom/point.js";
import { makePixelArray } from "./dtype.js";
import { AfwError } from "./errors.js";
import { checkSameSize, copyRegion, ImageBase, type ImageLayout, type ImageOrigin } from "./imageBase.js";
import { bitMaskOf, MaskPlaneDict } from "./maskPlaneDict.js";

/** Options for wrapping or allocating a mask. */
export interface MaskOptions extends ImageLayout {
  /** Dictionary to use (default: the shared default, `MaskPlaneDict.getDefault()`). */
  readonly planeDict?: MaskPlaneDict;
}

/** Options for allocating a new mask. */
export interface NewMaskOptions {
  /** PARENT coordinates of the first pixel (default (0, 0)). */
  readonly xy0?: Point2I;
  /** Allocate on a SharedArrayBuffer. */
  readonly shared?: boolean;
  /** Dictionary to use (default: the shared default). */
  readonly planeDict?: MaskPlaneDict;
}

/** What {@link Mask.conform} did. */
export interface ConformResult {
  /** True if any plane moved to a different bit. */
  readonly remapped: boolean;
  /**
   * OR of the bits that were set in some pixel but have no name in the file dictionary; they were
   * cleared (a later plane could otherwise inherit them). 0 if none.
   */
  readonly droppedBits: number;
  /** Names that were not in the target dictionary and were added to it. */
  readonly addedPlanes: readonly string[];
}

/** Anything with an int32 pixel grid that {@link Mask.conform} can remap in place. */
export interface MaskPixels {
  readonly array: Int32Array;
  readonly width: number;
  readonly height: number;
  readonly stride: number;
}

/** A 2-D grid of 32-bit mask pixels with named bit planes. */
export class Mask extends ImageBase<Int32Array> {
  private dict: MaskPlaneDict;

  /** Wrap an existing Int32Array (no copy); see {@link ImageBase} for the layout. */
  constructor(array: Int32Array, width: number, height: number, options: MaskOptions = {}) {
    super(array, width, height, options);
    this.dict = options.planeDict ?? MaskPlaneDict.getDefault();
  }

  /** A zero (no planes set) mask of `width` × `height` pixels. */
  static make(width: number, height: number, options: NewMaskOptions = {}): Mask {
    const ok = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0;
    const array = makePixelArray("int32", ok ? width * height : 0, options.shared ?? false);
    const layout: { xy0?: Point2I; planeDict?: MaskPlaneDict } = {};
    if (options.xy0) layout.xy0 = options.xy0;
    if (options.planeDict) layout.planeDict = options.planeDict;
    return new Mask(array, width, height, layout);
  }

  /** A zero mask covering `bbox` (PARENT coordinates; xy0 = bbox.min). */
  static fromBBox(bbox: Box2I, options: Omit<NewMaskOptions, "xy0"> = {}): Mask {
    return Mask.make(bbox.width, bbox.height, { ...options, xy0: bbox.min });
  }

  /** Wrap an existing Int32Array (no copy); same as the constructor. */
  static fromArray(array: Int32Array, width: number, height: number, options: MaskOptions = {}): Mask {
    return new Mask(array, width, height, options);
  }

  /**
   * Remap mask bits in place from a file's plane dictionary to `targetDict`, matching planes by
   * name and adding names missing from the target (in the file's bit order). This is what the FITS
   * reader calls with the `MP_<NAME> = bit` header cards. Bits with no name in `fileDict` are
   * cleared (reported in `droppedBits`). An empty `fileDict` means "no plane information": the
   * pixels are left untouched (as afw does).
   *
   * @param pixels a contiguous Int32Array or a (possibly strided) mask grid
   * @param fileDict plane name → bit number as stored in the file
   * @param targetDict the in-memory dictionary (default: the shared default); may gain planes
   * @throws AfwError INVALID_ARGUMENT for a bad file dictionary, MASK_PLANES_FULL if the target
   *   cannot hold all planes.
   */
  static conform(
    pixels: Int32Array | MaskPixels,
    fileDict: ReadonlyMap<string, number>,
    targetDict: MaskPlaneDict = MaskPlaneDict.getDefault(),
  ): ConformResult {
    if (fileDict.size === 0) return { remapped: false, droppedBits: 0, addedPlanes: [] };
    // validates names/bits (throws on duplicates or bad bits)
    const planes = MaskPlaneDict.fromMap(fileDict).planes();
    const added: string[] = [];
    // per-byte lookup tables: output bits for each value of each input byte
    const lut = new Int32Array(4 * 256);
    let named = 0;
    let remapped = false;
    for (const p of planes) {
      if (!targetDict.has(p.name)) added.push(p.name);
      const tb = targetDict.add(p.name, p.doc);
      if (tb !== p.bit) remapped = true;
      named |= bitMaskOf(p.bit);
      const byte = p.bit >>> 3;
      const inBit = 1 << (p.bit & 7);
      const outMask = bitMaskOf(tb);
      for (let v = 0, k = byte * 256; v < 256; v++, k++) {
        if (v & inBit) lut[k] = (lut[k] as number) | outMask;
      }
    }
    const unnamed = ~named;
    const g: MaskPixels =
      pixels instanceof Int32Array ? { array: pixels, width: pixels.length, height: 1, stride: pixels.length } : pixels;
    const { array: a, width, height, stride } = g;
    let dropped = 0;
    if (!remapped) {
      for (let y = 0; y < height; y++) {
        for (let i = y * stride, e = i + width; i < e; i++) {
          const v = a[i] as number;
          if ((v & unnamed) !== 0) {
            dropped |= v & unnamed;
            a[i] = v & named;
          }
        }
      }
    } else {
      for (let y = 0; y < height; y++) {
        for (let i = y * stride, e = i + width; i < e; i++) {
          const v = a[i] as number;
          if (v === 0) continue;
          dropped |= v & unnamed;
          a[i] =
            (lut[v & 255] as number) |
            (lut[256 + ((v >>> 8) & 255)] as number) |
            (lut[512 + ((v >>> 16) & 255)] as number) |
            (lut[768 + (v >>> 24)] as number);
        }
      }
    }
    return { remapped, droppedBits: dropped, addedPlanes: added };
  }

  /** The plane dictionary this mask uses (shared with its family). */
  get planeDict(): MaskPlaneDict {
    return this.dict;
  }

  /**
   * A view of the pixels in `bbox` (PARENT coordinates by default), sharing memory and the plane
   * dictionary.
   * @throws AfwError OUT_OF_BOUNDS if the box is not inside the mask.
   */
  subimage(bbox: Box2I, origin: ImageOrigin = "PARENT"): Mask {
    const v = this.viewLayout(bbox, origin);
    return new Mask(v.array, v.width, v.height, {
      stride: v.stride,
      xy0: v.xy0,
      planeDict: this.dict,
    });
  }

  /** Deep, contiguous copy of the pixels; shares the plane dictionary (as in afw). */
  clone(): Mask {
    return new Mask(copyRegion(this), this.width, this.height, {
      xy0: this.xy0,
      planeDict: this.dict,
    });
  }

  /** This mask if contiguous, otherwise a contiguous {@link clone}. */
  toContiguous(): Mask {
    return this.isContiguous ? this : this.clone();
  }

  /**
   * Add a plane to this mask's (shared) dictionary on the first unused bit; returns its bit number
   * (the existing bit if the plane is already defined).
   * @throws AfwError MASK_PLANES_FULL when all 32 bits are in use.
   */
  addMaskPlane(name: string, doc = ""): number {
    return this.dict.add(name, doc);
  }

  /**
   * Bit number of a plane.
   * @throws AfwError MASK_PLANE_NOT_FOUND for an unknown plane.
   */
  getMaskPlane(name: string): number {
    return this.dict.getBit(name);
  }

  /**
   * OR of the bit masks of one or more planes, e.g. `getPlaneBitMask(["BAD", "SAT"]) === 3`.
   * @throws AfwError MASK_PLANE_NOT_FOUND for an unknown plane.
   */
  getPlaneBitMask(names: string | Iterable<string>): number {
    return this.dict.getPlaneBitMask(names);
  }

  /** Names of the planes set in a pixel value, in bit order. */
  interpretMask(value: number): string[] {
    return this.dict.interpret(value);
  }

  /**
   * Clear a plane's bit in every pixel of this mask, then remove the plane from this mask's
   * dictionary. By default the removal is copy-on-write: this mask gets a private copy of the
   * dictionary and other masks sharing the old one keep the plane. With `removeFromShared` the
   * plane is removed from the shared dictionary itself (all masks sharing it lose the name).
   * @throws AfwError MASK_PLANE_NOT_FOUND for an unknown plane.
   */
  removeAndClearMaskPlane(name: string, removeFromShared = false): void {
    const bit = this.dict.getBit(name);
    this.clearBits(bitMaskOf(bit));
    if (!removeFromShared) this.dict = this.dict.clone();
    this.dict.remove(name);
  }

  /**
   * Set one or more planes in every pixel, or in `bbox` (PARENT coordinates). @returns this
   * @throws AfwError MASK_PLANE_NOT_FOUND, OUT_OF_BOUNDS.
   */
  setMaskPlane(names: string | Iterable<string>, bbox?: Box2I): this {
    return this.orBits(this.dict.getPlaneBitMask(names), bbox);
  }

  /**
   * Clear one or more planes in every pixel, or in `bbox` (PARENT coordinates). @returns this
   * @throws AfwError MASK_PLANE_NOT_FOUND, OUT_OF_BOUNDS.
   */
  clearMaskPlane(names: string | Iterable<string>, bbox?: Box2I): this {
    return this.clearBits(this.dict.getPlaneBitMask(names), bbox);
  }

  /** Set every pixel (or those in `bbox`) to 0. @returns this */
  clearAllMaskPlanes(bbox?: Box2I): this {
    return this.fill(0, bbox);
  }

  /** pixel |= bits over the mask or `bbox` (PARENT). @returns this */
  orBits(bits: number, bbox?: Box2I): this {
    const t = bbox === undefined ? this : this.viewLayout(bbox, "PARENT");
    const { array: a, width, height, stride } = t;
    for (let y = 0; y < height; y++) {
      for (let i = y * stride, e = i + width; i < e; i++) a[i] = (a[i] as number) | bits;
    }
    return this;
  }

  /** pixel &= ~bits over the mask or `bbox` (PARENT). @returns this */
  clearBits(bits: number, bbox?: Box2I): this {
    const t = bbox === undefined ? this : this.viewLayout(bbox, "PARENT");
    const { array: a, width, height, stride } = t;
    const keep = ~bits;
    for (let y = 0; y < height; y++) {
      for (let i = y * stride, e = i + width; i < e; i++) a[i] = (a[i] as number) & keep;
    }
    return this;
  }

  /**
   * In place: pixel |= bits, or pixel |= other's pixel (same dimensions, compatible dictionaries).
   * @throws AfwError SIZE_MISMATCH, MASK_DICT_MISMATCH. @returns this
   */
  or(other: number | Mask): this {
    if (typeof other === "number") return this.orBits(other);
    const { b, bs } = this.operand(other, "or");
    const { array: a, width, height, stride } = this;
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let i = o, e = o + width; i < e; i++) a[i] = (a[i] as number) | (b[i + p] as number);
    }
    return this;
  }

  /**
   * In place: pixel &= bits, or pixel &= other's pixel.
   * @throws AfwError SIZE_MISMATCH, MASK_DICT_MISMATCH. @returns this
   */
  and(other: number | Mask): this {
    const { array: a, width, height, stride } = this;
    if (typeof other === "number") {
      for (let y = 0; y < height; y++) {
        for (let i = y * stride, e = i + width; i < e; i++) a[i] = (a[i] as number) & other;
      }
      return this;
    }
    const { b, bs } = this.operand(other, "and");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let i = o, e = o + width; i < e; i++) a[i] = (a[i] as number) & (b[i + p] as number);
    }
    return this;
  }

  /**
   * In place: pixel ^= bits, or pixel ^= other's pixel.
   * @throws AfwError SIZE_MISMATCH, MASK_DICT_MISMATCH. @returns this
   */
  xor(other: number | Mask): this {
    const { array: a, width, height, stride } = this;
    if (typeof other === "number") {
      for (let y = 0; y < height; y++) {
        for (let i = y * stride, e = i + width; i < e; i++) a[i] = (a[i] as number) ^ other;
      }
      return this;
    }
    const { b, bs } = this.operand(other, "xor");
    for (let y = 0; y < height; y++) {
      const o = y * stride;
      const p = y * bs - o;
      for (let i = o, e = o + width; i < e; i++) a[i] = (a[i] as number) ^ (b[i + p] as number);
    }
    return this;
  }

  /** Number of pixels with any of `bits` set. */
  countBits(bits: number): number {
    const { array: a, width, height, stride } = this;
    let n = 0;
    for (let y = 0; y < height; y++) {
      for (let i = y * stride, e = i + width; i < e; i++) if (((a[i] as number) & bits) !== 0) n++;
    }
    return n;
  }

  /**
   * Remap this mask's bits from its own dictionary to `target` (by plane name, adding missing
   * planes to `target`) and switch this mask to `target`. Views made earlier keep the old
   * dictionary while seeing the remapped pixels, so conform a mask before taking views of it.
   */
  conformTo(target: MaskPlaneDict = MaskPlaneDict.getDefault()): ConformResult {
    if (target === this.dict) return { remapped: false, droppedBits: 0, addedPlanes: [] };
    const result = Mask.conform(this, this.dict.toMap(), target);
    this.dict = target;
    return result;
  }

  /** Throw MASK_DICT_MISMATCH unless `other` can be combined bitwise with this mask. */
  checkCompatible(other: Mask, what: string): void {
    if (!this.dict.isCompatibleWith(other.dict)) {
      throw new AfwError(
        "MASK_DICT_MISMATCH",
        `${what}: mask plane dictionaries differ (${this.dict.toString()} vs ${other.dict.toString()})`,
      );
    }
  }

  /** e.g. `Mask(64x32, xy0=(0, 0), 11 planes)`. */
  override toString(): string {
    return `Mask(${this.width}x${this.height}, xy0=(${this.x0}, ${this.y0}), ${this.dict.size} planes)`;
  }

  private operand(other: Mask, what: string): { b: Int32Array; bs: number } {
    checkSameSize(this, other, `Mask.${what}`);
    this.checkCompatible(other, `Mask.${what}`);
    if (other.array.buffer === this.array.buffer) return { b: copyRegion(other), bs: other.width };
    return { b: other.array, bs: other.stride };
  }
}
