// Helpers for tests that cross-check skystack against independent tools (astropy, fitsverify,
// funpack). Each reports whether the tool is present so tests can skip with a reason.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Debian's python with astropy (the pyenv python on PATH may lack it). */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.status === 0;
}

/** True when astropy can be imported. */
export const HAVE_ASTROPY = has(PYTHON, ["-c", "import astropy"]);
/** True when fitsverify is installed. */
export const HAVE_FITSVERIFY = has("sh", ["-c", "command -v fitsverify"]);
/** True when funpack/fpack are installed. */
export const HAVE_FUNPACK = has("sh", ["-c", "command -v funpack && command -v fpack"]);

/** One HDU as astropy decodes it. */
export interface AstropyHdu {
  name: string;
  kind: string;
  dtype?: string;
  shape?: number[];
  sha256?: string;
}

/**
 * What astropy reads from `path`. `nanAt` lists flat pixel indices set to NaN before hashing (to
 * step around astropy 5.2.1's handling of null pixels in quantized floats).
 */
export function astropyDigest(path: string, nanAt: number[] = []): AstropyHdu[] {
  const out = execFileSync(PYTHON, [join(import.meta.dirname, "astropy_digest.py"), path, nanAt.join(",")], { encoding: "utf8" });
  return JSON.parse(out) as AstropyHdu[];
}

/** Runs fitsverify; returns its error and warning counts and the report. */
export function fitsverify(path: string): { errors: number; warnings: number; report: string } {
  const r = spawnSync("fitsverify", [path], { encoding: "utf8" });
  const report = `${r.stdout}${r.stderr}`;
  const m = /Verification found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(report);
  if (!m) return { errors: -1, warnings: -1, report };
  return { warnings: Number(m[1]), errors: Number(m[2]), report };
}

/** Decompresses with funpack into `out`. */
export function funpack(path: string, out: string): void {
  execFileSync("funpack", ["-O", out, path], { stdio: "pipe" });
}

/** Compresses with fpack into `out` with extra flags (e.g. ["-r"], ["-g2"], ["-q", "4"]). */
export function fpack(path: string, out: string, flags: string[]): void {
  execFileSync("fpack", [...flags, "-O", out, path], { stdio: "pipe" });
}

/** Names of astropy little-endian dtypes for skystack's arrays. */
export const DTYPE_OF: Record<string, string> = {
  Uint8Array: "|u1",
  Int8Array: "|i1",
  Int16Array: "<i2",
  Uint16Array: "<u2",
  Int32Array: "<i4",
  Uint32Array: "<u4",
  BigInt64Array: "<i8",
  BigUint64Array: "<u8",
  Float32Array: "<f4",
  Float64Array: "<f8",
};

/** sha256 of a typed array's bytes (little-endian, like the astropy digests). */
export function sha256(a: ArrayBufferView): string {
  return createHash("sha256")
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");
}
