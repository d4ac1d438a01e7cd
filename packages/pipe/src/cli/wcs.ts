// `skystack wcs pix2sky|sky2pix FILE [--hdu N]`: transform positions read from stdin with the WCS of
// a FITS HDU. Pixels are LSST 0-based (centre of the first pixel = 0, 0); sky in degrees.
import { parseArgs } from "node:util";
import { readSkyWcsFromFile } from "@skystack/afw";
import { UsageError } from "./errors.js";
import type { CliLog } from "./log.js";

const HELP_WCS = `usage: skystack wcs pix2sky FILE [--hdu N] [--tan-pv auto|tpv|ignore] [--json]
       skystack wcs sky2pix FILE [--hdu N] [--tan-pv auto|tpv|ignore] [--json]

pix2sky reads "x y" per line on stdin (0-based LSST pixels: the first pixel's centre is 0 0) and
writes "ra dec" in degrees; sky2pix does the reverse. Numbers are written with 17 significant
digits. Blank lines and lines starting with # are skipped. --hdu picks the HDU (default: the first
with a celestial WCS). --tan-pv says how PV cards under a plain RA---TAN are read: auto (SCAMP
TAN+PV read as TPV when PV2_* or PV1_5+ cards exist), tpv (always), ignore (as wcslib).
Points whose inverse does not converge are written as "nan nan" with a message on stderr (exit 1).`;

/** Parses "a b" lines into two arrays; throws naming the line on bad input. */
function parsePairs(text: string, what: string): { a: Float64Array; b: Float64Array; lines: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  const lines: number[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i]!.trim();
    if (t === "" || t.startsWith("#")) continue;
    const parts = t.split(/[\s,]+/);
    const x = Number(parts[0]);
    const y = Number(parts[1]);
    if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new UsageError(`stdin line ${i + 1}: expected "${what}" (two numbers), got ${JSON.stringify(t.slice(0, 60))}`);
    }
    a.push(x);
    b.push(y);
    lines.push(i + 1);
  }
  return { a: Float64Array.from(a), b: Float64Array.from(b), lines };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(17) : "nan";
}

/** `skystack wcs pix2sky|sky2pix`. */
export async function wcsCommand(sub: string | undefined, argv: string[], log: CliLog): Promise<number> {
  if (sub === undefined || sub === "--help" || sub === "-h") {
    process.stdout.write(`${HELP_WCS}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "pix2sky" && sub !== "sky2pix") throw new UsageError(`unknown command 'wcs ${sub}' (pix2sky or sky2pix)`);
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      hdu: { type: "string" },
      "tan-pv": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP_WCS}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`wcs ${sub} needs exactly one FILE`);
  let hdu: number | undefined;
  if (values.hdu !== undefined) {
    hdu = Number(values.hdu);
    if (!Number.isInteger(hdu) || hdu < 0) throw new UsageError(`--hdu must be a non-negative integer, got '${values.hdu}'`);
  }
  const tanPv = values["tan-pv"] ?? "auto";
  if (tanPv !== "auto" && tanPv !== "tpv" && tanPv !== "ignore")
    throw new UsageError(`--tan-pv must be auto, tpv or ignore, got '${tanPv}'`);
  const wcs = await readSkyWcsFromFile(positionals[0]!, hdu, { tanPv });
  const input = parsePairs(await readStdin(), sub === "pix2sky" ? "x y" : "ra dec");
  const out: string[] = [];
  let status = 0;
  if (sub === "pix2sky") {
    const { ra, dec } = wcs.pixelToSkyArrays(input.a, input.b, undefined, { degrees: true });
    if (values.json) process.stdout.write(`${JSON.stringify(Array.from(ra, (r, i) => ({ ra: r, dec: dec[i] })))}\n`);
    else {
      for (let i = 0; i < ra.length; i++) out.push(`${fmt(ra[i]!)} ${fmt(dec[i]!)}`);
    }
    for (let i = 0; i < ra.length; i++) {
      if (!Number.isFinite(ra[i]!)) {
        log.error(`stdin line ${input.lines[i]}: pixel (${input.a[i]}, ${input.b[i]}) is outside the projection`);
        status = 1;
      }
    }
  } else {
    const residual = new Float64Array(input.a.length);
    const r = wcs.skyToPixelArrays(input.a, input.b, undefined, { degrees: true, residual });
    if (values.json)
      process.stdout.write(
        `${JSON.stringify(Array.from(r.x, (x, i) => ({ x: Number.isFinite(x) ? x : null, y: Number.isFinite(r.y[i]!) ? r.y[i] : null })))}\n`,
      );
    else for (let i = 0; i < r.x.length; i++) out.push(`${fmt(r.x[i]!)} ${fmt(r.y[i]!)}`);
    if (r.nFailed > 0) {
      for (let i = 0; i < r.x.length; i++) {
        if (!Number.isFinite(r.x[i]!))
          log.error(
            `stdin line ${input.lines[i]}: (${input.a[i]}, ${input.b[i]}) ${Number.isFinite(residual[i]!) ? `has no pixel position: the inverse did not converge (residual ${residual[i]} pixels)` : "has no pixel position: outside the projection or the distortion's valid region"}`,
          );
      }
      status = 1;
    }
  }
  if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
  return status;
}
