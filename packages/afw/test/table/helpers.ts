// Shared helpers of the table tests: the canonical bytes of a column (the same as
// test/fixtures-gen/table/gen_table_fixtures.py computes with astropy), exact value comparison
// against the fixtures' texts, and the external checkers (fitsverify, astropy).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { Header } from "../../src/fits/header.js";
import type { ColumnData, FitsColumn, NumericColumnArray } from "../../src/fits/table/index.js";

/** Root of the repository. */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
/** The real files (copied from shared/data/real, provenance in test/data/real/README.md). */
export const REAL_DIR = `${REPO}test/data/real/`;
/** Fixtures written by the generator. */
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Debian's python, which has astropy 5.2.1 (the python3 on PATH may not). */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
/** Why astropy cannot be used, or undefined when it can. */
export const NO_ASTROPY: string | undefined =
  spawnSync(PYTHON, ["-c", "import astropy, numpy"], { stdio: "ignore" }).status === 0
    ? undefined
    : `astropy is not importable from ${PYTHON}`;
const FITSVERIFY = ["/usr/bin/fitsverify", "/usr/local/bin/fitsverify"].find((p) => existsSync(p));
/** Why fitsverify cannot be used, or undefined when it can. */
export const NO_FITSVERIFY: string | undefined = FITSVERIFY ? undefined : "fitsverify is not installed";

/**
 * Runs `fitsverify -q -e` (errors) and `fitsverify -q` (errors and warnings) on a file; ok when
 * both pass with nothing reported.
 */
export function fitsverify(path: string): { ok: boolean; report: string } {
  let ok = true;
  let report = "";
  for (const flags of [["-q", "-e"], ["-q"]]) {
    const r = spawnSync(FITSVERIFY ?? "fitsverify", [...flags, path], { encoding: "utf8" });
    const text = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    report += text;
    ok &&= r.status === 0 && /verification OK/.test(text);
  }
  return { ok, report };
}

/** The full fitsverify report (used in failure messages). */
export function fitsverifyFull(path: string): string {
  const r = spawnSync(FITSVERIFY ?? "fitsverify", [path], { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`;
}

/** Runs a python script with astropy; returns its stdout. */
export function python(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

/** The generator's dtype name for a typed array. */
export function dtypeOf(a: NumericColumnArray): string {
  if (a instanceof Float32Array) return "f4";
  if (a instanceof Float64Array) return "f8";
  if (a instanceof Int8Array) return "i1";
  if (a instanceof Uint8Array) return "u1";
  if (a instanceof Int16Array) return "i2";
  if (a instanceof Uint16Array) return "u2";
  if (a instanceof Int32Array) return "i4";
  if (a instanceof Uint32Array) return "u4";
  if (a instanceof BigInt64Array) return "i8";
  return "u8";
}

function bigEndian(a: NumericColumnArray): Uint8Array {
  const size = a.BYTES_PER_ELEMENT;
  const out = new Uint8Array(a.byteLength);
  const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < a.length; i++) for (let k = 0; k < size; k++) out[i * size + k] = src[i * size + size - 1 - k]!;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

/** Whether a column holds complex numbers (C or M). */
export function isComplex(col: FitsColumn): boolean {
  return "code" in col.parsed && (col.parsed.code === "C" || col.parsed.code === "M");
}

/** The canonical bytes of a column's data (see the generator's doc string). */
export function canonicalBytes(col: FitsColumn, data: ColumnData = col.data): Uint8Array {
  const complex = isComplex(col);
  if (col.varLength) {
    // Complex rows: count complex numbers; the (re, im) pairs are already the bytes of >c8/>c16.
    const rows = data as (NumericColumnArray | string)[];
    return concat(
      rows.flatMap((r) =>
        typeof r === "string" ? [u64(r.length), latin1(r)] : [u64(complex ? r.length / 2 : r.length), bigEndian(r)],
      ),
    );
  }
  if (Array.isArray(data)) return concat((data as string[]).flatMap((s) => [latin1(s), new Uint8Array([0])]));
  return bigEndian(data as NumericColumnArray);
}

/** sha256 hex of bytes. */
export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Texts of values as the generator writes them. */
export type ValueText = string | number | [string, string];

/** Asserts that a value equals the generator's exact text (`what` names it in failures). */
export function expectValue(actual: number | bigint | string, expected: ValueText, what: string): void {
  if (typeof expected === "number") {
    expect(Number(actual), what).toBe(expected);
  } else if (typeof actual === "string") {
    expect(actual, what).toBe(expected);
  } else if (typeof actual === "bigint") {
    expect(actual, what).toBe(BigInt(expected as string));
  } else if (typeof expected === "string" && /^-?\d+$/.test(expected)) {
    expect(actual, what).toBe(Number(expected));
  } else {
    const t = expected as string;
    const want =
      t === "nan" ? Number.NaN : t === "inf" ? Number.POSITIVE_INFINITY : t === "-inf" ? Number.NEGATIVE_INFINITY : Number(t);
    // Object.is: NaN equals NaN and -0 differs from 0.
    expect(Object.is(actual, want), `${what}: ${actual} vs ${t}`).toBe(true);
  }
}

/** Flat element i of a fixed column as a comparable value (complex: [re, im]). */
export function elementAt(col: FitsColumn, i: number): number | bigint | string | [number, number] {
  const d = col.data as NumericColumnArray | string[];
  if (isComplex(col)) {
    const a = d as Float32Array | Float64Array;
    return [a[2 * i]!, a[2 * i + 1]!];
  }
  return d[i]!;
}

/** Asserts an element against the generator's text for it (complex values are pairs). */
export function expectElement(col: FitsColumn, i: number, expected: ValueText, what: string): void {
  const v = elementAt(col, i);
  if (Array.isArray(v)) {
    const e = expected as [string, string];
    expectValue(v[0], e[0], `${what} (re)`);
    expectValue(v[1], e[1], `${what} (im)`);
  } else {
    expectValue(v, expected, what);
  }
}

/** Number of flat elements (complex numbers count once) of a fixed column. */
export function elementCount(col: FitsColumn): number {
  const n = (col.data as { length: number }).length;
  return isComplex(col) ? n / 2 : n;
}

/** The shape astropy gives a fixed column: [nrows, ...reversed TDIM] (or [nrows, r]). */
export function astropyShape(col: FitsColumn, nrows: number): number[] {
  if (col.varLength) return [nrows];
  if ("kind" in col.parsed) return [nrows];
  if (col.parsed.code === "A") return col.dim && col.dim.length > 1 ? [nrows, ...col.dim.slice(1).reverse()] : [nrows];
  if (col.dim) return [nrows, ...[...col.dim].reverse()];
  return col.repeat === 1 ? [nrows] : [nrows, col.repeat];
}

/** One column as the generator describes it. */
export interface FixtureColumn {
  name: string;
  tform: string;
  tunit: string | null;
  tdim: string | null;
  dtype: string | null;
  shape: number[];
  sha256: string;
  head?: ValueText[];
  tail?: ValueText[];
  lengths?: number[];
  headRows?: (ValueText[] | string)[];
  tailRows?: (ValueText[] | string)[];
  notes?: string[];
}

/** One table HDU as the generator describes it. */
export interface FixtureHdu {
  index: number;
  xtension: string;
  extname: string | null;
  nrows: number;
  naxis1: number;
  pcount: number;
  columns: FixtureColumn[];
}

function expectDtype(col: FitsColumn, want: string | null, what: string): void {
  if (want === null) return;
  const d = col.data;
  if (col.varLength) {
    const rows = d as (NumericColumnArray | string)[];
    if (want === "U")
      expect(
        rows.every((r) => typeof r === "string"),
        what,
      ).toBe(true);
    else for (const r of rows) expectArrayDtype(col, r as NumericColumnArray, want, what);
    return;
  }
  if (want === "U") {
    expect(Array.isArray(d) && (d as unknown[]).every((s) => typeof s === "string"), what).toBe(true);
    return;
  }
  expectArrayDtype(col, d as NumericColumnArray, want, what);
}

function expectArrayDtype(col: FitsColumn, a: NumericColumnArray, want: string, what: string): void {
  if (want === "b1") {
    const code = "code" in col.parsed ? col.parsed.code : "";
    expect(code === "L" ? a instanceof Int8Array : a instanceof Uint8Array, `${what}: logical/bit array type`).toBe(true);
  } else if (want === "c8") {
    expect(a instanceof Float32Array && isComplex(col), `${what}: complex64`).toBe(true);
  } else if (want === "c16") {
    expect(a instanceof Float64Array && isComplex(col), `${what}: complex128`).toBe(true);
  } else {
    expect(dtypeOf(a), `${what}: dtype`).toBe(want);
  }
}

function parseTdimText(t: string): number[] {
  return t
    .replace(/[()\s]/g, "")
    .split(",")
    .map(Number);
}

/** Compares every column of a table read by skystack with the generator's description of it. */
export function compareWithFixture(table: { nrows: number; columns: FitsColumn[] }, hdu: FixtureHdu, label: string): void {
  expect(table.nrows, `${label}: rows`).toBe(hdu.nrows);
  expect(
    table.columns.map((c) => c.name),
    `${label}: column names`,
  ).toEqual(hdu.columns.map((c) => c.name));
  hdu.columns.forEach((fc, i) => {
    const col = table.columns[i]!;
    const what = `${label} column ${i + 1} ${JSON.stringify(fc.name)} (${fc.tform})`;
    expect(col.format, `${what}: TFORM`).toBe(fc.tform);
    expect(col.unit ?? null, `${what}: TUNIT`).toBe(fc.tunit);
    expect(col.dim ?? null, `${what}: TDIM`).toEqual(fc.tdim === null ? null : parseTdimText(fc.tdim));
    expectDtype(col, fc.dtype, what);
    if (col.varLength) {
      const rows = col.data as (NumericColumnArray | string)[];
      const complex = isComplex(col);
      expect(
        rows.map((r) => (typeof r === "string" ? r.length : complex ? r.length / 2 : r.length)),
        `${what}: row lengths`,
      ).toEqual(fc.lengths);
      const check = (r: NumericColumnArray | string, want: ValueText[] | string, where: string): void => {
        if (typeof r === "string") {
          expect(r.slice(0, (want as string).length), where).toBe(want);
          return;
        }
        (want as ValueText[]).forEach((w, k) => {
          if (complex) {
            expectValue(r[2 * k]!, (w as [string, string])[0], `${where}[${k}].re`);
            expectValue(r[2 * k + 1]!, (w as [string, string])[1], `${where}[${k}].im`);
          } else {
            expectValue(r[k]!, w, `${where}[${k}]`);
          }
        });
      };
      fc.headRows?.forEach((w, k) => {
        check(rows[k]!, w, `${what} row ${k}`);
      });
      fc.tailRows?.forEach((w, k) => {
        const r = rows.length - (fc.tailRows?.length ?? 0) + k;
        check(rows[r]!, w, `${what} row ${r}`);
      });
    } else {
      expect(astropyShape(col, table.nrows), `${what}: shape`).toEqual(fc.shape);
      const n = elementCount(col);
      fc.head?.forEach((w, k) => {
        expectElement(col, k, w, `${what}[${k}]`);
      });
      fc.tail?.forEach((w, k) => {
        const at = n - (fc.tail?.length ?? 0) + k;
        expectElement(col, at, w, `${what}[${at}]`);
      });
    }
    expect(sha256(canonicalBytes(col)), `${what}: sha256 of every value`).toBe(fc.sha256);
  });
}

/** A minimal primary header (no data) for files holding only extensions. */
export function primaryHeader(): Header {
  return Header.fromEntries([
    ["SIMPLE", true],
    ["BITPIX", 8],
    ["NAXIS", 0],
    ["EXTEND", true],
  ]);
}

/** The bytes of a FITS file: an empty primary HDU, then each HDU's header and padded data. */
export function fitsBytes(hdus: readonly { header: Header; data?: Uint8Array; padByte?: number }[]): Uint8Array {
  const parts: Uint8Array[] = [primaryHeader().toBytes()];
  for (const h of hdus) {
    parts.push(h.header.toBytes());
    const data = h.data ?? new Uint8Array(0);
    parts.push(data);
    const rem = data.length % 2880;
    if (rem !== 0) parts.push(new Uint8Array(2880 - rem).fill(h.padByte ?? 0));
  }
  return concat(parts);
}
