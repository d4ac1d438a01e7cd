/**
 * Defect tables as obs_cfht ships them (`megacam/defects/<mask>.nn/ccdNN.fits`) and as ip_isr's
 * `Defects` reads/writes them: a FITS BINTABLE or an ECSV text table with one box per row, in the
 * detector frame (0-based pixels). Two schemas, as `Defects.fromTable`:
 * - LSST style: `x0`, `y0` (lower-left pixel), `width`, `height`;
 * - FITS-region style: `X`, `Y` (1-based centre), `R` (full size, one or two values), `SHAPE`
 *   BOX, POINT or ROTBOX at a multiple of 90° (`ROTANG`), centred as `Box2I.makeCenteredBox`.
 * {@link readMegacamDefects} accepts either a table or an Elixir mask MEF, by content.
 */
import { open as openFile, readFile } from "node:fs/promises";
import { Box2I, type Detector, FitsFile, type FitsTable } from "@skystack/afw";
import { readElixirDefects } from "./defects.js";
import { CfhtError } from "./errors.js";

/** A defect table's boxes and the detector its metadata names (null if it names none). */
export interface DefectTable {
  /** Defect boxes, detector frame, 0-based, in table order. */
  readonly boxes: Box2I[];
  /** Detector number from the metadata (ECSV meta DETECTOR, FITS DETECTOR or NAME 'CFHT n'). */
  readonly detector: number | null;
}

/** `Box2I.makeCenteredBox`: the integer box of size (w, h) centred on (xc, yc) (0-based). */
function centredBox(xc: number, yc: number, w: number, h: number): Box2I {
  const x0 = Math.floor(xc - w / 2 + 0.5 + 0.5);
  const y0 = Math.floor(yc - h / 2 + 0.5 + 0.5);
  return new Box2I(x0, y0, x0 + w - 1, y0 + h - 1);
}

type Row = (name: string) => number[] | string;

function boxesFromRows(names: readonly string[], n: number, row: (i: number) => Row, where: string): Box2I[] {
  const has = (k: string) => names.some((c) => c.trim().toLowerCase() === k.toLowerCase());
  const region = has("X") && has("Y") && has("R") && has("SHAPE");
  if (!region && !(has("x0") && has("y0") && has("width") && has("height"))) {
    throw new CfhtError(
      "BAD_FORMAT",
      `${where}: not a defect table: needs columns x0, y0, width, height (or X, Y, R, SHAPE); has ${names.join(", ") || "none"}`,
    );
  }
  const num = (r: Row, k: string, i: number, n = 1): number[] => {
    const v = r(k);
    const a = typeof v === "string" ? [Number(v)] : v;
    if (a.length < 1 || a.slice(0, n).some((x) => !Number.isFinite(x)))
      throw new CfhtError("BAD_FORMAT", `${where}: row ${i + 1}: column ${k} = ${JSON.stringify(v)} is not a number`);
    return a.length >= n ? a.slice(0, n) : [a[0]!, a[0]!];
  };
  const out: Box2I[] = [];
  for (let i = 0; i < n; i++) {
    const r = row(i);
    if (!region) {
      const [x0, y0, w, h] = ["x0", "y0", "width", "height"].map((k) => num(r, k, i)[0]!) as [number, number, number, number];
      if (![x0, y0, w, h].every(Number.isInteger) || w < 1 || h < 1)
        throw new CfhtError(
          "BAD_FORMAT",
          `${where}: row ${i + 1}: box x0=${x0} y0=${y0} width=${w} height=${h} is not a box of whole pixels`,
        );
      out.push(new Box2I(x0, y0, x0 + w - 1, y0 + h - 1));
      continue;
    }
    const shape = String(r("SHAPE")).trim().toUpperCase();
    const xc = num(r, "X", i)[0]! - 1;
    const yc = num(r, "Y", i)[0]! - 1;
    if (shape === "POINT")
      out.push(new Box2I(Math.floor(xc + 0.5), Math.floor(yc + 0.5), Math.floor(xc + 0.5), Math.floor(yc + 0.5)));
    else if (shape === "BOX" || shape === "ROTBOX") {
      let [w, h] = num(r, "R", i, 2) as [number, number];
      if (shape === "ROTBOX") {
        const rot = names.some((c) => c.toUpperCase() === "ROTANG") ? num(r, "ROTANG", i)[0]! : 0;
        if (Math.abs(rot % 90) > 1e-9 && Math.abs((rot % 90) - 90) > 1e-9)
          throw new CfhtError("BAD_FORMAT", `${where}: row ${i + 1}: ROTBOX at ${rot}° is not aligned with the pixel grid`);
        if (Math.abs(rot % 180) > 1e-9 && Math.abs((rot % 180) - 180) > 1e-9) [w, h] = [h, w];
      }
      out.push(centredBox(xc, yc, Math.round(w), Math.round(h)));
    } else
      throw new CfhtError("BAD_FORMAT", `${where}: row ${i + 1}: SHAPE ${JSON.stringify(shape)} is not BOX, POINT or ROTBOX`);
  }
  return out;
}

function detectorFromMeta(v: unknown): number | null {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") {
    const m = /^\s*(?:CFHT\s+)?(\d+)\s*$/.exec(v);
    if (m) return Number(m[1]);
  }
  return null;
}

function fromFitsTable(t: FitsTable, where: string): DefectTable {
  const names = t.names;
  const row =
    (i: number): Row =>
    (k) => {
      const c = t.column(k);
      const d = c.data;
      if (Array.isArray(d) && typeof d[0] === "string") return (d as string[])[i * c.itemsPerRow]!;
      if (Array.isArray(d)) return Array.from(d[i] as ArrayLike<number>, Number);
      const a = d as ArrayLike<number | bigint>;
      return Array.from({ length: c.itemsPerRow }, (_, j) => Number(a[i * c.itemsPerRow + j]!));
    };
  const h = t.header;
  return {
    boxes: boxesFromRows(names, t.nrows, row, where),
    detector: detectorFromMeta(h.get("DETECTOR")) ?? detectorFromMeta(h.get("NAME")),
  };
}

/** Splits an ECSV data line (whitespace or `delimiter`; double-quoted fields may hold it). */
function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  const re = delimiter === " " ? /"((?:[^"]|"")*)"|(\S+)/g : new RegExp(`"((?:[^"]|"")*)"|([^${delimiter}]+)`, "g");
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim());
  return out;
}

/**
 * Parses an ECSV defect table (astropy's `ascii.ecsv`, as `Defects.writeText` writes it): the
 * `# ` YAML header (its `delimiter` and `meta: DETECTOR` are used), a line of column names,
 * then one row per line.
 * @throws CfhtError BAD_FORMAT naming `where` and the row or column at fault.
 */
export function parseEcsvDefects(text: string, where = "ECSV"): DefectTable {
  const lines = text.split(/\r?\n/);
  if (!/^# %ECSV \d/.test(lines[0] ?? "")) throw new CfhtError("BAD_FORMAT", `${where}: not an ECSV table (no '# %ECSV' line)`);
  const yaml = lines.filter((l) => l.startsWith("#")).map((l) => l.replace(/^# ?/, ""));
  const delim = /^delimiter:\s*'(.)'/m.exec(yaml.join("\n"))?.[1] ?? " ";
  const detLine = yaml.join("\n").match(/(?:^|[{,\s])DETECTOR:\s*'?([^,}'\n]+)'?/m);
  const body = lines.filter((l) => !l.startsWith("#") && l.trim() !== "");
  if (body.length === 0) throw new CfhtError("BAD_FORMAT", `${where}: ECSV table has no column-name line`);
  const names = splitLine(body[0]!, delim);
  const rows = body.slice(1).map((l) => splitLine(l, delim));
  rows.forEach((r, i) => {
    if (r.length !== names.length)
      throw new CfhtError("BAD_FORMAT", `${where}: row ${i + 1} has ${r.length} fields, the header names ${names.length}`);
  });
  const idx = (k: string) => names.findIndex((c) => c.toLowerCase() === k.toLowerCase());
  const row =
    (i: number): Row =>
    (k) => {
      const v = rows[i]![idx(k)]!;
      // vector columns (R of a region table) are written as JSON arrays
      if (/^\[.*\]$/.test(v)) return (JSON.parse(v) as unknown[]).map(Number);
      return /^-?[\d.eE+-]+$/.test(v) ? [Number(v)] : v;
    };
  return { boxes: boxesFromRows(names, rows.length, row, where), detector: detLine ? detectorFromMeta(detLine[1]) : null };
}

async function sniff(path: string): Promise<"fits" | "ecsv" | "other"> {
  const fh = await openFile(path, "r").catch((e: unknown) => {
    throw new CfhtError("BAD_FORMAT", `${path}: cannot open defects file (${(e as Error).message})`, { cause: e });
  });
  try {
    const b = Buffer.alloc(80);
    const { bytesRead } = await fh.read(b, 0, 80, 0);
    const s = b.subarray(0, bytesRead);
    if ((s[0] === 0x1f && s[1] === 0x8b) || s.toString("latin1").startsWith("SIMPLE  =")) return "fits";
    if (s.toString("latin1").startsWith("# %ECSV")) return "ecsv";
    return "other";
  } finally {
    await fh.close();
  }
}

/**
 * Reads a defect table file (FITS BINTABLE — the first table HDU with a defect schema — or
 * `.ecsv`) into boxes in the detector frame, as ip_isr's `Defects.readFits`/`readText`.
 * @throws CfhtError BAD_FORMAT when the file is neither, or has no defect columns.
 */
export async function readDefectTable(path: string): Promise<DefectTable> {
  const kind = await sniff(path);
  if (kind === "ecsv") return parseEcsvDefects(await readFile(path, "utf8"), path);
  if (kind !== "fits") throw new CfhtError("BAD_FORMAT", `${path}: not a defect table (neither FITS nor ECSV)`);
  const file = await FitsFile.open(path);
  try {
    const tables = (await file.hdus()).filter((h) => h.type === "bintable" || h.type === "table");
    if (tables.length === 0) throw new CfhtError("BAD_FORMAT", `${path}: not a defect table (no table HDU)`);
    let first: unknown;
    for (const h of tables) {
      try {
        return fromFitsTable(await file.readTable(h.index), `${path}[HDU ${h.index}]`);
      } catch (e) {
        first ??= e;
      }
    }
    throw first;
  } finally {
    await file.close();
  }
}

/**
 * Defects of one MegaCam CCD from either kind of file, told apart by content: an Elixir mask MEF
 * (primary OBSTYPE = 'MASK', image extensions `ccdNN`, 0 = bad, raw frame;
 * {@link readElixirDefects}) or a defect table
 * ({@link readDefectTable}; already in the detector frame). A table whose metadata names another
 * detector is refused.
 * @throws CfhtError BAD_FORMAT / NO_SUCH_CCD naming the file.
 */
export async function readMegacamDefects(path: string, detector: Detector): Promise<Box2I[]> {
  const kind = await sniff(path);
  if (kind === "other")
    throw new CfhtError("BAD_FORMAT", `${path}: not a defects file (neither an Elixir mask MEF nor a FITS/ECSV defect table)`);
  if (kind === "fits") {
    // an Elixir mask says so in its primary header (OBSTYPE = 'MASK'); only that header is read,
    // the 706 MB (decompressed) mask is not scanned
    const file = await FitsFile.open(path);
    let isMask: boolean;
    try {
      isMask =
        String((await file.hdu(0)).header.get("OBSTYPE") ?? "")
          .trim()
          .toUpperCase() === "MASK";
    } finally {
      await file.close();
    }
    if (isMask) return readElixirDefects(path, detector);
  }
  const t = await readDefectTable(path);
  if (t.detector !== null && t.detector !== detector.id)
    throw new CfhtError("BAD_FORMAT", `${path}: defect table is for detector ${t.detector}, not ${detector.name}`);
  return t.boxes;
}
