/** Typed errors of @skystack/isr; each message names the step, amplifier, file or option at fault. */

/** What went wrong. */
export type IsrErrorCode =
  /** An option has an unusable value (names the option). */
  | "BAD_OPTION"
  /** Two images that must match in size do not. */
  | "SIZE_MISMATCH"
  /** A calibration product is missing or unusable. */
  | "BAD_CALIB"
  /** Not enough good pixels to fit or combine. */
  | "NO_DATA";

/** Error thrown by ISR functions. */
export class IsrError extends Error {
  /** Machine-readable reason. */
  readonly code: IsrErrorCode;
  constructor(code: IsrErrorCode, message: string) {
    super(message);
    this.name = "IsrError";
    this.code = code;
  }
}
