/** The data butler: repository, registry, formatters, where expressions, raw ingest. */
export { createExclusive, sha256File, TEMP_PREFIX, writeFileAtomic } from "./atomic.js";
export { Butler, type Collection, type DatasetRef, type DatasetType, type PutOptions, type QueryOptions } from "./butler.js";
export {
  type DataId,
  DEFAULT_UNIVERSE,
  type DimensionType,
  type DimensionUniverse,
  dataIdKey,
  normalizeDataId,
  parseDataIdKey,
  projectDataId,
  sortDimensions,
} from "./dimensions.js";
export { ButlerError, type ButlerErrorCode } from "./errors.js";
export { type Formatter, getFormatter, type ReadLocation, registerStorageClass, storageClassNames } from "./formatters.js";
export {
  genericInstrument,
  type IngestOptions,
  type IngestResult,
  type Instrument,
  ingestRaws,
  loadInstrument,
  type RawDataset,
  registerInstrument,
  type TransferMode,
} from "./ingest.js";
export { makeProvenance, type Provenance, type ProvenanceInput, SOFTWARE_VERSION } from "./provenance.js";
export { compileWhere, evalWhere, parseWhere, type WhereExpr, whereDimensions } from "./where.js";
