/**
 * Dimensions and data ids. A data id maps dimension names to integers or strings; the universe
 * fixes each dimension's type and a canonical order, so a data id has one canonical text key
 * (`instrument=TOY,visit=12,detector=3`) usable as a file name.
 */
import { ButlerError } from "./errors.js";

/** The value type of a dimension. */
export type DimensionType = "int" | "string";

/** Dimension name -> value type, in canonical order. */
export type DimensionUniverse = Readonly<Record<string, DimensionType>>;

/** The default universe (LSST dimension names). */
export const DEFAULT_UNIVERSE: DimensionUniverse = {
  instrument: "string",
  skymap: "string",
  tract: "int",
  patch: "int",
  band: "string",
  physical_filter: "string",
  day_obs: "int",
  group: "string",
  exposure: "int",
  visit: "int",
  detector: "int",
  htm7: "int",
  healpix: "int",
};

/** A data id: dimension values by name. */
export type DataId = Readonly<Record<string, string | number>>;

/**
 * Checks and normalizes a data id for the given dimensions: every dimension present, types as the
 * universe says (numeric strings accepted for int dimensions), no extra keys unless `allowExtra`.
 * Returns a new object in canonical key order. Throws {@link ButlerError} BAD_DATA_ID naming the key.
 */
export function normalizeDataId(
  universe: DimensionUniverse,
  dimensions: readonly string[],
  dataId: Record<string, unknown>,
  what: string,
  allowExtra = false,
): DataId {
  const out: Record<string, string | number> = {};
  const want = new Set(dimensions);
  for (const k of Object.keys(dataId)) {
    if (!want.has(k) && !allowExtra)
      throw new ButlerError("BAD_DATA_ID", `${what}: data id key ${k} is not one of its dimensions [${dimensions.join(", ")}]`);
  }
  for (const d of sortDimensions(universe, dimensions)) {
    const v = dataId[d];
    if (v === undefined || v === null)
      throw new ButlerError("BAD_DATA_ID", `${what}: data id lacks dimension ${d} (has ${JSON.stringify(dataId)})`);
    const type = universe[d];
    if (type === "int") {
      const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
      if (typeof n !== "number" || !Number.isSafeInteger(n))
        throw new ButlerError("BAD_DATA_ID", `${what}: dimension ${d} must be an integer, not ${JSON.stringify(v)}`);
      out[d] = n;
    } else {
      if (typeof v !== "string" && typeof v !== "number")
        throw new ButlerError("BAD_DATA_ID", `${what}: dimension ${d} must be a string, not ${JSON.stringify(v)}`);
      out[d] = String(v);
    }
  }
  return out;
}

/** Sorts dimension names into the universe's canonical order; throws on an unknown one. */
export function sortDimensions(universe: DimensionUniverse, dimensions: readonly string[]): string[] {
  const order = Object.keys(universe);
  for (const d of dimensions)
    if (!Object.hasOwn(universe, d))
      throw new ButlerError("UNKNOWN_DIMENSION", `unknown dimension ${d} (known: ${order.join(", ")})`);
  return [...new Set(dimensions)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** The canonical text key of a normalized data id ("" for the empty data id). File-name safe. */
export function dataIdKey(dataId: DataId): string {
  return Object.entries(dataId)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/\./g, "%2E")}`)
    .join(",");
}

/** Parses a {@link dataIdKey} back, with types from the universe. */
export function parseDataIdKey(universe: DimensionUniverse, key: string): DataId {
  const out: Record<string, string | number> = {};
  if (key === "") return out;
  for (const part of key.split(",")) {
    const eq = part.indexOf("=");
    const k = part.slice(0, eq);
    const v = decodeURIComponent(part.slice(eq + 1));
    out[k] = universe[k] === "int" ? Number(v) : v;
  }
  return out;
}

/** The data id restricted to `dimensions` (which must all be present). */
export function projectDataId(universe: DimensionUniverse, dataId: DataId, dimensions: readonly string[]): DataId {
  const out: Record<string, string | number> = {};
  for (const d of sortDimensions(universe, dimensions)) {
    const v = dataId[d];
    if (v === undefined) throw new ButlerError("BAD_DATA_ID", `data id ${dataIdKey(dataId)} lacks dimension ${d}`);
    out[d] = v;
  }
  return out;
}

/** Encodes a collection name for use as one path segment. */
export function encodeName(name: string): string {
  return encodeURIComponent(name).replace(/\./g, "%2E").replace(/\*/g, "%2A");
}

/** Inverse of {@link encodeName}. */
export function decodeName(segment: string): string {
  return decodeURIComponent(segment);
}
