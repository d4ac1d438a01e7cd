import { FitsError } from "./errors.js";
import { Header } from "./header.js";
import type { FitsPixelArray } from "./pixels.js";

/** Keywords that describe an HDU's structure; they are generated, never copied from a user header. */
const STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|END)$/;

/** Checksums of the HDU they were read from; a rewritten HDU would make them wrong, so they are dropped. */
const CHECKSUMS = new Set(["CHECKSUM", "DATASUM", "ZHECKSUM", "ZDATASUM"]);

/** Keywords that describe image scaling; written by the writer to match the array type. */
const SCALING = new Set(["BZERO", "BSCALE"]);

/** True for keywords the writer generates itself for an image HDU. */
export function isStructuralKeyword(keyword: string): boolean {
  return STRUCTURAL.test(keyword);
}

/** BITPIX and unsigned-convention BZERO for a typed array. */
export function bitpixFor(data: FitsPixelArray): { bitpix: number; bzero?: number | bigint } {
  if (data instanceof Uint8Array) return { bitpix: 8 };
  if (data instanceof Int8Array) return { bitpix: 8, bzero: -128 };
  if (data instanceof Int16Array) return { bitpix: 16 };
  if (data instanceof Uint16Array) return { bitpix: 16, bzero: 32768 };
  if (data instanceof Int32Array) return { bitpix: 32 };
  if (data instanceof Uint32Array) return { bitpix: 32, bzero: 2147483648 };
  if (data instanceof BigInt64Array) return { bitpix: 64 };
  if (data instanceof BigUint64Array) return { bitpix: 64, bzero: 9223372036854775808n };
  if (data instanceof Float32Array) return { bitpix: -32 };
  if (data instanceof Float64Array) return { bitpix: -64 };
  throw new FitsError("BAD_ARGUMENT", "unsupported pixel array type");
}

/** Options for {@link makeImageHeader}. */
export interface ImageHeaderOptions {
  /** Write SIMPLE/EXTEND (primary HDU) instead of XTENSION='IMAGE'/PCOUNT/GCOUNT. */
  primary: boolean;
  /** BITPIX of the data as stored. */
  bitpix: number;
  /** Shape in FITS axis order. */
  shape: readonly number[];
  /** BZERO to write (unsigned conventions); BSCALE=1 is written with it. */
  bzero?: number | bigint | undefined;
  /** Further cards (structural ones are dropped; order and comments are kept). */
  extra?: Header | undefined;
  /** EXTNAME to set (overrides the one in `extra`). */
  extname?: string | undefined;
}

/** Builds a complete image header: mandatory keywords in the standard's order, then `extra`. */
export function makeImageHeader(o: ImageHeaderOptions): Header {
  const h = new Header();
  if (o.primary) h.set("SIMPLE", true, { comment: "conforms to FITS standard" });
  else h.set("XTENSION", "IMAGE", { comment: "image extension" });
  h.set("BITPIX", o.bitpix, { comment: "array data type" });
  h.set("NAXIS", o.shape.length, { comment: "number of array dimensions" });
  o.shape.forEach((n, i) => {
    h.set(`NAXIS${i + 1}`, n);
  });
  if (o.primary) h.set("EXTEND", true);
  else {
    h.set("PCOUNT", 0, { comment: "number of parameters" });
    h.set("GCOUNT", 1, { comment: "number of groups" });
  }
  if (o.bzero !== undefined) {
    h.set("BZERO", o.bzero, { comment: "offset data range to that of unsigned integers" });
    h.set("BSCALE", 1, { comment: "default scaling factor" });
  }
  copyUserCards(h, o.extra, (k) => SCALING.has(k) || (o.bitpix < 0 && k === "BLANK"));
  if (o.extname !== undefined) h.set("EXTNAME", o.extname);
  return h;
}

/** Appends the non-structural cards of `extra` to `h`, skipping those `skip` selects. */
export function copyUserCards(h: Header, extra: Header | undefined, skip: (keyword: string) => boolean = () => false): void {
  if (!extra) return;
  for (const c of extra.cards) {
    if (!c.commentary && (isStructuralKeyword(c.keyword) || CHECKSUMS.has(c.keyword) || skip(c.keyword))) continue;
    h.appendCard(c);
  }
}
