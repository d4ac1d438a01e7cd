/**
 * PLIO_1 tile codec (FITS standard 4.0 §10.4.4): IRAF's pixel-list "line list" encoding, as in
 * cfitsio's `pl_p2li` / `pl_l2pi`.
 *
 * A line list is a sequence of 16-bit words. Header (7 words): [0, 7, -100, len % 32768,
 * len / 32768, 0, 0] where len is the total number of words. Each instruction word holds an
 * opcode in bits 12..14 and a 12-bit datum:
 *   0 ZN: N zeros | 1 SH: set the high value to (next word << 12) + datum | 2 IH / 3 DH: add /
 *   subtract datum to the high value | 4 HN: N pixels at the high value | 5 PN: N-1 zeros then one
 *   pixel at the high value | 6 IS / 7 DS: add / subtract datum, then one pixel at the high value.
 * The high value starts at 1. Pixels must lie in 0..2^24-1.
 */
import { CodecError } from "./errors.js";

/** Largest value PLIO_1 can store (cfitsio refuses anything outside 0..2^24-1). */
export const PLIO_MAX_VALUE = 16777215;

/**
 * Decode one PLIO_1 tile (the words of one COMPRESSED_DATA row, a `1PI` column).
 *
 * @param words the line list (int16 words, host order).
 * @param out receives `npix` values; pixels the list does not reach are set to 0.
 * @param npix number of pixels in the tile.
 * @throws CodecError `TRUNCATED` if the header claims more words than given, `CORRUPT` on a bad
 * header. Runs in O(words.length + npix); never writes past `out[npix-1]`.
 *
 * @example
 * ```ts
 * const out = new Int32Array(100);
 * plioDecode(words, out, 100);
 * ```
 */
export function plioDecode(words: Int16Array, out: Int32Array, npix: number): void {
  if (!Number.isInteger(npix) || npix < 0) {
    throw new CodecError("BAD_ARGUMENT", `PLIO: pixel count must be a non-negative integer, got ${npix}`);
  }
  if (out.length < npix) {
    throw new CodecError("BAD_ARGUMENT", `PLIO: output holds ${out.length} pixels, need ${npix}`);
  }
  if (npix === 0) return;
  if (words.length < 3) {
    throw new CodecError("TRUNCATED", `PLIO: line list has ${words.length} words, header needs 7`);
  }
  let lllen: number;
  let first: number;
  if (words[2]! > 0) {
    // old-style header: length in word 3 (1-based), data from word 4
    lllen = words[2]!;
    first = 3;
  } else {
    if (words.length < 5) {
      throw new CodecError("TRUNCATED", `PLIO: line list has ${words.length} words, header needs 7`);
    }
    lllen = (words[4]! << 15) + words[3]!;
    first = words[1]!;
  }
  if (lllen > words.length) {
    throw new CodecError("TRUNCATED", `PLIO: header says ${lllen} words, tile has ${words.length}`);
  }
  if (first < 0 || (lllen > 0 && first > lllen)) {
    throw new CodecError("CORRUPT", `PLIO: bad header (first instruction at ${first}, length ${lllen})`);
  }
  let op = 0; // next output index; always equals x1 - 1
  let x1 = 1; // 1-based index of the next pixel
  let pv = 1; // current high value
  const xe = npix;
  if (lllen > 0) {
    for (let ip = first; ip < lllen; ip++) {
      const word = words[ip]!;
      const opcode = (word / 4096) | 0; // C division truncates toward zero
      const data = word & 4095;
      switch (opcode) {
        case 0:
        case 4:
        case 5: {
          const x2 = x1 + data - 1;
          const i2 = Math.min(x2, xe);
          const np = i2 - x1 + 1;
          if (np > 0) {
            const end = op + np;
            if (opcode === 4) {
              out.fill(pv, op, end);
            } else {
              out.fill(0, op, end);
              if (opcode === 5 && i2 === x2) out[end - 1] = pv;
            }
            op = end;
          }
          x1 = x2 + 1;
          break;
        }
        case 1:
          if (ip + 1 >= lllen) {
            throw new CodecError("TRUNCATED", `PLIO: set-high instruction at word ${ip} has no operand`);
          }
          pv = ((words[ip + 1]! << 12) + data) | 0;
          ip++;
          break;
        case 2:
          pv = (pv + data) | 0;
          break;
        case 3:
          pv = (pv - data) | 0;
          break;
        case 6:
        case 7:
          pv = opcode === 6 ? (pv + data) | 0 : (pv - data) | 0;
          if (x1 <= xe) out[op++] = pv;
          x1++;
          break;
        default:
          break; // negative words: ignored, as cfitsio does
      }
      if (x1 > xe) break;
    }
  }
  if (op < npix) out.fill(0, op, npix);
}

/**
 * Encode one tile as a PLIO_1 line list. The instruction stream is the one cfitsio's `pl_p2li`
 * produces, except for one cfitsio bug that is avoided (a run of exactly 4095·k zeros followed by
 * a single pixel; cfitsio emits a word that decodes wrongly, this emits ZN + HN instead).
 *
 * @param values pixel values, each in 0..2^24-1 (negative values are refused, not clipped).
 * @param npix number of pixels to encode.
 * @returns the line list (int16 words; store big-endian in a `1PI` column).
 * @throws CodecError `BAD_ARGUMENT` if a value is outside 0..2^24-1.
 *
 * @example
 * ```ts
 * const words = plioEncode(Int32Array.of(0, 0, 5, 5, 5, 0), 6);
 * ```
 */
export function plioEncode(values: Int32Array, npix: number): Int16Array {
  if (!Number.isInteger(npix) || npix < 0) {
    throw new CodecError("BAD_ARGUMENT", `PLIO: pixel count must be a non-negative integer, got ${npix}`);
  }
  if (values.length < npix) {
    throw new CodecError("BAD_ARGUMENT", `PLIO: ${values.length} values given, need ${npix}`);
  }
  for (let i = 0; i < npix; i++) {
    const v = values[i]!;
    if (v < 0 || v > PLIO_MAX_VALUE) {
      throw new CodecError("BAD_ARGUMENT", `PLIO: pixel ${i} = ${v} is outside 0..${PLIO_MAX_VALUE}`);
    }
  }
  // Worst case 3 words per pixel (set-high pair + one-pixel run) plus the header.
  const ll = new Int16Array(7 + 3 * npix + 2);
  ll[0] = 0;
  ll[1] = 7;
  ll[2] = -100;
  let op = 7;
  if (npix > 0) {
    let hi = 1;
    let pv = values[0]!;
    let nv = 0;
    let x1 = 0; // start of the current non-zero run
    let iz = 0; // start of the zeros preceding it
    const xe = npix - 1;
    for (let ip = 0; ip <= xe; ip++) {
      if (ip < xe) {
        nv = values[ip + 1]!;
        if (nv === pv) continue;
        if (pv === 0) {
          // end of a zero run: it becomes the prefix of the next run
          pv = nv;
          x1 = ip + 1;
          continue;
        }
      } else if (pv === 0) {
        x1 = xe + 1;
      }
      let np = ip - x1 + 1;
      let nz = x1 - iz;
      let done = false;
      if (pv > 0) {
        const dv = pv - hi;
        if (dv !== 0) {
          hi = pv;
          if (dv > 4095 || dv < -4095) {
            ll[op++] = (pv & 4095) + 4096; // SH
            ll[op++] = pv >> 12;
          } else {
            ll[op++] = dv < 0 ? -dv + 12288 : dv + 8192; // DH / IH
            if (np === 1 && nz === 0) {
              ll[op - 1] = ll[op - 1]! | 16384; // -> DS / IS: also emits the pixel
              done = true;
            }
          }
        }
      }
      if (!done && nz > 0) {
        while (nz > 0) {
          ll[op++] = Math.min(nz, 4095); // ZN
          nz -= 4095;
        }
        if (np === 1 && pv > 0 && ll[op - 1]! < 4095) {
          ll[op - 1] = ll[op - 1]! + 20481; // ZN n -> PN n+1: zeros then the pixel
          done = true;
        }
      }
      if (!done) {
        while (np > 0) {
          ll[op++] = Math.min(np, 4095) + 16384; // HN
          np -= 4095;
        }
      }
      x1 = ip + 1;
      iz = x1;
      pv = nv;
    }
  }
  ll[3] = op % 32768;
  ll[4] = Math.floor(op / 32768);
  return ll.slice(0, op);
}
