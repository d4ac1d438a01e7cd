/**
 * Raw ingest: an instrument (from an obs-* package) translates each raw file's headers to data
 * ids; the file is transferred into the repository and one `raw` dataset is registered per
 * detector HDU.
 */
import { copyFile, link, mkdir, rename, symlink, unlink } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { FitsFile, type Header } from "@skystack/afw";
import { sha256File, tempPathFor } from "./atomic.js";
import type { Butler, DatasetRef } from "./butler.js";
import { encodeName } from "./dimensions.js";
import { ButlerError } from "./errors.js";

/** One raw dataset found in a file. */
export interface RawDataset {
  /** Its data id (must cover the instrument's raw dimensions). */
  dataId: Record<string, string | number>;
  /** HDU holding its pixels. */
  hdu: number;
}

/** What butler ingest needs from an instrument package. */
export interface Instrument {
  /** Instrument name as it appears in data ids (e.g. "MegaPrime"). */
  readonly name: string;
  /** Dimensions of the `raw` dataset type (default ["instrument", "exposure", "detector"]). */
  readonly rawDimensions?: readonly string[];
  /** Translates a raw file's headers to one entry per detector. */
  rawDatasets(file: FitsFile, path: string): Promise<RawDataset[]>;
}

const instruments = new Map<string, Instrument>();

/** Registers an instrument under its name (case-insensitive lookup). */
export function registerInstrument(instrument: Instrument): void {
  instruments.set(instrument.name.toLowerCase(), instrument);
}

/**
 * Finds an instrument: a registered one, else the `instrument` export of `@skystack/obs-NAME`
 * (or of the module NAME itself when it contains a "/" or starts with "@").
 */
export async function loadInstrument(name: string): Promise<Instrument> {
  const hit = instruments.get(name.toLowerCase());
  if (hit) return hit;
  const spec = name.includes("/") || name.startsWith("@") ? name : `@skystack/obs-${name.toLowerCase()}`;
  let mod: { instrument?: Instrument };
  try {
    mod = (await import(spec)) as { instrument?: Instrument };
  } catch (e) {
    throw new ButlerError(
      "INGEST",
      `unknown instrument ${name}: not registered, and ${spec} cannot be imported (${(e as Error).message.split("\n")[0]}); known: ${[...instruments.keys()].join(", ")}`,
    );
  }
  if (!mod.instrument || typeof mod.instrument.rawDatasets !== "function")
    throw new ButlerError("INGEST", `${spec} does not export an 'instrument' with rawDatasets()`);
  registerInstrument(mod.instrument);
  return mod.instrument;
}

function firstInt(h: readonly Header[], keys: readonly string[]): number | undefined {
  for (const hdr of h)
    for (const k of keys) {
      const v = hdr.get(k);
      if (typeof v === "number" && Number.isInteger(v)) return v;
      if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
    }
  return undefined;
}

/**
 * A header-driven instrument for simple files: instrument from INSTRUME, exposure from
 * EXPNUM/EXPID/VISIT/OBSID, detector from CCDNUM/DETECTOR/CHIPID (0 for a single image), one
 * dataset per image HDU with data.
 */
export const genericInstrument: Instrument = {
  name: "generic",
  async rawDatasets(file, path) {
    const hdus = await file.hdus();
    const primary = file.imageHeader(hdus[0]!);
    const images = hdus.filter(
      (h) =>
        (h.type === "image" || h.type === "compressed-image") &&
        file.imageHeader(h).get("NAXIS") !== 0 &&
        (file.imageHeader(h).get("NAXIS") as number) >= 2,
    );
    const out: RawDataset[] = [];
    for (const h of images) {
      const hdr = file.imageHeader(h);
      const inst = hdr.get("INSTRUME") ?? primary.get("INSTRUME");
      if (typeof inst !== "string" || inst.trim() === "")
        throw new ButlerError("INGEST", `${path} HDU ${h.index}: no INSTRUME card`);
      const exposure = firstInt([hdr, primary], ["EXPNUM", "EXPID", "VISIT", "OBSID"]);
      if (exposure === undefined)
        throw new ButlerError("INGEST", `${path} HDU ${h.index}: no integer EXPNUM/EXPID/VISIT/OBSID card`);
      const detector =
        firstInt([hdr], ["CCDNUM", "DETECTOR", "CHIPID"]) ??
        (images.length === 1 ? (firstInt([primary], ["CCDNUM", "DETECTOR"]) ?? 0) : undefined);
      if (detector === undefined)
        throw new ButlerError("INGEST", `${path} HDU ${h.index}: no CCDNUM/DETECTOR card in a multi-detector file`);
      out.push({ dataId: { instrument: inst.trim(), exposure, detector }, hdu: h.index });
    }
    if (out.length === 0) throw new ButlerError("INGEST", `${path}: no image HDU with data`);
    return out;
  },
};
registerInstrument(genericInstrument);

/** How ingest puts files into the repository. */
export type TransferMode = "copy" | "link" | "symlink" | "move" | "direct";

/** Options of {@link ingestRaws}. */
export interface IngestOptions {
  /** Instrument translating headers. */
  instrument: Instrument;
  /** RUN collection (default "<instrument of the first raw>/raw/all"). */
  run?: string;
  /** copy (default), link (hard link), symlink, move, or direct (register in place). */
  transfer?: TransferMode;
  /** Dataset type name (default "raw"). */
  datasetType?: string;
}

/** Result of an ingest: refs registered, and data ids skipped because they already existed. */
export interface IngestResult {
  /** New datasets. */
  ingested: DatasetRef[];
  /** "file: data id" of datasets already registered. */
  skipped: string[];
}

/** Ingests raw files: registers the `raw` dataset type, transfers each file, registers each detector. */
export async function ingestRaws(butler: Butler, files: readonly string[], options: IngestOptions): Promise<IngestResult> {
  const inst = options.instrument;
  const dsType = options.datasetType ?? "raw";
  let run = options.run;
  await butler.registerDatasetType({
    name: dsType,
    storageClass: "RawExposure",
    dimensions: inst.rawDimensions ?? ["instrument", "exposure", "detector"],
  });
  const result: IngestResult = { ingested: [], skipped: [] };
  for (const file of files) {
    const abs = resolve(file);
    let entries: RawDataset[];
    const f = await FitsFile.open(abs).catch((e: Error) => {
      throw new ButlerError("INGEST", `${file}: cannot open as FITS: ${e.message}`);
    });
    try {
      entries = await inst.rawDatasets(f, abs);
    } finally {
      await f.close();
    }
    run ??= `${entries[0]?.dataId.instrument ?? inst.name}/raw/all`;
    const { sha256, size } = await sha256File(abs);
    let path = abs;
    const mode = options.transfer ?? "copy";
    if (mode !== "direct") {
      const rel = join("datastore", encodeName(run), dsType, `${sha256.slice(0, 8)}-${basename(abs)}`);
      const dest = join(butler.root, rel);
      await mkdir(join(dest, ".."), { recursive: true });
      const tmp = tempPathFor(dest);
      try {
        if (mode === "copy") await copyFile(abs, tmp);
        else if (mode === "link") await link(abs, tmp);
        else if (mode === "symlink") await symlink(abs, tmp);
        else await copyFile(abs, tmp);
        await rename(tmp, dest);
      } catch (e) {
        await unlink(tmp).catch(() => {});
        throw new ButlerError("INGEST", `${file}: ${mode} into the repository failed: ${(e as Error).message}`);
      }
      path = rel;
    }
    let any = false;
    for (const e of entries) {
      const ref = await butler.registerFile({
        datasetType: dsType,
        run,
        dataId: e.dataId,
        storageClass: "RawExposure",
        path,
        hdu: e.hdu,
        sha256,
        size,
      });
      if (ref) {
        result.ingested.push(ref);
        any = true;
      } else result.skipped.push(`${file}: ${JSON.stringify(e.dataId)}`);
    }
    if (mode === "move" && any) await unlink(abs);
  }
  return result;
}
