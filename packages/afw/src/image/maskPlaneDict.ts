/**
 * `MaskPlaneDict`: the name → bit-number dictionary of mask planes (afw `detail::MaskDict`).
 *
 * Sharing model (same as afw): a dictionary object is *shared* by every mask of one family — a
 * mask, its sub-image views, its clones and masks derived from it all hold the same instance, so a
 * plane added through any of them is visible to all. New masks use the process-wide default
 * dictionary ({@link MaskPlaneDict.getDefault}) unless given another; reading a file *conforms* its
 * planes to the in-memory dictionary (see `Mask.conform`). Removing a plane from one mask is
 * copy-on-write (`Mask.removeAndClearMaskPlane`), because other masks sharing the dictionary may
 * still have that bit set.
 */
import { AfwError } from "./errors.js";

/** Number of bits in a mask pixel (int32), i.e. the maximum number of planes. */
export const MAX_MASK_PLANES = 32;

/** The default planes, bit numbers and descriptions (afw `MaskDict.cc`). */
export const DEFAULT_MASK_PLANES: ReadonlyArray<readonly [name: string, bit: number, doc: string]> = [
  ["BAD", 0, "This pixel is known to be bad (e.g. the amplifier is not working)."],
  ["SAT", 1, "This pixel is saturated or has otherwise overflowed."],
  ["INTRP", 2, "This pixel has been interpolated over."],
  ["CR", 3, "This pixel is contaminated by a cosmic ray."],
  ["EDGE", 4, "This pixel is too close to the edge to be processed properly."],
  ["DETECTED", 5, "This pixel lies within an object's Footprint."],
  ["DETECTED_NEGATIVE", 6, "This pixel lies within a Footprint of a negative detection."],
  ["SUSPECT", 7, "This pixel is untrustworthy (e.g. close to saturation)."],
  ["NO_DATA", 8, "There was no data at this pixel location."],
  ["VIGNETTED", 9, "This pixel is vignetted."],
  ["STREAK", 10, "This pixel is part of a satellite or other streak."],
];

/** One plane of a dictionary. */
export interface MaskPlane {
  /** Plane name, e.g. "SAT". */
  readonly name: string;
  /** Bit number, 0..31 (the plane's bit mask is 1 << bit). */
  readonly bit: number;
  /** Human-readable description ("" if none). */
  readonly doc: string;
}

/** Bit mask of a bit number as an int32 (bit 31 gives a negative number). */
export function bitMaskOf(bit: number): number {
  return (1 << bit) | 0;
}

let defaultDict: MaskPlaneDict | undefined;

/** A mutable, shareable mapping of mask-plane names to bit numbers. */
export class MaskPlaneDict {
  private readonly byName = new Map<string, MaskPlane>();
  private readonly byBit: (MaskPlane | undefined)[] = new Array(MAX_MASK_PLANES).fill(undefined);

  /**
   * A new dictionary.
   * @param planes initial planes as `[name, bit]` or `[name, bit, doc]`; default: the 11 default
   *   planes (BAD=0 ... STREAK=10). Pass `[]` for an empty dictionary.
   * @throws AfwError INVALID_ARGUMENT for a bad bit or a name/bit used twice.
   */
  constructor(planes: Iterable<readonly [string, number] | readonly [string, number, string]> = DEFAULT_MASK_PLANES) {
    for (const p of planes) this.insert(p[0], p[1], p[2] ?? "");
  }

  /**
   * The process-wide default dictionary that new masks share unless given another one. Planes
   * added to it are visible to every mask using it.
   */
  static getDefault(): MaskPlaneDict {
    defaultDict ??= new MaskPlaneDict();
    return defaultDict;
  }

  /** Build a dictionary from a name → bit map (e.g. the MP_<NAME> cards of a FITS header). */
  static fromMap(map: ReadonlyMap<string, number>): MaskPlaneDict {
    return new MaskPlaneDict([...map.entries()]);
  }

  /** Number of planes defined. */
  get size(): number {
    return this.byName.size;
  }

  /** True if a plane of this name exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Bit number of a plane, or undefined. */
  get(name: string): number | undefined {
    return this.byName.get(name)?.bit;
  }

  /**
   * Bit number of a plane.
   * @throws AfwError MASK_PLANE_NOT_FOUND naming the plane and the known planes.
   */
  getBit(name: string): number {
    const p = this.byName.get(name);
    if (p === undefined) {
      throw new AfwError(
        "MASK_PLANE_NOT_FOUND",
        `mask plane "${name}" is not defined (known planes: ${this.names().join(", ") || "none"})`,
      );
    }
    return p.bit;
  }

  /** Description of a plane ("" if none), or undefined if the plane does not exist. */
  getDoc(name: string): string | undefined {
    return this.byName.get(name)?.doc;
  }

  /** Name of the plane using `bit`, or undefined. */
  nameOfBit(bit: number): string | undefined {
    return this.byBit[bit]?.name;
  }

  /**
   * Add a plane on the first unused bit and return its bit number; if the plane already exists
   * its bit is returned (and a non-empty `doc` replaces an empty one).
   * @throws AfwError MASK_PLANES_FULL when all 32 bits are used.
   */
  add(name: string, doc = ""): number {
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      if (doc !== "" && existing.doc === "") this.insertAt(name, existing.bit, doc);
      return existing.bit;
    }
    const bit = this.byBit.indexOf(undefined);
    if (bit < 0) {
      throw new AfwError(
        "MASK_PLANES_FULL",
        `cannot add mask plane "${name}": all ${MAX_MASK_PLANES} mask planes are in use (${this.names().join(", ")})`,
      );
    }
    this.insert(name, bit, doc);
    return bit;
  }

  /** Remove a plane (no effect on pixels). @returns true if it existed */
  remove(name: string): boolean {
    const p = this.byName.get(name);
    if (p === undefined) return false;
    this.byName.delete(name);
    this.byBit[p.bit] = undefined;
    return true;
  }

  /**
   * OR of the bit masks of one or more planes (an int32; bit 31 makes it negative).
   * @throws AfwError MASK_PLANE_NOT_FOUND for an unknown name.
   */
  getPlaneBitMask(names: string | Iterable<string>): number {
    if (typeof names === "string") return bitMaskOf(this.getBit(names));
    let m = 0;
    for (const n of names) m |= bitMaskOf(this.getBit(n));
    return m;
  }

  /** Names of the planes whose bits are set in `value`, in bit order (unnamed bits are skipped). */
  interpret(value: number): string[] {
    const out: string[] = [];
    for (let bit = 0; bit < MAX_MASK_PLANES; bit++) {
      const p = this.byBit[bit];
      if (p !== undefined && (value & bitMaskOf(bit)) !== 0) out.push(p.name);
    }
    return out;
  }

  /** Plane names in bit order. */
  names(): string[] {
    return this.planes().map((p) => p.name);
  }

  /** Planes in bit order. */
  planes(): MaskPlane[] {
    return this.byBit.filter((p): p is MaskPlane => p !== undefined);
  }

  /** OR of the bit masks of all defined planes. */
  definedBits(): number {
    let m = 0;
    for (const p of this.byName.values()) m |= bitMaskOf(p.bit);
    return m;
  }

  /** The planes as a new name → bit map (in bit order), e.g. for writing MP_<NAME> cards. */
  toMap(): Map<string, number> {
    return new Map(this.planes().map((p) => [p.name, p.bit]));
  }

  /** An independent copy. */
  clone(): MaskPlaneDict {
    return new MaskPlaneDict(this.planes().map((p) => [p.name, p.bit, p.doc] as const));
  }

  /** Same names on the same bits (docs are ignored). */
  equals(other: MaskPlaneDict): boolean {
    if (this === other) return true;
    if (this.size !== other.size) return false;
    for (const p of this.byName.values()) if (other.get(p.name) !== p.bit) return false;
    return true;
  }

  /**
   * True if masks using the two dictionaries can be combined bitwise: every name defined in both
   * has the same bit, and no bit is used by different names.
   */
  isCompatibleWith(other: MaskPlaneDict): boolean {
    if (this === other) return true;
    for (const p of this.byName.values()) {
      const ob = other.get(p.name);
      if (ob !== undefined && ob !== p.bit) return false;
      const on = other.nameOfBit(p.bit);
      if (on !== undefined && on !== p.name) return false;
    }
    return true;
  }

  /** e.g. `MaskPlaneDict(BAD=0, SAT=1, ...)`. */
  toString(): string {
    return `MaskPlaneDict(${this.planes()
      .map((p) => `${p.name}=${p.bit}`)
      .join(", ")})`;
  }

  private insert(name: string, bit: number, doc: string): void {
    if (typeof name !== "string" || name === "") {
      throw new AfwError("INVALID_ARGUMENT", `mask plane name must be a non-empty string, got "${name}"`);
    }
    if (!Number.isInteger(bit) || bit < 0 || bit >= MAX_MASK_PLANES) {
      throw new AfwError("INVALID_ARGUMENT", `mask plane "${name}" has bit ${bit}, which is outside 0..${MAX_MASK_PLANES - 1}`);
    }
    if (this.byName.has(name)) {
      throw new AfwError("INVALID_ARGUMENT", `mask plane "${name}" is defined twice`);
    }
    const other = this.byBit[bit];
    if (other !== undefined) {
      throw new AfwError("INVALID_ARGUMENT", `mask planes "${other.name}" and "${name}" both use bit ${bit}`);
    }
    this.insertAt(name, bit, doc);
  }

  private insertAt(name: string, bit: number, doc: string): void {
    const p: MaskPlane = { name, bit, doc };
    this.byName.set(name, p);
    this.byBit[bit] = p;
  }
}
