/**
 * `PropertyList`: an ordered key → value map with comments, the in-memory form of a FITS header
 * (daf_base `PropertyList`). The FITS layer adapts its header class to and from this interface;
 * `ExposureInfo.metadata` holds one.
 *
 * Keys are case-sensitive strings (FITS keywords are conventionally upper case). A key normally
 * appears once; `add` appends repeated entries (FITS COMMENT/HISTORY), in which case `get` returns
 * the last value and `getAll` all of them.
 */

/** A header value. `null` is a FITS undefined value; bigint holds 64-bit integers exactly. */
export type PropertyValue = string | number | boolean | bigint | null;

/** One entry of a {@link PropertyList}. */
export interface PropertyEntry {
  /** Key (e.g. "EXPTIME"). */
  readonly key: string;
  /** Value. */
  readonly value: PropertyValue;
  /** Optional comment (FITS card comment). */
  readonly comment?: string;
}

/** Minimal ordered header interface shared by afw and the FITS layer. */
export interface PropertyList {
  /** Number of entries (repeated keys count once per entry). */
  readonly size: number;
  /** Value of `key` (the last one if repeated), or undefined if absent. */
  get(key: string): PropertyValue | undefined;
  /** Entry (value + comment) of `key` (the last one if repeated), or undefined. */
  getEntry(key: string): PropertyEntry | undefined;
  /** All values of `key` in order ([] if absent). */
  getAll(key: string): PropertyValue[];
  /**
   * Set `key`: replaces the value of an existing entry in place (keeping its position, and its
   * comment unless a new one is given; further repeats are removed), else appends.
   */
  set(key: string, value: PropertyValue, comment?: string): void;
  /** Append an entry even if `key` exists (COMMENT, HISTORY). */
  add(key: string, value: PropertyValue, comment?: string): void;
  /** True if `key` is present. */
  has(key: string): boolean;
  /** Remove every entry of `key`. @returns true if any was removed */
  remove(key: string): boolean;
  /** Distinct keys in order of first appearance. */
  keys(): string[];
  /** All entries in order. */
  entries(): PropertyEntry[];
  /** An independent copy. */
  clone(): PropertyList;
}

function makeEntry(key: string, value: PropertyValue, comment: string | undefined): PropertyEntry {
  return comment === undefined ? { key, value } : { key, value, comment };
}

/** The standard in-memory {@link PropertyList}. */
export class OrderedPropertyList implements PropertyList {
  private list: PropertyEntry[] = [];

  /** A list holding `entries` in order (repeated keys are kept, as with `add`). */
  constructor(entries: Iterable<PropertyEntry> = []) {
    for (const e of entries) this.add(e.key, e.value, e.comment);
  }

  /** A list built from a plain object's own properties, in insertion order. */
  static fromObject(obj: Readonly<Record<string, PropertyValue>>): OrderedPropertyList {
    const pl = new OrderedPropertyList();
    for (const [k, v] of Object.entries(obj)) pl.set(k, v);
    return pl;
  }

  get size(): number {
    return this.list.length;
  }

  get(key: string): PropertyValue | undefined {
    return this.getEntry(key)?.value;
  }

  getEntry(key: string): PropertyEntry | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i] as PropertyEntry;
      if (e.key === key) return e;
    }
    return undefined;
  }

  getAll(key: string): PropertyValue[] {
    return this.list.filter((e) => e.key === key).map((e) => e.value);
  }

  /** Value of `key` if it is a number (bigint converted), else undefined. */
  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    return undefined;
  }

  /** Value of `key` if it is a string, else undefined. */
  getString(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === "string" ? v : undefined;
  }

  /** Value of `key` if it is a boolean, else undefined. */
  getBoolean(key: string): boolean | undefined {
    const v = this.get(key);
    return typeof v === "boolean" ? v : undefined;
  }

  set(key: string, value: PropertyValue, comment?: string): void {
    const i = this.list.findIndex((e) => e.key === key);
    if (i < 0) {
      this.list.push(makeEntry(key, value, comment));
      return;
    }
    const old = this.list[i] as PropertyEntry;
    this.list[i] = makeEntry(key, value, comment ?? old.comment);
    this.list = this.list.filter((e, j) => j <= i || e.key !== key);
  }

  add(key: string, value: PropertyValue, comment?: string): void {
    this.list.push(makeEntry(key, value, comment));
  }

  has(key: string): boolean {
    return this.list.some((e) => e.key === key);
  }

  remove(key: string): boolean {
    const n = this.list.length;
    this.list = this.list.filter((e) => e.key !== key);
    return this.list.length !== n;
  }

  keys(): string[] {
    return [...new Set(this.list.map((e) => e.key))];
  }

  entries(): PropertyEntry[] {
    return this.list.slice();
  }

  /** Copy every entry of `other` into this list with `set` semantics (repeated keys appended). */
  update(other: PropertyList): void {
    const seen = new Set<string>();
    for (const e of other.entries()) {
      if (seen.has(e.key)) this.add(e.key, e.value, e.comment);
      else {
        seen.add(e.key);
        this.set(e.key, e.value, e.comment);
      }
    }
  }

  clone(): OrderedPropertyList {
    return new OrderedPropertyList(this.list);
  }

  /** e.g. `PropertyList(EXPTIME=30, FILTER="r")`. */
  toString(): string {
    const f = (v: PropertyValue) => (typeof v === "string" ? JSON.stringify(v) : String(v));
    return `PropertyList(${this.list.map((e) => `${e.key}=${f(e.value)}`).join(", ")})`;
  }
}
