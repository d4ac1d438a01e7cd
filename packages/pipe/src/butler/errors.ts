/** Error codes of the butler and registry. */
export type ButlerErrorCode =
  | "NOT_A_REPO"
  | "REPO_EXISTS"
  | "BAD_DATA_ID"
  | "UNKNOWN_DIMENSION"
  | "UNKNOWN_DATASET_TYPE"
  | "DATASET_TYPE_CONFLICT"
  | "UNKNOWN_COLLECTION"
  | "COLLECTION_TYPE"
  | "NOT_FOUND"
  | "CONFLICT"
  | "CORRUPT"
  | "BAD_WHERE"
  | "STORAGE_CLASS"
  | "INGEST";

/** A butler/registry failure, with a code and the repository, dataset or expression it concerns. */
export class ButlerError extends Error {
  constructor(
    /** What kind of failure. */
    readonly code: ButlerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ButlerError";
  }
}
