// The benchmark registry. Each benchmark makes its inputs once (prepare), then is timed on them
// (run) next to a peer command on the same files.
import { fitsBenchmarks } from "./suites/fits.js";
import { isrBenchmarks } from "./suites/isr.js";
import { kernelBenchmarks } from "./suites/kernels.js";
import { wcsBenchmarks } from "./suites/wcs.js";

/** One result line of `npm run bench -- --json`. */
export interface BenchResult {
  bench: string;
  backend: string;
  threads: number;
  median_ms: number;
  peak_mb: number;
  peer: string | null;
  peer_median_ms: number | null;
  runs: number;
  note: string;
}

/** Files a benchmark works on. */
export type BenchInputs = Record<string, string>;

/** A benchmark. */
export interface Benchmark {
  name: string;
  backend: string;
  /** Worker threads the benchmark uses (default 1). */
  threads?: number;
  note: string;
  /** Makes the input files in `workDir` (kept between runs). */
  prepare(workDir: string): Promise<void>;
  /** Paths of the inputs in `workDir`. */
  inputs(workDir: string): Promise<BenchInputs>;
  /** The timed operation. */
  run(inputs: BenchInputs): Promise<void>;
  /**
   * The peer timed on the same inputs, if any. A plain command is timed from outside (process start
   * included); a `selfTimed` one (e.g. a Python script timing astropy after its imports) runs once
   * and prints `{"median_ms": ...}` as its last stdout line.
   */
  peer?(inputs: BenchInputs): PeerCommand | null;
}

/** How to run a peer tool. */
export interface PeerCommand {
  /** Peer name as reported ("funpack", "astropy all_pix2world", ...). */
  name: string;
  /** Command and arguments. */
  argv: string[];
  /** The command times itself and prints {"median_ms": ...}. */
  selfTimed?: boolean;
}

/** Every benchmark `npm run bench` knows; each suite lives in bench/suites/. */
export const BENCHMARKS: Benchmark[] = [...fitsBenchmarks, ...isrBenchmarks, ...wcsBenchmarks, ...kernelBenchmarks];
