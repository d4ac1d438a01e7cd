import {
  CARD_LENGTH,
  type Card,
  type CardValue,
  COMMENTARY_KEYWORDS,
  continueCard,
  formatCard,
  isContinueCard,
  parseCard,
} from "./card.js";
import { FitsError, type FitsErrorLocation } from "./errors.js";

/** Size of a FITS logical record in bytes. */
export const BLOCK_SIZE = 2880;

/** Options for {@link Header.set}. */
export interface SetCardOptions {
  /** Comment to store; when omitted an existing card keeps its comment. */
  comment?: string;
  /** Write the number as an integer (default: integers are written as integers). */
  isInteger?: boolean;
  /** Insert before this keyword when the card is new (default: append at the end). */
  before?: string;
  /** Insert after this keyword when the card is new. */
  after?: string;
}

/**
 * An ordered FITS header: cards keep their order, comments and (when unmodified) their exact text
 * across a read/write round trip. Keys are case-insensitive; HIERARCH keys are given without the
 * `HIERARCH ` prefix. Typed accessors raise {@link FitsError}s naming the file, HDU and card.
 */
export class Header {
  /** All cards in order, END excluded. */
  readonly cards: Card[];
  /** Where this header came from, used in error messages. */
  location: FitsErrorLocation;
  private index: Map<string, number> | undefined;

  constructor(cards: Card[] = [], location: FitsErrorLocation = {}) {
    this.cards = cards;
    this.location = location;
  }

  /**
   * Parses header bytes (a whole number of 80-character cards, up to and including END).
   * Returns the header and the number of bytes consumed up to the end of END's block.
   */
  static parse(bytes: Uint8Array, location: FitsErrorLocation = {}): { header: Header; length: number } {
    const cards: Card[] = [];
    const decoder = new TextDecoder("latin1");
    const ncards = Math.floor(bytes.length / CARD_LENGTH);
    let last: Card | undefined;
    for (let k = 0; k < ncards; k++) {
      const image = decoder.decode(bytes.subarray(k * CARD_LENGTH, (k + 1) * CARD_LENGTH));
      if (image.startsWith("END") && image.slice(3).trim() === "") {
        const length = Math.ceil(((k + 1) * CARD_LENGTH) / BLOCK_SIZE) * BLOCK_SIZE;
        return { header: new Header(cards, location), length };
      }
      if (isContinueCard(image) && last && continueCard(last, image)) continue;
      const card = parseCard(image, { ...location, card: `#${k + 1}` });
      cards.push(card);
      last = card.commentary ? undefined : card;
    }
    throw new FitsError("BAD_HEADER", "header has no END card", location);
  }

  /** Builds a header from key/value pairs (in order). */
  static fromEntries(entries: Iterable<[string, CardValue] | [string, CardValue, string]>): Header {
    const h = new Header();
    for (const [k, v, c] of entries) h.set(k, v, c === undefined ? {} : { comment: c });
    return h;
  }

  private keyIndex(): Map<string, number> {
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < this.cards.length; i++) {
        const c = this.cards[i]!;
        if (!c.commentary && !this.index.has(c.keyword)) this.index.set(c.keyword, i);
      }
    }
    return this.index;
  }

  private invalidate(): void {
    this.index = undefined;
  }

  private static norm(key: string): string {
    const k = key.trim().toUpperCase();
    return k.startsWith("HIERARCH ") ? k.slice(9).trim().replace(/\s+/g, " ") : k;
  }

  /** Number of cards (END excluded). */
  get length(): number {
    return this.cards.length;
  }

  /** True when a valued card with this keyword exists. */
  has(key: string): boolean {
    return this.keyIndex().has(Header.norm(key));
  }

  /** The first valued card with this keyword. */
  card(key: string): Card | undefined {
    const i = this.keyIndex().get(Header.norm(key));
    return i === undefined ? undefined : this.cards[i];
  }

  /** Raw value of a keyword, or undefined when absent. */
  get(key: string): CardValue | undefined {
    return this.card(key)?.value;
  }

  /** Values of every valued card with this keyword, in order (for keywords that repeat). */
  getAll(key: string): CardValue[] {
    const norm = Header.norm(key);
    return this.cards.filter((c) => !c.commentary && c.keyword === norm).map((c) => c.value);
  }

  /** Comment of a keyword ("" when none), or undefined when absent. */
  comment(key: string): string | undefined {
    return this.card(key)?.comment;
  }

  /** Valued keywords in order (duplicates once). */
  keys(): string[] {
    return [...this.keyIndex().keys()];
  }

  private err(code: "MISSING_KEYWORD" | "BAD_CARD" | "BAD_VALUE", key: string, detail: string): FitsError {
    return new FitsError(code, detail, { ...this.location, card: Header.norm(key) });
  }

  private typed<T>(key: string, want: string, check: (c: Card) => T | undefined): T | undefined {
    const c = this.card(key);
    if (!c) return undefined;
    if (c.unparsed !== undefined) throw this.err("BAD_CARD", key, `cannot parse value ${JSON.stringify(c.unparsed)}`);
    const v = check(c);
    if (v === undefined) throw this.err("BAD_CARD", key, `expected ${want}, found ${describe(c.value)}`);
    return v;
  }

  /** A real or integer value as a number; undefined when absent. Big integers are converted. */
  getNumber(key: string): number | undefined {
    return this.typed(key, "a number", (c) =>
      typeof c.value === "number" ? c.value : typeof c.value === "bigint" ? Number(c.value) : undefined,
    );
  }

  /** An integer value; undefined when absent. Rejects non-integers and integers beyond 2^53. */
  getInt(key: string): number | undefined {
    return this.typed(key, "an integer", (c) => (typeof c.value === "number" && Number.isInteger(c.value) ? c.value : undefined));
  }

  /** An integer value as a bigint (exact for 64-bit values); undefined when absent. */
  getBigInt(key: string): bigint | undefined {
    return this.typed(key, "an integer", (c) =>
      typeof c.value === "bigint"
        ? c.value
        : typeof c.value === "number" && Number.isInteger(c.value)
          ? BigInt(c.value)
          : undefined,
    );
  }

  /** A string value; undefined when absent. */
  getString(key: string): string | undefined {
    return this.typed(key, "a string", (c) => (typeof c.value === "string" ? c.value : undefined));
  }

  /** A logical value; undefined when absent. */
  getBool(key: string): boolean | undefined {
    return this.typed(key, "a logical (T/F)", (c) => (typeof c.value === "boolean" ? c.value : undefined));
  }

  /** Like {@link getNumber} but throws MISSING_KEYWORD when absent. */
  requireNumber(key: string): number {
    const v = this.getNumber(key);
    if (v === undefined) throw this.err("MISSING_KEYWORD", key, "required keyword is missing");
    return v;
  }

  /** Like {@link getInt} but throws MISSING_KEYWORD when absent. */
  requireInt(key: string): number {
    const v = this.getInt(key);
    if (v === undefined) throw this.err("MISSING_KEYWORD", key, "required keyword is missing");
    return v;
  }

  /** Like {@link getString} but throws MISSING_KEYWORD when absent. */
  requireString(key: string): string {
    const v = this.getString(key);
    if (v === undefined) throw this.err("MISSING_KEYWORD", key, "required keyword is missing");
    return v;
  }

  /**
   * Sets a keyword's value, keeping its position (and comment, unless a new one is given) when it
   * exists, else appending it (or inserting before/after another keyword).
   */
  set(key: string, value: CardValue, options: SetCardOptions = {}): this {
    const norm = Header.norm(key);
    if (COMMENTARY_KEYWORDS.has(norm)) {
      this.add(norm, typeof value === "string" ? value : String(value));
      return this;
    }
    const existing = this.card(norm);
    const isInteger = options.isInteger ?? (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value)));
    if (existing) {
      existing.value = value;
      existing.isInteger = isInteger;
      if (options.comment !== undefined) existing.comment = options.comment;
      delete existing.raw;
      delete existing.unparsed;
      return this;
    }
    const card: Card = {
      keyword: norm,
      value,
      comment: options.comment ?? "",
      commentary: false,
      hierarch: norm.length > 8 || /[^A-Z0-9_-]/.test(norm),
      isInteger,
    };
    this.insertCard(card, options);
    return this;
  }

  private insertCard(card: Card, options: { before?: string; after?: string }): void {
    let pos = this.cards.length;
    if (options.before !== undefined) {
      const i = this.keyIndex().get(Header.norm(options.before));
      if (i !== undefined) pos = i;
    } else if (options.after !== undefined) {
      const i = this.keyIndex().get(Header.norm(options.after));
      if (i !== undefined) pos = i + 1;
    }
    this.cards.splice(pos, 0, card);
    this.invalidate();
  }

  /** Appends a card as it is (copying it), replacing an existing valued card of the same keyword. */
  appendCard(card: Card): this {
    if (!card.commentary) this.remove(card.keyword);
    this.cards.push({ ...card, ...(card.raw ? { raw: [...card.raw] } : {}) });
    this.invalidate();
    return this;
  }

  /** Appends a COMMENT, HISTORY or blank-keyword commentary card. */
  add(keyword: "COMMENT" | "HISTORY" | "" | string, text: string): this {
    this.cards.push({ keyword: keyword.toUpperCase(), value: text, comment: "", commentary: true, hierarch: false });
    return this;
  }

  /** Removes every valued card with this keyword; returns how many were removed. */
  remove(key: string): number {
    const norm = Header.norm(key);
    let n = 0;
    for (let i = this.cards.length - 1; i >= 0; i--) {
      const c = this.cards[i]!;
      if (!c.commentary && c.keyword === norm) {
        this.cards.splice(i, 1);
        n++;
      }
    }
    if (n > 0) this.invalidate();
    return n;
  }

  /** Texts of all COMMENT cards. */
  comments(): string[] {
    return this.cards.filter((c) => c.commentary && c.keyword === "COMMENT").map((c) => String(c.value));
  }

  /** Texts of all HISTORY cards. */
  history(): string[] {
    return this.cards.filter((c) => c.commentary && c.keyword === "HISTORY").map((c) => String(c.value));
  }

  /** A deep copy. */
  clone(): Header {
    return new Header(
      this.cards.map((c) => ({ ...c, ...(c.raw ? { raw: [...c.raw] } : {}) })),
      { ...this.location },
    );
  }

  /** The card images (80 characters each) including END, without block padding. */
  toCardImages(): string[] {
    const images: string[] = [];
    let longstrnAt = -1;
    for (const c of this.cards) {
      const formatted = formatCard(c);
      if (longstrnAt < 0 && formatted.length > 1 && !c.commentary && !c.raw) longstrnAt = images.length;
      images.push(...formatted);
    }
    // Readers such as fitsverify expect the OGIP convention to be declared when CONTINUE is used.
    if (longstrnAt >= 0 && !this.has("LONGSTRN")) {
      images.splice(
        longstrnAt,
        0,
        "LONGSTRN= 'OGIP 1.0'           / The OGIP long string convention may be used".padEnd(CARD_LENGTH),
      );
    }
    images.push("END".padEnd(CARD_LENGTH));
    return images;
  }

  /** Serialises to bytes padded with blanks to a multiple of 2880. */
  toBytes(): Uint8Array {
    const images = this.toCardImages();
    const length = Math.ceil((images.length * CARD_LENGTH) / BLOCK_SIZE) * BLOCK_SIZE;
    const out = new Uint8Array(length).fill(0x20);
    let off = 0;
    for (const img of images) {
      for (let k = 0; k < CARD_LENGTH; k++) out[off + k] = img.charCodeAt(k);
      off += CARD_LENGTH;
    }
    return out;
  }

  /** The header as text, one 80-character card per line (like `skystack fits header`). */
  toString(): string {
    return this.toCardImages()
      .map((s) => s.trimEnd())
      .join("\n");
  }

  /** Plain object of valued keywords to values (first occurrence wins). */
  toObject(): Record<string, CardValue> {
    const o: Record<string, CardValue> = {};
    for (const c of this.cards) if (!c.commentary && !(c.keyword in o)) o[c.keyword] = c.value;
    return o;
  }
}

function describe(v: CardValue): string {
  if (v === null) return "an undefined value";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "object") return `the complex (${v.re}, ${v.im})`;
  return `${typeof v} ${String(v)}`;
}
