/**
 * Writes multi-extension FITS files of 16-bit raw frames the way CCD controllers and fpack do:
 * a primary header with no data, then one RICE_1 tile-compressed extension per CCD (one tile per
 * row by default, BZERO = 32768 for unsigned 16-bit data), each with its own header cards.
 */
import { FitsWriter, type Header } from "@skystack/afw";

/** One extension of a raw MEF. */
export interface MefExtension {
  /** EXTNAME. */
  readonly extname: string;
  /** Cards of the CCD (section keys, gains...); structural/compression keys are generated. */
  readonly header: Header;
  /** Pixels, row-major (Uint16Array → BITPIX 16 with BZERO 32768; Float32Array → quantized or lossless). */
  readonly pixels: Uint16Array | Float32Array | Int16Array;
  /** [naxis1, naxis2]. */
  readonly shape: readonly [number, number];
}

/** Options of {@link writeMef}. */
export interface WriteMefOptions {
  /** Tile-compress (default true, RICE_1; floats use GZIP_2 lossless). */
  readonly compress?: boolean;
  /** Tile shape (default one row: [naxis1, 1]). */
  readonly tileShape?: readonly number[];
}

/** Writes a primary header and the extensions, atomically. Extensions are produced lazily. */
export async function writeMef(
  path: string,
  primary: Header,
  extensions: Iterable<MefExtension> | AsyncIterable<MefExtension>,
  options: WriteMefOptions = {},
): Promise<void> {
  const w = await FitsWriter.create(path);
  try {
    await w.writeImage(new Uint8Array(0), [], { header: primary });
    for await (const e of extensions) {
      const tile = options.tileShape ?? [e.shape[0], 1];
      if (options.compress ?? true) {
        const isFloat = e.pixels instanceof Float32Array;
        await w.writeCompressedImage(e.pixels, e.shape, {
          compression: isFloat ? "GZIP_2" : "RICE_1",
          quantizeMethod: isFloat ? "NONE" : undefined,
          tileShape: tile,
          header: e.header,
          extname: e.extname,
        });
      } else {
        await w.writeImage(e.pixels, e.shape, { header: e.header, extname: e.extname });
      }
    }
    await w.close();
  } catch (err) {
    await w.abort().catch(() => {});
    throw err;
  }
}
