/**
 * PipelineTask (pipe_base PipelineTask): a task whose `run()` is a pure function of in-memory
 * inputs, with declared input/output connections (dataset type, storage class, dimensions) so a
 * pipeline can be planned into quanta and executed by the butler.
 */
import type { AnyConfigSchema } from "../config/index.js";
import { Task, type TaskClass } from "./task.js";

/**
 * In-memory types per storage class name. Packages add their own by declaration merging:
 * `declare module "@skystack/pipe" { interface StorageClassTypes { SourceCatalog: MyCatalog } }`.
 */
export interface StorageClassTypes {
  /** An afw Exposure (FITS in the LSST layout). */
  Exposure: import("@skystack/afw").Exposure<import("@skystack/afw").PixelArray>;
  /** A raw image HDU read as an Exposure (image plane and header metadata only). */
  RawExposure: import("@skystack/afw").Exposure<Float32Array>;
  /** A FITS binary table: columns in, {@link import("@skystack/afw").FitsTable} out. */
  Catalog: CatalogData;
  /** Any JSON-encodable value. */
  StructuredData: unknown;
}

/** A catalog as the Catalog storage class writes it (afw `ColumnInput`s) and reads it (a FitsTable). */
export type CatalogData = { columns: readonly import("@skystack/afw").ColumnInput[] } | import("@skystack/afw").FitsTable;

/** A declared input or output of a PipelineTask. */
export interface Connection {
  /** Dataset type name, e.g. "calexp". */
  readonly datasetType: string;
  /** Storage class name, e.g. "Exposure". */
  readonly storageClass: string;
  /** Dimensions of the dataset type, e.g. ["instrument", "visit", "detector"]. */
  readonly dimensions: readonly string[];
  /** Several datasets per quantum (e.g. all visits for a coadd); `run` gets an array. */
  readonly multiple?: boolean;
  /** What the dataset is. */
  readonly doc?: string;
}

/** Inputs and outputs of a PipelineTask, by connection name. */
export interface Connections {
  /** Datasets read. */
  readonly inputs: Readonly<Record<string, Connection>>;
  /** Datasets written (their dimensions must be a subset of the task's). */
  readonly outputs: Readonly<Record<string, Connection>>;
}

type TypeOf<C extends Connection> = C["storageClass"] extends keyof StorageClassTypes
  ? StorageClassTypes[C["storageClass"]]
  : unknown;
type One<C extends Connection> = C["multiple"] extends true ? TypeOf<C>[] : TypeOf<C>;

/** The `run()` input object of a task with connections `C`. */
export type InputsOf<C extends Connections> = { [K in keyof C["inputs"]]: One<C["inputs"][K]> };
/** The `run()` result object of a task with connections `C`. */
export type OutputsOf<C extends Connections> = { [K in keyof C["outputs"]]: One<C["outputs"][K]> };

/** Data id values by dimension name. */
export type DataIdValues = Readonly<Record<string, string | number>>;

/**
 * Base class of pipeline tasks. Subclasses declare `static connections` and `static dimensions`
 * (the quantum's dimensions) and implement `run(inputs, dataId)`.
 */
export abstract class PipelineTask<S extends AnyConfigSchema, C extends Connections = Connections> extends Task<S> {
  /** Runs on one quantum's in-memory inputs and returns its outputs by connection name. */
  abstract run(inputs: InputsOf<C>, dataId: DataIdValues): Promise<OutputsOf<C>>;
}

/** The static side of a pipeline task class. */
export interface PipelineTaskClass extends TaskClass<PipelineTask<AnyConfigSchema, Connections>> {
  /** Inputs and outputs. */
  readonly connections: Connections;
  /** Dimensions of one quantum, e.g. ["instrument", "visit", "detector"]. */
  readonly dimensions: readonly string[];
}

/** Checks a pipeline task class's declarations; throws naming the class and the connection. */
export function checkPipelineTaskClass(cls: unknown, name: string): asserts cls is PipelineTaskClass {
  if (typeof cls !== "function") throw new Error(`${name} is not a class`);
  const c = cls as unknown as Partial<PipelineTaskClass>;
  if (!c.ConfigSchema || typeof c.defaultName !== "string")
    throw new Error(`${name} lacks static ConfigSchema/defaultName (is it a Task?)`);
  if (!c.connections || !Array.isArray(c.dimensions))
    throw new Error(`${name} lacks static connections/dimensions (is it a PipelineTask?)`);
  const dims = new Set(c.dimensions);
  for (const [k, o] of Object.entries(c.connections.outputs)) {
    for (const d of o.dimensions)
      if (!dims.has(d))
        throw new Error(
          `${name}: output ${k} (${o.datasetType}) has dimension ${d}, which the task's dimensions [${c.dimensions.join(", ")}] lack`,
        );
    if (o.multiple) throw new Error(`${name}: output ${k} cannot be multiple`);
  }
}
