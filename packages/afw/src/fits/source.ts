import { FitsError } from "./errors.js";

/**
 * Random-access bytes of a FITS file. Reads may be served from disk, memory or a decompressing
 * stream; the FITS layer only ever asks for the byte ranges it needs.
 */
export interface ByteSource {
  /** File name or label, used in error messages. */
  readonly name: string;
  /** Total size in bytes, or undefined when it is only known after reading to the end (streamed gzip). */
  readonly size: number | undefined;
  /** Outer compression of the file: "none", "gzip" or "bzip2". */
  readonly compression: "none" | "gzip" | "bzip2";
  /**
   * Reads `length` bytes at `offset` (bytes). Returns fewer bytes only when the data end first.
   * Never allocates more than the bytes actually available.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: reads `dst.length` bytes at `offset` straight into `dst` (no intermediate buffer);
   * returns the number of bytes read (fewer only when the data end first).
   */
  readInto?(offset: number, dst: Uint8Array): Promise<number>;
  /** Releases file handles. */
  close(): Promise<void>;
}

/** A byte source over bytes already in memory (no copies: reads are views). */
export class MemorySource implements ByteSource {
  readonly size: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly name = "<memory>",
    readonly compression: "none" | "gzip" | "bzip2" = "none",
  ) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset >= this.bytes.length) return new Uint8Array(0);
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
  async readInto(offset: number, dst: Uint8Array): Promise<number> {
    const part = await this.read(offset, dst.length);
    dst.set(part);
    return part.length;
  }
  async close(): Promise<void> {}
}

/** Magic-number sniffing of the first bytes of a file. */
export function sniffCompression(head: Uint8Array, name: string): "none" | "gzip" | "bzip2" {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return "bzip2";
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x9d) {
    throw new FitsError("UNSUPPORTED", "Unix compress (.Z) files are not supported; decompress with `uncompress` first", {
      file: name,
    });
  }
  return "none";
}
