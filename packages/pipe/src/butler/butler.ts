/**
 * The data butler: a repository on the local (or a shared) filesystem with a file-based
 * registry. Every dataset type, collection and dataset is one small JSON file created atomically,
 * so any number of threads, processes or Slurm jobs can write at once without a server or lock:
 *
 *   REPO/butler.json                                          repository marker + dimension universe
 *   REPO/registry/dataset-types/NAME.json                     created once (link), must match after
 *   REPO/registry/collections/ENC(NAME).json                  RUN (created once) or CHAINED (replaced)
 *   REPO/registry/datasets/ENC(RUN)/TYPE/DATAIDKEY.json       one record per dataset (the commit point)
 *   REPO/datastore/ENC(RUN)/TYPE/DATAIDKEY.ID8.ext            payload files
 *
 * A put writes the payload under a temporary name, fsyncs, renames it into place, then creates
 * the record with write-temp + link(2), which fails if the record exists. Killed before the link,
 * a put leaves no record (at most an unreferenced payload or temp file that {@link Butler.gc}
 * removes); a dataset is never registered twice because the record name is its (run, type, data id).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { createExclusive, sha256File, TEMP_PREFIX, tempPathFor, writeFileAtomic } from "./atomic.js";
import {
  type DataId,
  DEFAULT_UNIVERSE,
  type DimensionUniverse,
  dataIdKey,
  decodeName,
  encodeName,
  normalizeDataId,
  parseDataIdKey,
  sortDimensions,
} from "./dimensions.js";
import { ButlerError } from "./errors.js";
import { getFormatter } from "./formatters.js";
import { makeProvenance, type Provenance } from "./provenance.js";
import { compileWhere } from "./where.js";

/** A dataset type: name, storage class and dimensions. */
export interface DatasetType {
  /** Name, e.g. "calexp". */
  readonly name: string;
  /** Storage class, e.g. "Exposure". */
  readonly storageClass: string;
  /** Dimensions in canonical order. */
  readonly dimensions: readonly string[];
}

/** A collection: a RUN holds datasets; a CHAINED collection searches its children in order. */
export type Collection =
  | { readonly name: string; readonly type: "RUN" }
  | { readonly name: string; readonly type: "CHAINED"; readonly children: readonly string[] };

/** A registered dataset (the record file's content). */
export interface DatasetRef {
  /** Unique id (UUID). */
  readonly id: string;
  /** Dataset type name. */
  readonly datasetType: string;
  /** RUN collection. */
  readonly run: string;
  /** Normalized data id. */
  readonly dataId: DataId;
  /** Storage class used to write it. */
  readonly storageClass: string;
  /** Payload path, relative to the repository root (absolute for files ingested in place). */
  readonly path: string;
  /** HDU in the file, for multi-HDU raws. */
  readonly hdu?: number;
  /** SHA-256 of the payload file, hex. */
  readonly sha256: string;
  /** Payload size, bytes. */
  readonly size: number;
  /** When it was registered (ISO-8601 UTC). */
  readonly created: string;
  /** What produced it. */
  readonly provenance?: Provenance;
}

/** Options of {@link Butler.put}. */
export interface PutOptions {
  /** RUN collection to write into (created if needed). */
  run: string;
  /** Provenance (software/host/time are filled in when absent). */
  provenance?: Partial<Provenance>;
  /** If the dataset already exists in the run, return it instead of failing. */
  skipExisting?: boolean;
}

/** Options of {@link Butler.queryDatasets}. */
export interface QueryOptions {
  /** Collections to search, in order (CHAINED ones expanded). */
  collections: readonly string[];
  /** Where expression on data ids. */
  where?: string;
  /** Only the first match of each (type, data id) along the search path (default true). */
  findFirst?: boolean;
}

const FORMAT = "skystack-butler";

function recordFile(key: string): string {
  return `${key === "" ? "@" : key}.json`;
}

function keyOfRecordFile(name: string): string | undefined {
  if (!name.endsWith(".json") || name.startsWith(TEMP_PREFIX)) return undefined;
  const base = name.slice(0, -5);
  return base === "@" ? "" : base;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** A data repository. Open one with {@link Butler.open} or make one with {@link Butler.create}. */
export class Butler {
  private readonly typeCache = new Map<string, DatasetType>();
  private readonly knownRuns = new Set<string>();

  private constructor(
    /** Absolute path of the repository. */
    readonly root: string,
    /** Dimension names and types of this repository. */
    readonly universe: DimensionUniverse,
  ) {}

  /** Creates a new, empty repository at `root` (which must not already be one). */
  static async create(root: string, options: { universe?: DimensionUniverse } = {}): Promise<Butler> {
    const abs = resolve(root);
    await mkdir(abs, { recursive: true });
    const universe = options.universe ?? DEFAULT_UNIVERSE;
    const ok = await createExclusive(
      join(abs, "butler.json"),
      `${JSON.stringify({ format: FORMAT, version: 1, created: new Date().toISOString(), universe }, null, 1)}\n`,
    );
    if (!ok) throw new ButlerError("REPO_EXISTS", `${abs} is already a butler repository`);
    for (const d of ["registry/dataset-types", "registry/collections", "registry/datasets", "datastore"])
      await mkdir(join(abs, d), { recursive: true });
    return new Butler(abs, universe);
  }

  /** Opens an existing repository; throws {@link ButlerError} NOT_A_REPO if `root` is not one. */
  static async open(root: string): Promise<Butler> {
    const abs = resolve(root);
    let meta: { format?: string; universe?: DimensionUniverse };
    try {
      meta = await readJson(join(abs, "butler.json"));
    } catch (e) {
      throw new ButlerError(
        "NOT_A_REPO",
        `${abs} is not a butler repository (no readable butler.json; make one with 'skystack butler create')`,
        { cause: e },
      );
    }
    if (meta.format !== FORMAT || !meta.universe)
      throw new ButlerError("NOT_A_REPO", `${abs}/butler.json is not a skystack butler config`);
    return new Butler(abs, meta.universe);
  }

  // ---- dataset types -------------------------------------------------------------------------

  /** Registers a dataset type, or checks that an existing one has the same definition. */
  async registerDatasetType(dt: DatasetType): Promise<DatasetType> {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(dt.name))
      throw new ButlerError("UNKNOWN_DATASET_TYPE", `bad dataset type name ${JSON.stringify(dt.name)}`);
    getFormatter(dt.storageClass);
    const norm: DatasetType = {
      name: dt.name,
      storageClass: dt.storageClass,
      dimensions: sortDimensions(this.universe, dt.dimensions),
    };
    const path = join(this.root, "registry", "dataset-types", `${dt.name}.json`);
    const created = await createExclusive(path, `${JSON.stringify(norm)}\n`);
    if (!created) {
      const existing = await this.getDatasetType(dt.name);
      if (existing.storageClass !== norm.storageClass || existing.dimensions.join() !== norm.dimensions.join()) {
        throw new ButlerError(
          "DATASET_TYPE_CONFLICT",
          `dataset type ${dt.name} is registered as ${existing.storageClass}[${existing.dimensions.join(", ")}], not ${norm.storageClass}[${norm.dimensions.join(", ")}]`,
        );
      }
      return existing;
    }
    this.typeCache.set(dt.name, norm);
    return norm;
  }

  /** A registered dataset type; throws UNKNOWN_DATASET_TYPE. */
  async getDatasetType(name: string): Promise<DatasetType> {
    const c = this.typeCache.get(name);
    if (c) return c;
    try {
      const dt = await readJson<DatasetType>(join(this.root, "registry", "dataset-types", `${name}.json`));
      this.typeCache.set(name, dt);
      return dt;
    } catch {
      throw new ButlerError("UNKNOWN_DATASET_TYPE", `dataset type ${name} is not registered in ${this.root}`);
    }
  }

  /** Every registered dataset type. */
  async datasetTypes(): Promise<DatasetType[]> {
    const names = (await listDir(join(this.root, "registry", "dataset-types"))).filter(
      (n) => n.endsWith(".json") && !n.startsWith(TEMP_PREFIX),
    );
    return Promise.all(names.sort().map((n) => this.getDatasetType(n.slice(0, -5))));
  }

  // ---- collections ---------------------------------------------------------------------------

  private collectionPath(name: string): string {
    return join(this.root, "registry", "collections", `${encodeName(name)}.json`);
  }

  /** Registers a RUN collection (no-op if it exists as a RUN). */
  async registerRun(name: string): Promise<void> {
    if (name.trim() === "") throw new ButlerError("UNKNOWN_COLLECTION", "a RUN collection needs a name");
    if (this.knownRuns.has(name) && existsSync(this.collectionPath(name))) return;
    const created = await createExclusive(this.collectionPath(name), `${JSON.stringify({ name, type: "RUN" })}\n`);
    if (!created) {
      const c = await this.getCollection(name);
      if (c.type !== "RUN") throw new ButlerError("COLLECTION_TYPE", `collection ${name} is ${c.type}, not a RUN`);
    }
    this.knownRuns.add(name);
  }

  /** Defines (or redefines) a CHAINED collection searching `children` in order. */
  async setChain(name: string, children: readonly string[]): Promise<void> {
    const existing = await this.findCollection(name);
    if (existing && existing.type !== "CHAINED")
      throw new ButlerError("COLLECTION_TYPE", `collection ${name} is a ${existing.type}, not CHAINED`);
    for (const c of children)
      if (!(await this.findCollection(c)))
        throw new ButlerError("UNKNOWN_COLLECTION", `chain ${name}: child collection ${c} does not exist`);
    await writeFileAtomic(this.collectionPath(name), `${JSON.stringify({ name, type: "CHAINED", children })}\n`);
    await this.resolveCollections([name]); // rejects cycles
  }

  /** A collection, or undefined. */
  async findCollection(name: string): Promise<Collection | undefined> {
    try {
      return await readJson<Collection>(this.collectionPath(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new ButlerError("CORRUPT", `collection record for ${name} is unreadable`, { cause: e });
    }
  }

  /** A collection; throws UNKNOWN_COLLECTION. */
  async getCollection(name: string): Promise<Collection> {
    const c = await this.findCollection(name);
    if (!c) throw new ButlerError("UNKNOWN_COLLECTION", `collection ${name} does not exist in ${this.root}`);
    return c;
  }

  /** Every collection, sorted by name. */
  async collections(): Promise<Collection[]> {
    const names = (await listDir(join(this.root, "registry", "collections"))).filter(
      (n) => n.endsWith(".json") && !n.startsWith(TEMP_PREFIX),
    );
    return Promise.all(
      names
        .map((n) => decodeName(n.slice(0, -5)))
        .sort()
        .map((n) => this.getCollection(n)),
    );
  }

  /** The RUN collections a search path expands to, in order, without repeats; rejects cycles. */
  async resolveCollections(names: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    const walk = async (name: string, stack: string[]): Promise<void> => {
      if (stack.includes(name))
        throw new ButlerError("COLLECTION_TYPE", `collection chain cycle: ${[...stack, name].join(" -> ")}`);
      const c = await this.getCollection(name);
      if (c.type === "RUN") {
        if (!out.includes(name)) out.push(name);
      } else for (const child of c.children) await walk(child, [...stack, name]);
    };
    for (const n of names) await walk(n, []);
    return out;
  }

  // ---- datasets ------------------------------------------------------------------------------

  private recordDir(run: string, datasetType: string): string {
    return join(this.root, "registry", "datasets", encodeName(run), datasetType);
  }

  private async readRecord(path: string): Promise<DatasetRef | undefined> {
    try {
      return await readJson<DatasetRef>(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new ButlerError("CORRUPT", `dataset record ${path} is unreadable: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Normalizes a data id for a dataset type (types from the universe; all dimensions present). */
  async normalize(datasetType: string, dataId: Record<string, unknown>): Promise<DataId> {
    const dt = await this.getDatasetType(datasetType);
    return normalizeDataId(this.universe, dt.dimensions, dataId, `dataset type ${datasetType}`);
  }

  /**
   * Writes a dataset and registers it (see the module doc for the atomic protocol). Throws
   * {@link ButlerError} CONFLICT if it already exists in the run (unless `skipExisting`).
   */
  async put(value: unknown, datasetType: string, dataId: Record<string, unknown>, options: PutOptions): Promise<DatasetRef> {
    const dt = await this.getDatasetType(datasetType);
    const id = normalizeDataId(this.universe, dt.dimensions, dataId, `put ${datasetType}`);
    await this.registerRun(options.run);
    const key = dataIdKey(id);
    const recPath = join(this.recordDir(options.run, datasetType), recordFile(key));
    if (existsSync(recPath)) {
      const existing = await this.readRecord(recPath);
      if (existing && options.skipExisting) return existing;
      throw new ButlerError("CONFLICT", `dataset ${datasetType}@{${key}} already exists in run ${options.run}`);
    }
    const formatter = getFormatter(dt.storageClass);
    const uuid = randomUUID();
    const rel = join(
      "datastore",
      encodeName(options.run),
      datasetType,
      `${key === "" ? "@" : key}.${uuid.slice(0, 8)}${formatter.extension}`,
    );
    const final = join(this.root, rel);
    await mkdir(join(final, ".."), { recursive: true });
    const tmp = tempPathFor(final);
    try {
      await formatter.write(tmp, value);
      const { sha256, size } = await sha256File(tmp);
      await rename(tmp, final);
      const ref: DatasetRef = {
        id: uuid,
        datasetType,
        run: options.run,
        dataId: id,
        storageClass: dt.storageClass,
        path: rel,
        sha256,
        size,
        created: new Date().toISOString(),
        provenance: { ...makeProvenance(), ...options.provenance },
      };
      if (await createExclusive(recPath, `${JSON.stringify(ref)}\n`)) return ref;
      await unlink(final).catch(() => {});
      const existing = await this.readRecord(recPath);
      if (existing && options.skipExisting) return existing;
      throw new ButlerError("CONFLICT", `dataset ${datasetType}@{${key}} was registered in run ${options.run} by another writer`);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw e;
    }
  }

  /** Registers an existing file as a dataset (used by ingest); false if it was already registered. */
  async registerFile(ref: Omit<DatasetRef, "id" | "created">): Promise<DatasetRef | undefined> {
    await this.registerRun(ref.run);
    const dt = await this.getDatasetType(ref.datasetType);
    const dataId = normalizeDataId(this.universe, dt.dimensions, ref.dataId, `ingest ${ref.datasetType}`);
    const full: DatasetRef = { ...ref, dataId, id: randomUUID(), created: new Date().toISOString() };
    const recPath = join(this.recordDir(ref.run, ref.datasetType), recordFile(dataIdKey(dataId)));
    return (await createExclusive(recPath, `${JSON.stringify(full)}\n`)) ? full : undefined;
  }

  /** The dataset in exactly this run, or undefined. */
  async findInRun(datasetType: string, dataId: Record<string, unknown>, run: string): Promise<DatasetRef | undefined> {
    const id = await this.normalize(datasetType, dataId);
    return this.readRecord(join(this.recordDir(run, datasetType), recordFile(dataIdKey(id))));
  }

  /** The first dataset along the collection search path, or undefined. */
  async find(
    datasetType: string,
    dataId: Record<string, unknown>,
    collections: readonly string[],
  ): Promise<DatasetRef | undefined> {
    for (const run of await this.resolveCollections(collections)) {
      const r = await this.findInRun(datasetType, dataId, run);
      if (r) return r;
    }
    return undefined;
  }

  /** Absolute path of a dataset's payload. */
  pathOf(ref: DatasetRef): string {
    return isAbsolute(ref.path) ? ref.path : join(this.root, ref.path);
  }

  /**
   * Reads a dataset, given its ref or (type, data id, collections). `verify` re-checks the
   * payload's SHA-256 first (CORRUPT on mismatch).
   */
  async get<T = unknown>(ref: DatasetRef, options?: { verify?: boolean }): Promise<T>;
  async get<T = unknown>(
    datasetType: string,
    dataId: Record<string, unknown>,
    options: { collections: readonly string[]; verify?: boolean },
  ): Promise<T>;
  async get<T = unknown>(
    a: DatasetRef | string,
    b?: Record<string, unknown> | { verify?: boolean },
    c?: { collections: readonly string[]; verify?: boolean },
  ): Promise<T> {
    let ref: DatasetRef;
    let verify: boolean;
    if (typeof a === "string") {
      const found = await this.find(a, b as Record<string, unknown>, c!.collections);
      if (!found)
        throw new ButlerError(
          "NOT_FOUND",
          `dataset ${a}@{${dataIdKey(await this.normalize(a, b as Record<string, unknown>))}} not found in collections [${c!.collections.join(", ")}]`,
        );
      ref = found;
      verify = c!.verify === true;
    } else {
      ref = a;
      verify = (b as { verify?: boolean } | undefined)?.verify === true;
    }
    const path = this.pathOf(ref);
    if (verify) {
      const { sha256 } = await sha256File(path);
      if (sha256 !== ref.sha256)
        throw new ButlerError(
          "CORRUPT",
          `dataset ${ref.datasetType}@{${dataIdKey(ref.dataId)}} in ${ref.run}: ${path} has SHA-256 ${sha256}, registered ${ref.sha256}`,
        );
    }
    return (await getFormatter(ref.storageClass).read(path, { hdu: ref.hdu })) as T;
  }

  /** Datasets of the given types (or every type with "*") in the collections, filtered by `where`. */
  async queryDatasets(datasetTypes: string | readonly string[], options: QueryOptions): Promise<DatasetRef[]> {
    const types =
      datasetTypes === "*"
        ? (await this.datasetTypes()).map((t) => t.name)
        : typeof datasetTypes === "string"
          ? [datasetTypes]
          : [...datasetTypes];
    for (const t of types) await this.getDatasetType(t);
    const keep = compileWhere(options.where ?? "", Object.keys(this.universe));
    const runs = await this.resolveCollections(options.collections);
    const findFirst = options.findFirst !== false;
    const out: DatasetRef[] = [];
    for (const t of types) {
      const seen = new Set<string>();
      for (const run of runs) {
        const dir = this.recordDir(run, t);
        const names = (await listDir(dir)).sort();
        for (const n of names) {
          const key = keyOfRecordFile(n);
          if (key === undefined) continue;
          if (findFirst && seen.has(key)) continue;
          if (!keep(parseDataIdKey(this.universe, key))) continue;
          const rec = await this.readRecord(join(dir, n));
          if (!rec) continue;
          seen.add(key);
          out.push(rec);
        }
      }
    }
    return out;
  }

  /**
   * Removes RUN collections with their datasets and files. A run that a chain still lists is
   * refused unless `unlinkFromChains` (then it is taken out of those chains).
   */
  async removeRuns(names: readonly string[], options: { unlinkFromChains?: boolean } = {}): Promise<number> {
    let removed = 0;
    const chains = (await this.collections()).filter((c): c is Extract<Collection, { type: "CHAINED" }> => c.type === "CHAINED");
    for (const name of names) {
      const c = await this.getCollection(name);
      if (c.type !== "RUN")
        throw new ButlerError("COLLECTION_TYPE", `collection ${name} is ${c.type}; remove-runs removes RUN collections only`);
      const users = chains.filter((ch) => ch.children.includes(name));
      if (users.length > 0 && !options.unlinkFromChains)
        throw new ButlerError(
          "CONFLICT",
          `run ${name} is in chained collection(s) ${users.map((u) => u.name).join(", ")}; pass unlinkFromChains to take it out`,
        );
      for (const u of users)
        await writeFileAtomic(
          this.collectionPath(u.name),
          `${JSON.stringify({ ...u, children: u.children.filter((x) => x !== name) })}\n`,
        );
      // Records first (renamed away atomically, so no reader sees half a run), then files.
      const recDir = join(this.root, "registry", "datasets", encodeName(name));
      const trash = join(this.root, "registry", `${TEMP_PREFIX}trash-${randomUUID()}`);
      if (existsSync(recDir)) {
        for (const t of await listDir(recDir))
          removed += (await listDir(join(recDir, t))).filter((n) => keyOfRecordFile(n) !== undefined).length;
        await rename(recDir, trash);
        await rm(trash, { recursive: true, force: true });
      }
      await rm(join(this.root, "datastore", encodeName(name)), { recursive: true, force: true });
      await unlink(this.collectionPath(name));
    }
    return removed;
  }

  /**
   * Checks every record of the given runs (default all): payload present, size and SHA-256 as
   * registered. Returns one message per problem (empty when all is well).
   */
  async verify(runs?: readonly string[]): Promise<string[]> {
    const problems: string[] = [];
    const all = runs ?? (await this.collections()).filter((c) => c.type === "RUN").map((c) => c.name);
    for (const run of all) {
      for (const ref of await this.queryDatasets("*", { collections: [run] })) {
        try {
          const { sha256, size } = await sha256File(this.pathOf(ref));
          if (size !== ref.size || sha256 !== ref.sha256)
            problems.push(`${ref.datasetType}@{${dataIdKey(ref.dataId)}} in ${run}: payload changed`);
        } catch (e) {
          problems.push(`${ref.datasetType}@{${dataIdKey(ref.dataId)}} in ${run}: ${(e as Error).message}`);
        }
      }
    }
    return problems;
  }

  /**
   * Removes leftovers of interrupted writers: temporary files, and payload files no record points
   * to, older than `olderThanSeconds` (default 3600, so live writers are not disturbed).
   */
  async gc(options: { olderThanSeconds?: number } = {}): Promise<{ tempFiles: number; orphans: number }> {
    const limit = Date.now() - (options.olderThanSeconds ?? 3600) * 1000;
    const referenced = new Set<string>();
    for (const c of await this.collections()) {
      if (c.type !== "RUN") continue;
      for (const ref of await this.queryDatasets("*", { collections: [c.name] })) referenced.add(resolve(this.pathOf(ref)));
    }
    let tempFiles = 0;
    let orphans = 0;
    const walk = async (dir: string, inDatastore: boolean): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          await walk(p, inDatastore);
          continue;
        }
        const st = await stat(p).catch(() => undefined);
        if (!st || st.mtimeMs > limit) continue;
        if (e.name.startsWith(TEMP_PREFIX)) {
          await unlink(p).catch(() => {});
          tempFiles++;
        } else if (inDatastore && !referenced.has(resolve(p))) {
          await unlink(p).catch(() => {});
          orphans++;
        }
      }
    };
    await walk(join(this.root, "registry"), false);
    await walk(join(this.root, "datastore"), true);
    return { tempFiles, orphans };
  }

  /** Writes a small JSON file inside the repository atomically (used for graphs and reports). */
  async writeAux(relPath: string, data: unknown): Promise<string> {
    const p = join(this.root, relPath);
    await writeFileAtomic(p, `${JSON.stringify(data, null, 1)}\n`);
    return p;
  }
}
