/** Typed errors of @skystack/obs-cfht: each names the file, HDU or card that is wrong. */

/** What went wrong. */
export type CfhtErrorCode =
  /** A required header card is missing. */
  | "MISSING_CARD"
  /** A header card has an unusable value. */
  | "BAD_CARD"
  /** The file has no such CCD extension. */
  | "NO_SUCH_CCD"
  /** The file is not in the expected MegaCam format. */
  | "BAD_FORMAT";

/** Error thrown by the MegaCam camera package. */
export class CfhtError extends Error {
  /** Machine-readable reason. */
  readonly code: CfhtErrorCode;
  constructor(code: CfhtErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CfhtError";
    this.code = code;
  }
}
