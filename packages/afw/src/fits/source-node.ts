import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { createRequire } from "node:module";
import { createGunzip, gunzipSync } from "node:zlib";
import { FitsError } from "./errors.js";
import { type ByteSource, MemorySource, sniffCompression } from "./source.js";

/** Options for {@link openByteSource}. */
export interface OpenSourceOptions {
  /**
   * Gzip files whose decompressed size (from the gzip trailer) is at most this many bytes are
   * decompressed into memory at once (fast random access); larger ones are streamed, keeping
   * memory near the size of what is read. Default 256 MiB.
   */
  gzipInMemoryLimit?: number;
}

/** Reads a local file with positional reads. */
export class FileSource implements ByteSource {
  readonly compression = "none" as const;
  private constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  /** Opens `path` for reading. */
  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (e) {
      throw new FitsError("IO", `cannot open: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    const st = await handle.stat();
    return new FileSource(handle, path, st.size);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = new Uint8Array(n);
    const done = await this.readInto(offset, buf);
    return done < n ? buf.subarray(0, done) : buf;
  }

  async readInto(offset: number, dst: Uint8Array): Promise<number> {
    const n = Math.max(0, Math.min(dst.length, this.size - offset));
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(dst, done, n - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * Streams a gzip file, decompressing sequentially. Reading backwards restarts the stream; reads
 * allocate only what the stream actually delivers, so a lying header cannot make it allocate more.
 */
export class GzipStreamSource implements ByteSource {
  readonly compression = "gzip" as const;
  readonly size: number | undefined = undefined;
  private iterator: AsyncIterator<Buffer> | undefined;
  private stream: NodeJS.ReadableStream | undefined;
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;
  private ended = false;

  constructor(
    private readonly path: string,
    readonly name: string = path,
  ) {}

  private restart(): void {
    (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const file = createReadStream(this.path, { highWaterMark: 1 << 20 });
    file.on("error", (e) => gunzip.destroy(e));
    this.stream = file.pipe(gunzip);
    this.iterator = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.chunk = new Uint8Array(0);
    this.chunkStart = 0;
    this.ended = false;
  }

  private async nextChunk(): Promise<boolean> {
    if (this.ended || !this.iterator) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.iterator.next();
    } catch (e) {
      throw new FitsError("CORRUPT_DATA", `gzip stream is corrupt: ${(e as Error).message}`, { file: this.name }, { cause: e });
    }
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.chunkStart += this.chunk.length;
    this.chunk = r.value;
    return true;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!this.iterator || offset < this.chunkStart) this.restart();
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < length) {
      const want = offset + got;
      const end = this.chunkStart + this.chunk.length;
      if (want >= end) {
        if (!(await this.nextChunk())) break;
        continue;
      }
      const start = want - this.chunkStart;
      const n = Math.min(this.chunk.length - start, length - got);
      parts.push(this.chunk.subarray(start, start + n));
      got += n;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(got);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async close(): Promise<void> {
    (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
    this.iterator = undefined;
  }
}

let bunzip: { decode(input: Uint8Array): Uint8Array } | undefined;
function bzip2Decode(bytes: Uint8Array, name: string): Uint8Array {
  bunzip ??= createRequire(import.meta.url)("seek-bzip") as { decode(input: Uint8Array): Uint8Array };
  try {
    return bunzip.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new FitsError(
      "CORRUPT_DATA",
      `bzip2 data is corrupt: ${String((e as Error).message ?? e)}`,
      { file: name },
      {
        cause: e,
      },
    );
  }
}

/**
 * Opens a FITS file from a path or bytes, detecting gzip/bzip2 wrapping from the content (never
 * the file name).
 */
export async function openByteSource(
  input: string | Uint8Array | ArrayBuffer,
  options: OpenSourceOptions = {},
): Promise<ByteSource> {
  if (typeof input !== "string") {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const kind = sniffCompression(bytes.subarray(0, 4), "<memory>");
    if (kind === "gzip") return new MemorySource(gunzipChecked(bytes, "<memory>"), "<memory>", "gzip");
    if (kind === "bzip2") return new MemorySource(bzip2Decode(bytes, "<memory>"), "<memory>", "bzip2");
    return new MemorySource(bytes);
  }
  const file = await FileSource.open(input);
  const head = await file.read(0, 4);
  const kind = sniffCompression(head, input);
  if (kind === "none") return file;
  if (kind === "bzip2") {
    const all = await file.read(0, file.size);
    await file.close();
    return new MemorySource(bzip2Decode(all, input), input, "bzip2");
  }
  const limit = options.gzipInMemoryLimit ?? 256 * 1024 * 1024;
  const trailer = await file.read(Math.max(0, file.size - 4), 4);
  const isize = trailer.length === 4 ? new DataView(trailer.buffer, trailer.byteOffset, 4).getUint32(0, true) : 0;
  // The trailer holds the size modulo 2^32; a file whose compressed size exceeds it is bigger still.
  if (isize <= limit && file.size <= limit) {
    const all = await file.read(0, file.size);
    await file.close();
    try {
      return new MemorySource(gunzipChecked(all, input, limit), input, "gzip");
    } catch (e) {
      // A multi-member gzip's trailer only gives the last member's size: stream it after all.
      if (!(e instanceof FitsError && (e.cause as NodeJS.ErrnoException | undefined)?.code === "ERR_BUFFER_TOO_LARGE")) throw e;
      return new GzipStreamSource(input);
    }
  }
  await file.close();
  return new GzipStreamSource(input);
}

function gunzipChecked(bytes: Uint8Array, name: string, maxOutputLength?: number): Uint8Array {
  try {
    return gunzipSync(bytes, maxOutputLength ? { maxOutputLength: maxOutputLength + 1 } : {});
  } catch (e) {
    throw new FitsError("CORRUPT_DATA", `gzip data is corrupt: ${(e as Error).message}`, { file: name }, { cause: e });
  }
}
