import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { checksumOf, encodeChecksum, OnesComplementSum, onesComplementAdd } from "./checksum.js";
import { FitsError } from "./errors.js";
import { BLOCK_SIZE, type Header } from "./header.js";
import { bitpixFor, makeImageHeader } from "./image-header.js";
import { copyToBigEndian, elementSize, type FitsPixelArray } from "./pixels.js";
import { type CompressImageOptions, compressImageHdu } from "./tiled-write.js";

/** An HDU given as a complete header and its data bytes (already big-endian). */
export interface RawHdu {
  /** Complete header, structural keywords first (SIMPLE or XTENSION, BITPIX, NAXIS...). */
  header: Header;
  /** Data bytes, or a list of chunks written in order; padding is added by the writer. */
  data?: Uint8Array | readonly Uint8Array[];
  /** Byte used to pad the data to 2880 (0, or 0x20 for ASCII tables). */
  padByte?: number;
}

/** Options for {@link FitsWriter.writeImage}. */
export interface WriteImageOptions {
  /** Extra header cards (WCS, metadata...); structural keywords are generated. */
  header?: Header | undefined;
  /** EXTNAME of the HDU. */
  extname?: string | undefined;
}

const CHUNK_ELEMENTS = 1 << 18;
/** Size of the buffer small data chunks are gathered into before a write, bytes. */
const BATCH_BYTES = 4 << 20;

/**
 * Writes a FITS file HDU by HDU, atomically: everything goes to a temporary file in the same
 * directory, which is renamed over `path` only by {@link close}. {@link abort} (or any error while
 * writing) removes the temporary file, so a half-written file never appears under `path`.
 *
 * @example
 * const w = await FitsWriter.create("out.fits");
 * await w.writeImage(new Float32Array(100 * 50), [100, 50], { extname: "IMAGE" });
 * await w.close();
 */
export class FitsWriter {
  private hduCount = 0;
  private offset = 0;
  private closed = false;
  /** The HDU being written: its header, where it starts, and the running sum of its data. */
  private current: { header: Header; offset: number; length: number; sum: OnesComplementSum; bytes: number } | undefined;

  private constructor(
    private readonly handle: FileHandle,
    /** Final path of the file. */
    readonly path: string,
    private readonly tempPath: string,
    /** Write DATASUM and CHECKSUM cards in every HDU. */
    readonly checksum: boolean,
  ) {}

  /**
   * Starts writing a new file (nothing appears at `path` until {@link close}). With
   * `checksum: true` every HDU gets DATASUM and CHECKSUM cards (the FITS checksum convention).
   */
  static async create(path: string, options: { checksum?: boolean } = {}): Promise<FitsWriter> {
    const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    let handle: FileHandle;
    try {
      handle = await open(temp, "wx");
    } catch (e) {
      throw new FitsError("IO", `cannot create: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    return new FitsWriter(handle, path, temp, options.checksum ?? false);
  }

  /** Number of HDUs written so far. */
  get count(): number {
    return this.hduCount;
  }

  private async put(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += bytes.length;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new FitsError("BAD_ARGUMENT", "writer is already closed", { file: this.path });
    try {
      return await work();
    } catch (e) {
      await this.abort();
      if (e instanceof FitsError) throw e;
      throw new FitsError("IO", `write failed: ${(e as Error).message}`, { file: this.path, hdu: this.hduCount }, { cause: e });
    }
  }

  private async ensurePrimary(next: Header): Promise<void> {
    if (this.hduCount === 0 && next.cards[0]?.keyword !== "SIMPLE") {
      await this.writeHeaderAndData(makeImageHeader({ primary: true, bitpix: 8, shape: [] }), []);
    }
  }

  private async writeHeaderAndData(header: Header, chunks: readonly Uint8Array[], padByte = 0): Promise<void> {
    const first = header.cards[0]?.keyword;
    if (first !== (this.hduCount === 0 ? "SIMPLE" : "XTENSION")) {
      throw new FitsError(
        "BAD_HEADER",
        `HDU ${this.hduCount} header must start with ${this.hduCount === 0 ? "SIMPLE" : "XTENSION"}, not ${first ?? "nothing"}`,
        { file: this.path, hdu: this.hduCount },
      );
    }
    await this.beginHdu(header);
    // Coalesce small chunks (e.g. thousands of compressed tiles) into few large writes.
    const batch = new Uint8Array(BATCH_BYTES);
    let filled = 0;
    for (const c of chunks) {
      if (c.length >= BATCH_BYTES / 4) {
        if (filled > 0) await this.putData(batch.subarray(0, filled));
        filled = 0;
        await this.putData(c);
        continue;
      }
      if (filled + c.length > BATCH_BYTES) {
        await this.putData(batch.subarray(0, filled));
        filled = 0;
      }
      batch.set(c, filled);
      filled += c.length;
    }
    if (filled > 0) await this.putData(batch.subarray(0, filled));
    await this.endHdu(padByte);
  }

  /** Writes an HDU's header (with checksum placeholders when asked) and starts its data. */
  private async beginHdu(header: Header): Promise<void> {
    let h = header;
    if (this.checksum) {
      h = header.clone();
      h.set("CHECKSUM", "0000000000000000", { comment: "HDU checksum" });
      h.set("DATASUM", "0", { comment: "data unit checksum" });
    }
    const bytes = h.toBytes();
    this.current = { header: h, offset: this.offset, length: bytes.length, sum: new OnesComplementSum(), bytes: 0 };
    await this.put(bytes);
  }

  /** Appends data bytes to the current HDU. */
  private async putData(bytes: Uint8Array): Promise<void> {
    if (this.checksum) this.current?.sum.update(bytes);
    if (this.current) this.current.bytes += bytes.length;
    await this.put(bytes);
  }

  /** Pads the data to a whole block, fills in the checksums, and closes the HDU. */
  private async endHdu(padByte: number): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    const rem = cur.bytes % BLOCK_SIZE;
    if (rem !== 0) await this.putData(new Uint8Array(BLOCK_SIZE - rem).fill(padByte));
    if (this.checksum) {
      const datasum = cur.sum.value();
      cur.header.set("DATASUM", String(datasum));
      cur.header.set("CHECKSUM", "0000000000000000");
      const total = onesComplementAdd(checksumOf(cur.header.toBytes()), datasum);
      cur.header.set("CHECKSUM", encodeChecksum(total));
      const bytes = cur.header.toBytes();
      if (bytes.length !== cur.length) throw new FitsError("BAD_HEADER", "internal: header size changed while adding checksums");
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, cur.offset + done);
        done += bytesWritten;
      }
    }
    this.current = undefined;
    this.hduCount++;
  }

  /** Writes an HDU given as header + big-endian data bytes. A primary HDU is added first if needed. */
  async writeRaw(hdu: RawHdu): Promise<void> {
    await this.guard(async () => {
      await this.ensurePrimary(hdu.header);
      const chunks = hdu.data === undefined ? [] : hdu.data instanceof Uint8Array ? [hdu.data] : hdu.data;
      await this.writeHeaderAndData(hdu.header, chunks, hdu.padByte ?? 0);
    });
  }

  /**
   * Writes an image: the primary HDU if it is the first, else an IMAGE extension. BITPIX follows
   * the array type (unsigned arrays use the BZERO convention). Pixels are converted to big-endian
   * in small chunks, so memory stays near the size of the image itself.
   */
  async writeImage(data: FitsPixelArray, shape: readonly number[], options: WriteImageOptions = {}): Promise<void> {
    await this.guard(async () => {
      let n = shape.length === 0 ? 0 : 1;
      for (const s of shape) n *= s;
      if (n !== data.length) {
        throw new FitsError("BAD_ARGUMENT", `shape ${JSON.stringify(shape)} has ${n} pixels but the array has ${data.length}`, {
          file: this.path,
          hdu: this.hduCount,
        });
      }
      const { bitpix, bzero } = bitpixFor(data);
      const stored = bzero === undefined ? data : toStoredSigned(data);
      const header = makeImageHeader({
        primary: this.hduCount === 0,
        bitpix,
        shape,
        bzero,
        extra: options.header,
        extname: options.extname,
      });
      await this.beginHdu(header);
      const size = elementSize(stored);
      const buf = new Uint8Array(Math.min(n, CHUNK_ELEMENTS) * size);
      for (let i = 0; i < n; i += CHUNK_ELEMENTS) {
        const m = Math.min(CHUNK_ELEMENTS, n - i);
        copyToBigEndian(stored, i, m, size, buf, 0);
        await this.putData(m * size === buf.length ? buf : buf.subarray(0, m * size));
      }
      await this.endHdu(0);
    });
  }

  /**
   * Writes a tile-compressed image HDU (RICE_1, GZIP_1/2, PLIO_1, HCOMPRESS_1; floats quantized
   * with dithering unless `quantizeMethod` is "NONE").
   */
  async writeCompressedImage(data: FitsPixelArray, shape: readonly number[], options: CompressImageOptions): Promise<void> {
    let hdu: RawHdu;
    try {
      hdu = compressImageHdu(data, shape, options);
    } catch (e) {
      await this.abort();
      throw e;
    }
    await this.writeRaw(hdu);
  }

  /** Flushes, closes and renames the temporary file to its final path. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.guard(async () => {
      if (this.hduCount === 0) await this.writeHeaderAndData(makeImageHeader({ primary: true, bitpix: 8, shape: [] }), []);
      await this.handle.sync();
    });
    this.closed = true;
    await this.handle.close();
    try {
      await rename(this.tempPath, this.path);
    } catch (e) {
      await unlink(this.tempPath).catch(() => {});
      throw new FitsError("IO", `cannot rename into place: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }

  /** Abandons the file: closes and deletes the temporary file; `path` is untouched. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => {});
    await unlink(this.tempPath).catch(() => {});
  }
}

/**
 * Maps unsigned arrays to the signed values FITS stores (value - 2^(n-1)), as a view-sized copy.
 */
function toStoredSigned(data: FitsPixelArray): FitsPixelArray {
  if (data instanceof Uint16Array) {
    const out = new Int16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ 0x8000;
    return out;
  }
  if (data instanceof Uint32Array) {
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ 0x80000000;
    return out;
  }
  if (data instanceof Int8Array) {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ 0x80;
    return out;
  }
  if (data instanceof BigUint64Array) {
    const out = new BigInt64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = BigInt.asIntN(64, data[i]! ^ 9223372036854775808n);
    return out;
  }
  return data;
}

/** Writes a whole FITS file from raw HDUs (see {@link RawHdu}), atomically. */
export async function writeFits(path: string, hdus: readonly RawHdu[], options: { checksum?: boolean } = {}): Promise<void> {
  const w = await FitsWriter.create(path, options);
  for (const h of hdus) await w.writeRaw(h);
  await w.close();
}
