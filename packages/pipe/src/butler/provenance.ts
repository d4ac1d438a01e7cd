/** Provenance recorded with every dataset a pipeline writes. */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** The skystack version (from @skystack/pipe's package.json). */
export const SOFTWARE_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
})();

/** One input of an output: which dataset, and its checksum when it was read. */
export interface ProvenanceInput {
  /** Dataset id. */
  id: string;
  /** Dataset type name. */
  datasetType: string;
  /** RUN collection it was found in. */
  run: string;
  /** Its data id. */
  dataId: Readonly<Record<string, string | number>>;
  /** SHA-256 of its file, hex. */
  sha256: string;
}

/** What produced a dataset. */
export interface Provenance {
  /** Software name, version and Node version. */
  software: { name: string; version: string; node: string };
  /** Host and process that wrote it. */
  host: string;
  /** Process id. */
  pid: number;
  /** When it was written (ISO-8601 UTC). */
  time: string;
  /** The task: pipeline label, class spec and its full resolved config (JSON). */
  task?: { label: string; class: string; config: unknown };
  /** Quantum id within the quantum graph. */
  quantum?: string;
  /** Executor that ran it ("local", "slurm", or "direct" for scripts). */
  executor?: string;
  /** Inputs with checksums. */
  inputs: ProvenanceInput[];
}

/** A provenance record for the current process; `extra` supplies task, quantum and inputs. */
export function makeProvenance(extra: Partial<Omit<Provenance, "software" | "host" | "pid" | "time">> = {}): Provenance {
  return {
    software: { name: "skystack", version: SOFTWARE_VERSION, node: process.version },
    host: hostname(),
    pid: process.pid,
    time: new Date().toISOString(),
    inputs: [],
    ...extra,
  };
}
