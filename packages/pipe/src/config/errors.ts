/** One problem found in a config: the full dotted path of the field, the offending value, why. */
export interface ConfigIssue {
  /** Full dotted path, e.g. "isr.overscan.order". */
  path: string;
  /** The value that was rejected (as given). */
  value: unknown;
  /** What is wrong, e.g. "must be >= 0". */
  message: string;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** A config that failed validation, parsing or an override: lists every issue with its field path. */
export class ConfigError extends Error {
  constructor(
    /** Every problem found. */
    readonly issues: ConfigIssue[],
    /** Where the bad values came from (a file, "-c", "JSON"), if known. */
    readonly source?: string,
  ) {
    const where = source ? ` (from ${source})` : "";
    const lines = issues.map((i) => `${i.path || "<root>"} = ${show(i.value)}: ${i.message}`);
    super(issues.length === 1 ? `config field ${lines[0]}${where}` : `invalid config${where}:\n  ${lines.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Joins a parent path and a key ("" parent gives the key). */
export function joinPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}
