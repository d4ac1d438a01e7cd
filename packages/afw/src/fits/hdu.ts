import { FitsError } from "./errors.js";
import { BLOCK_SIZE, Header } from "./header.js";
import type { ByteSource } from "./source.js";

/** Kinds of header-data unit. */
export type HduType = "image" | "bintable" | "table" | "compressed-image" | "random-groups" | "unknown";

/** Where an HDU lies in its file and what it holds. */
export interface HduInfo {
  /** 0-based position in the file. */
  index: number;
  /** What the HDU holds (a tile-compressed image is reported as "compressed-image"). */
  type: HduType;
  /** The header exactly as stored. */
  header: Header;
  /** Byte offset of the header. */
  headerOffset: number;
  /** Byte offset of the data. */
  dataOffset: number;
  /** Bytes of data (main table plus heap), without block padding. */
  dataSize: number;
  /** EXTNAME, if any. */
  extname: string | undefined;
  /** True when the file ends before this HDU's data do. */
  truncated: boolean;
}

/** Limits protecting against hostile or broken files. */
export interface ScanLimits {
  /** Largest header accepted, in bytes (default 64 MiB). */
  maxHeaderBytes: number;
}

const VALID_BITPIX = new Set([8, 16, 32, 64, -32, -64]);

/** Reads the header starting at `offset`; returns it and its padded byte length. */
async function readHeader(
  source: ByteSource,
  offset: number,
  index: number,
  limits: ScanLimits,
): Promise<{ header: Header; length: number }> {
  const where = { file: source.name, hdu: index };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let blocksPerRead = 4;
  for (;;) {
    const bytes = await source.read(offset + total, blocksPerRead * BLOCK_SIZE);
    const whole = Math.floor(bytes.length / BLOCK_SIZE) * BLOCK_SIZE;
    if (whole === 0) {
      throw new FitsError("TRUNCATED", `file ends inside the header (after ${total} bytes, no END card)`, where);
    }
    const part = bytes.subarray(0, whole);
    // Look for END only in the newly read blocks (card boundaries are 80-byte aligned).
    let endAt = -1;
    for (let c = 0; c < part.length; c += 80) {
      if (part[c] === 0x45 && part[c + 1] === 0x4e && part[c + 2] === 0x44) {
        let blank = true;
        for (let k = 3; k < 80; k++) {
          if (part[c + k] !== 0x20) {
            blank = false;
            break;
          }
        }
        if (blank) {
          endAt = c;
          break;
        }
      }
    }
    if (endAt >= 0) {
      chunks.push(part.subarray(0, Math.ceil((endAt + 80) / BLOCK_SIZE) * BLOCK_SIZE));
      break;
    }
    chunks.push(part.slice());
    total += whole;
    if (whole < blocksPerRead * BLOCK_SIZE) {
      throw new FitsError("TRUNCATED", `file ends inside the header (after ${total} bytes, no END card)`, where);
    }
    if (total > limits.maxHeaderBytes) {
      throw new FitsError("TOO_LARGE", `header exceeds ${limits.maxHeaderBytes} bytes without an END card`, where);
    }
    blocksPerRead = Math.min(blocksPerRead * 2, 256);
  }
  const all = chunks.length === 1 ? chunks[0]! : concat(chunks);
  return Header.parse(all, where);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Computes the data size in bytes declared by a header, validating the structural keywords. */
export function declaredDataSize(header: Header, primary: boolean): { size: number; randomGroups: boolean } {
  const bitpix = header.requireInt("BITPIX");
  if (!VALID_BITPIX.has(bitpix)) {
    throw new FitsError("BAD_VALUE", `BITPIX ${bitpix} is not one of 8, 16, 32, 64, -32, -64`, {
      ...header.location,
      card: "BITPIX",
    });
  }
  const naxis = header.requireInt("NAXIS");
  if (naxis < 0 || naxis > 999) {
    throw new FitsError("BAD_VALUE", `NAXIS ${naxis} is outside 0..999`, { ...header.location, card: "NAXIS" });
  }
  if (naxis === 0) return { size: 0, randomGroups: false };
  const randomGroups = primary && header.getInt("NAXIS1") === 0 && header.get("GROUPS") === true;
  let n = 1;
  for (let i = 1; i <= naxis; i++) {
    const len = header.requireInt(`NAXIS${i}`);
    if (len < 0) throw new FitsError("BAD_VALUE", `NAXIS${i} = ${len} is negative`, { ...header.location, card: `NAXIS${i}` });
    if (randomGroups && i === 1) continue;
    n *= len;
  }
  const pcount = header.getInt("PCOUNT") ?? 0;
  const gcount = header.getInt("GCOUNT") ?? 1;
  if (pcount < 0 || gcount < 0) {
    throw new FitsError("BAD_VALUE", `PCOUNT ${pcount} / GCOUNT ${gcount} must not be negative`, header.location);
  }
  const size = (Math.abs(bitpix) / 8) * gcount * (pcount + n);
  if (!Number.isSafeInteger(size)) {
    throw new FitsError("TOO_LARGE", `declared data size overflows (${size} bytes)`, header.location);
  }
  return { size, randomGroups };
}

/** Classifies an HDU from its header. */
export function classifyHdu(header: Header, primary: boolean, randomGroups: boolean): HduType {
  if (primary) return randomGroups ? "random-groups" : "image";
  const xt = String(header.get("XTENSION") ?? "")
    .trim()
    .toUpperCase();
  if (xt === "IMAGE" || xt === "IUEIMAGE") return "image";
  if (xt === "TABLE") return "table";
  if (xt === "BINTABLE" || xt === "A3DTABLE") return header.get("ZIMAGE") === true ? "compressed-image" : "bintable";
  return "unknown";
}

/**
 * Reads the header of the HDU starting at `offset`, or returns undefined at the end of the file
 * (no more bytes, only zero padding, or trailing bytes that are not an extension).
 */
export async function scanHdu(
  source: ByteSource,
  offset: number,
  index: number,
  limits: ScanLimits,
): Promise<HduInfo | undefined> {
  const where = { file: source.name, hdu: index };
  const probe = await source.read(offset, 10);
  if (probe.length === 0) {
    if (index === 0) throw new FitsError("NOT_FITS", "file is empty (not a FITS file)", where);
    return undefined;
  }
  const text = String.fromCharCode(...probe);
  if (index === 0) {
    if (!text.startsWith("SIMPLE  =")) {
      throw new FitsError("NOT_FITS", "does not start with SIMPLE = (not a FITS file)", where);
    }
  } else if (!text.startsWith("XTENSION=")) {
    return undefined;
  }
  const { header, length } = await readHeader(source, offset, index, limits);
  const first = header.cards[0];
  if (!first || first.keyword !== (index === 0 ? "SIMPLE" : "XTENSION")) {
    throw new FitsError("BAD_HEADER", "first card must be SIMPLE (primary) or XTENSION (extension)", where);
  }
  const { size, randomGroups } = declaredDataSize(header, index === 0);
  const dataOffset = offset + length;
  const extname = header.has("EXTNAME") ? String(header.get("EXTNAME") ?? "").trim() : undefined;
  const truncated = source.size !== undefined && dataOffset + size > source.size;
  return {
    index,
    type: classifyHdu(header, index === 0, randomGroups),
    header,
    headerOffset: offset,
    dataOffset,
    dataSize: size,
    extname,
    truncated,
  };
}

/** Bytes an HDU's data occupy including padding to a 2880-byte block. */
export function paddedSize(bytes: number): number {
  return Math.ceil(bytes / BLOCK_SIZE) * BLOCK_SIZE;
}
