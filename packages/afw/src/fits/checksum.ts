/**
 * The FITS checksum convention (Seaman, Pence & Rots; FITS standard 4.0 appendix J): DATASUM is
 * the 32-bit ones'-complement sum of the data unit as big-endian words, CHECKSUM a 16-character
 * ASCII encoding chosen so that the whole HDU sums to -0.
 */

/** A running 32-bit ones'-complement sum over a byte stream (any chunking, padding included). */
export class OnesComplementSum {
  private hi = 0;
  private lo = 0;
  /** Bytes of an incomplete 32-bit word carried to the next chunk. */
  private carry = new Uint8Array(4);
  private carryLength = 0;

  /** Adds bytes (their position modulo 4 continues from the previous call). */
  update(bytes: Uint8Array): this {
    let i = 0;
    const n = bytes.length;
    if (this.carryLength > 0) {
      while (this.carryLength < 4 && i < n) this.carry[this.carryLength++] = bytes[i++]!;
      if (this.carryLength < 4) return this;
      this.addWord(this.carry, 0);
      this.carryLength = 0;
    }
    let hi = this.hi;
    let lo = this.lo;
    const end = i + ((n - i) & ~3);
    // The halves grow by < 2^16 per word, so a chunk under ~500 GB stays exact below 2^53.
    for (; i < end; i += 4) {
      hi += (bytes[i]! << 8) | bytes[i + 1]!;
      lo += (bytes[i + 2]! << 8) | bytes[i + 3]!;
    }
    ({ hi, lo } = fold(hi, lo));
    this.hi = hi;
    this.lo = lo;
    while (i < n) this.carry[this.carryLength++] = bytes[i++]!;
    return this;
  }

  private addWord(b: Uint8Array, o: number): void {
    this.hi += (b[o]! << 8) | b[o + 1]!;
    this.lo += (b[o + 2]! << 8) | b[o + 3]!;
  }

  /** The sum as an unsigned 32-bit integer (pending bytes are padded with zeros). */
  value(): number {
    if (this.carryLength > 0) {
      const word = new Uint8Array(4);
      word.set(this.carry.subarray(0, this.carryLength));
      this.addWord(word, 0);
      this.carryLength = 0;
    }
    const { hi, lo } = fold(this.hi, this.lo);
    this.hi = hi;
    this.lo = lo;
    return ((hi << 16) | lo) >>> 0;
  }
}

/** Folds carries of the 16-bit halves until both fit in 16 bits (end-around carry). */
function fold(hi: number, lo: number): { hi: number; lo: number } {
  while (hi > 0xffff || lo > 0xffff) {
    const hc = Math.floor(hi / 65536);
    const lc = Math.floor(lo / 65536);
    hi = (hi % 65536) + lc;
    lo = (lo % 65536) + hc;
  }
  return { hi, lo };
}

/** Adds two 32-bit ones'-complement values. */
export function onesComplementAdd(a: number, b: number): number {
  let s = (a >>> 0) + (b >>> 0);
  while (s > 0xffffffff) s = (s % 4294967296) + 1;
  return s >>> 0;
}

/** Ones'-complement sum of whole bytes. */
export function checksumOf(bytes: Uint8Array): number {
  return new OnesComplementSum().update(bytes).value();
}

const EXCLUDED = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];

/**
 * Encodes a 32-bit sum as the 16 ASCII characters of a CHECKSUM value (the complement of the
 * sum, so the HDU then sums to -0), avoiding punctuation, rotated right by one character.
 */
export function encodeChecksum(sum: number): string {
  const value = ~sum >>> 0;
  const asc = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> ((3 - i) * 8)) & 0xff;
    const quotient = (byte >> 2) + 0x30;
    const ch = [quotient + (byte & 3), quotient, quotient, quotient];
    for (let again = true; again; ) {
      again = false;
      for (const e of EXCLUDED) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === e || ch[j + 1] === e) {
            ch[j]!++;
            ch[j + 1]!--;
            again = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j]!;
  }
  const rotated = [asc[15]!, ...asc.slice(0, 15)];
  return String.fromCharCode(...rotated);
}
