/**
 * Typed errors raised by the afw geometry and image model.
 *
 * Every error carries a machine-readable {@link AfwErrorCode} and a message that names the
 * offending values (coordinates, boxes, plane names, dtypes), so callers can both branch on
 * `err.code` and show the message to a user unchanged.
 */

/** Machine-readable reason for an {@link AfwError}. */
export type AfwErrorCode =
  /** A pixel position or box lies (partly) outside an image or allowed range. */
  | "OUT_OF_BOUNDS"
  /** Two images/boxes/arrays that must have the same dimensions do not. */
  | "SIZE_MISMATCH"
  /** An argument has an invalid value (non-integer coordinate, negative size, bad latitude...). */
  | "INVALID_ARGUMENT"
  /** A value does not fit the 32-bit integer range used by boxes and masks. */
  | "OVERFLOW"
  /** All 32 mask planes are in use; no new plane can be added. */
  | "MASK_PLANES_FULL"
  /** A mask plane name is not in the mask-plane dictionary. */
  | "MASK_PLANE_NOT_FOUND"
  /** Two masks combined in one operation use incompatible mask-plane dictionaries. */
  | "MASK_DICT_MISMATCH"
  /** An unsupported or mismatched pixel dtype. */
  | "DTYPE_MISMATCH";

/**
 * The error class thrown by `@skystack/afw` geometry and image code.
 *
 * @example
 * try { image.get(5000, 2) } catch (e) { if (e instanceof AfwError && e.code === "OUT_OF_BOUNDS") ... }
 */
export class AfwError extends Error {
  /** Machine-readable reason, stable across releases. */
  readonly code: AfwErrorCode;

  /**
   * @param code machine-readable reason
   * @param message human-readable message naming the offending values
   */
  constructor(code: AfwErrorCode, message: string) {
    super(message);
    this.name = "AfwError";
    this.code = code;
  }
}
