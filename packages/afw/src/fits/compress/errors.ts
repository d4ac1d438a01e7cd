/**
 * Errors raised by the tile-compression codecs (RICE_1, PLIO_1, HCOMPRESS_1, GZIP_2 shuffling,
 * quantization).
 *
 * The codecs are pure functions on typed arrays and know nothing about files, HDUs or cards; the
 * tiled-image reader catches a {@link CodecError} and re-throws it with the file, HDU and tile row.
 */

/**
 * Machine-readable reason for a {@link CodecError}. The codecs here use the four named codes;
 * callers (e.g. the tiled-image reader) may use their own strings.
 */
export type CodecErrorCode =
  /** The compressed stream ended before all pixels were decoded. */
  | "TRUNCATED"
  /** The compressed stream holds a value no valid encoder produces (bad magic, bad code, bad size). */
  | "CORRUPT"
  /** A caller-supplied argument is invalid (size, block size, bytes per pixel, value range). */
  | "BAD_ARGUMENT"
  /** The stream is valid but needs more than this implementation supports (e.g. > 2^53 magnitudes). */
  | "UNSUPPORTED"
  | (string & {});

/**
 * A compressed tile could not be decoded, or pixels could not be encoded.
 *
 * @example
 * ```ts
 * try { riceDecode(bytes, out, 2112, 2, 32); }
 * catch (e) { if (e instanceof CodecError && e.code === "TRUNCATED") { ... } }
 * ```
 */
export class CodecError extends Error {
  /** Machine-readable reason, e.g. `"TRUNCATED"`. */
  readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    super(message);
    this.name = "CodecError";
    this.code = code;
  }
}
