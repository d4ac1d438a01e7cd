/**
 * `skystack calib bias|dark|flat`: master calibrations from raw exposures, cp_pipe style. Each raw
 * CCD goes through the ISR steps its type needs (bias: overscan only, ADU; dark: overscan + bias,
 * electrons per second of dark time; flat: overscan + bias [+ dark], electrons, each frame
 * normalised by its mean), is written to a temporary file, and the N frames are combined band by
 * band with `combineFrames` (MEANCLIP by default), so memory stays at N × width × bandRows pixels.
 * The master is a MEF with one float32 `ccdNN` extension per CCD — the layout `skystack isr
 * --bias/--dark/--flat` reads — plus the ISR config used, as an `ISR_CONFIG` table.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { FitsFile, FitsWriter, Header } from "@skystack/afw";
import { applyOverrides, ConfigError, type ConfigOverride } from "@skystack/pipe";
import { configTable, type IsrCliLog } from "./cli.js";
import { type CombineOptions, combineFrames, fitsBandInput } from "./combine.js";
import { loadInstrument } from "./instrumentModule.js";
import { IsrConfig, IsrTask } from "./isrTask.js";
import type { IsrCalibs } from "./runIsr.js";

const USAGE = `usage: skystack calib bias|dark|flat --instrument NAME --ccd N[,N...] [--bias F] [--dark F]
                    [--method MEANCLIP|MEAN|MEDIAN] [--clip S] [--config F]... [-c key=value]...
                    --out MASTER RAW...

Master calibration from raw exposures (cp_pipe style): each raw CCD is ISR-corrected for its type,
then the frames are combined pixel by pixel with clipping, streaming in row bands.

  bias                overscan-subtracted, assembled; ADU
  dark                overscan + --bias; electrons per second of DARKTIME (master DARKTIME = 1)
  flat                overscan + --bias (+ --dark); electrons, each frame divided by its mean
  --instrument NAME   megacam (CFHT MegaCam / MegaPrime)
  --ccd N[,N...]      CCD numbers (MegaCam: 0-39), or 'all' for every CCD of the first raw
  --bias/--dark F     master calibrations used by dark/flat (MEF with ccdNN extensions)
  --method M          MEANCLIP (default), MEAN or MEDIAN
  --clip S            clipping threshold, sigma (default 3)
  --config F / -c k=v IsrConfig overrides applied after the type's settings
  --out MASTER        output MEF: primary + one float32 ccdNN extension per CCD + ISR_CONFIG`;

/** What each calibration type turns on and off (after the instrument's defaults). */
const TYPE_CONFIG: Readonly<Record<CalibType, Record<string, unknown>>> = {
  bias: {
    doBias: false,
    doDark: false,
    doFlat: false,
    doFringe: false,
    doLinearize: false,
    doApplyGains: false,
    doVariance: false,
    doDefect: false,
    doInterpolate: false,
  },
  dark: { doDark: false, doFlat: false, doFringe: false, doVariance: false, doDefect: false, doInterpolate: false },
  flat: { doFlat: false, doFringe: false, doVariance: false, doDefect: false, doInterpolate: false },
};

type CalibType = "bias" | "dark" | "flat";

class CalibUsage extends Error {}

/** Parses `--ccd`: "all", or comma-separated CCD numbers. */
function parseCcds(text: string): number[] | "all" {
  if (text === "all") return "all";
  const ccds = text.split(",").map((s) => s.trim());
  for (const c of ccds) if (!/^\d+$/.test(c)) throw new CalibUsage(`calib: --ccd must be CCD numbers or 'all', got '${text}'`);
  return ccds.map(Number);
}

/** The ccdNN extensions of a raw MEF, as CCD numbers in file order. */
async function ccdsOf(path: string): Promise<number[]> {
  const f = await FitsFile.open(path);
  try {
    const out: number[] = [];
    for (const h of await f.hdus()) {
      const m = /^ccd(\d+)$/i.exec(String(h.header.get("EXTNAME") ?? "").trim());
      if (m) out.push(Number(m[1]));
    }
    return out;
  } finally {
    await f.close();
  }
}

/**
 * Runs `skystack calib` with its arguments (after the command name); returns the exit status:
 * 0 done, 2 bad usage or config (one-line reason logged), other failures throw (exit 1 upstream).
 */
export async function calibCommand(argv: readonly string[], log: IsrCliLog): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      instrument: { type: "string" },
      ccd: { type: "string" },
      bias: { type: "string" },
      dark: { type: "string" },
      method: { type: "string" },
      clip: { type: "string" },
      config: { type: "string", multiple: true },
      c: { type: "string", short: "c", multiple: true },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let work: string | undefined;
  try {
    const [type, ...raws] = positionals;
    if (type !== "bias" && type !== "dark" && type !== "flat")
      throw new CalibUsage(`calib: the first argument must be bias, dark or flat${type ? `, got '${type}'` : ""}`);
    if (values.instrument === undefined) throw new CalibUsage("calib: --instrument is required");
    if (values.ccd === undefined) throw new CalibUsage("calib: --ccd is required (CCD numbers or 'all')");
    if (values.out === undefined) throw new CalibUsage("calib: --out is required");
    if (raws.length === 0) throw new CalibUsage("calib: no raw files given");
    if (type === "bias" && (values.bias !== undefined || values.dark !== undefined))
      throw new CalibUsage("calib: a bias is made from raws alone (no --bias/--dark)");
    if (type === "dark" && values.dark !== undefined) throw new CalibUsage("calib: a dark is not corrected by a dark");
    const method = (values.method ?? "MEANCLIP").toUpperCase();
    if (method !== "MEANCLIP" && method !== "MEAN" && method !== "MEDIAN")
      throw new CalibUsage(`calib: --method must be MEANCLIP, MEAN or MEDIAN, got '${values.method}'`);
    const clip = values.clip === undefined ? 3 : Number(values.clip);
    if (!(clip > 0)) throw new CalibUsage(`calib: --clip must be a positive number of sigma, got '${values.clip}'`);
    const requested = parseCcds(values.ccd);
    const inst = await loadInstrument(values.instrument, (m) => new CalibUsage(`calib: ${m}`));
    const overrides: ConfigOverride[] = [
      ...(values.config ?? []).map((file) => ({ file })),
      ...(values.c ?? []).map((set) => ({ set })),
    ];
    IsrConfig.validate(applyOverrides(IsrConfig, IsrConfig.defaults(), overrides));
    const ccds = requested === "all" ? await ccdsOf(raws[0]!) : requested;
    if (ccds.length === 0) throw new CalibUsage(`calib: ${raws[0]} has no ccdNN extension`);

    work = await mkdtemp(join(dirname(values.out), `.${basename(values.out)}.work-`));
    const combine: CombineOptions = {
      method,
      clip,
      ...(type === "flat" ? { scaling: "MEAN" as const } : {}),
    };
    const out = await FitsWriter.create(values.out);
    try {
      const primary = new Header();
      primary.set("OBSTYPE", type.toUpperCase(), { comment: "master calibration type" });
      primary.set("NCOMBINE", raws.length, { comment: "raw exposures combined" });
      primary.set("CALMETH", method, { comment: "combination statistic" });
      if (method === "MEANCLIP") primary.set("CALCLIP", clip, { comment: "clipping threshold, sigma" });
      for (const r of raws) primary.add("HISTORY", `input: ${basename(r)}`);
      await out.writeImage(new Uint8Array(0), [], { header: primary });
      let usedConfig: ReturnType<typeof IsrConfig.defaults> | undefined;
      for (const ccd of ccds) {
        const frames: string[] = [];
        const darkTimes: number[] = [];
        let size: [number, number] = [0, 0];
        const calibs: { -readonly [K in keyof IsrCalibs]: IsrCalibs[K] } = {};
        for (const [k, path] of raws.entries()) {
          const raw = await inst.readMegacamRaw(path, ccd);
          let config = IsrConfig.applyData(
            IsrConfig.defaults(),
            inst.megacamIsrConfigOverrides(raw.filter ?? null, false),
            `${values.instrument} defaults`,
          );
          config = IsrConfig.applyData(config, TYPE_CONFIG[type], `calib ${type}`);
          config = applyOverrides(IsrConfig, config, overrides);
          usedConfig = config;
          if (k === 0) {
            if (values.bias !== undefined) calibs.bias = await inst.readMegacamCalib(values.bias, ccd);
            if (values.dark !== undefined) calibs.dark = { image: await inst.readMegacamCalib(values.dark, ccd), darkTime: 1 };
          }
          const result = await new IsrTask({ config }).run(raw, calibs);
          const img = result.exposure.image.toContiguous();
          size = [img.width, img.height];
          const darkTime = raw.visitInfo?.darkTime ?? Number.NaN;
          if (type === "dark" && !(darkTime > 0))
            throw new Error(`calib dark: ${path}[ccd${String(ccd).padStart(2, "0")}] has no positive dark time`);
          darkTimes.push(darkTime);
          const frame = join(work, `ccd${ccd}-${k}.fits`);
          const w = await FitsWriter.create(frame);
          await w.writeImage(img.array, size);
          await w.close();
          frames.push(frame);
        }
        const files = await Promise.all(frames.map((f) => FitsFile.open(f)));
        try {
          const inputs = files.map((f, k) => fitsBandInput(f, 0, size[0], type === "dark" ? darkTimes[k]! : 1));
          const res = await combineFrames(inputs, size[0], size[1], combine);
          const extname = `ccd${String(ccd).padStart(2, "0")}`;
          const h = new Header();
          h.set("BUNIT", type === "bias" ? "adu" : type === "dark" ? "electron/s" : "", {
            comment: type === "flat" ? "relative response (mean 1)" : "pixel unit",
          });
          if (type === "dark") h.set("DARKTIME", 1, { comment: "master dark is per second of dark time" });
          h.set("NCOMBINE", inputs.length, { comment: "frames combined" });
          h.set("NREJECT", res.nRejected, { comment: "input pixels rejected by clipping" });
          await out.writeImage(res.image.toContiguous().array, size, { header: h, extname });
          log.info(
            `calib ${type}: ${extname} from ${inputs.length} frames (${method}${method === "MEANCLIP" ? ` ${clip} sigma` : ""}; ${res.nRejected} px rejected)`,
          );
        } finally {
          await Promise.all(files.map((f) => f.close()));
          await Promise.all(frames.map((f) => rm(f, { force: true })));
        }
      }
      if (usedConfig) await out.writeRaw(configTable(usedConfig));
      await out.close();
    } catch (e) {
      await out.abort();
      throw e;
    }
    log.info(`calib ${type}: wrote ${values.out} (${ccds.length} CCD${ccds.length > 1 ? "s" : ""})`);
    return 0;
  } catch (e) {
    if (e instanceof CalibUsage) {
      log.error(e.message);
      return 2;
    }
    if (e instanceof ConfigError) {
      log.error(`calib: ${e.message.replace(/:?\n\s*/g, "; ")}`);
      return 2;
    }
    throw e;
  } finally {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  }
}
