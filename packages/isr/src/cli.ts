/**
 * `skystack isr`: ISR of one raw CCD to an Exposure file (LSST layout: image in electrons, mask,
 * variance in e⁻²). The pipe CLI dispatcher loads this module dynamically (pipe cannot depend on
 * isr); the instrument package is loaded dynamically too (isr cannot depend on obs packages).
 */
import { parseArgs } from "node:util";
import { encodeBinTable, FitsFile, type Header, type Image, type RawHdu, writeExposure } from "@skystack/afw";
import { applyOverrides, ConfigError, type ConfigOverride } from "@skystack/pipe";
import { loadInstrument } from "./instrumentModule.js";
import { IsrConfig, type IsrConfigValue, IsrTask } from "./isrTask.js";
import type { IsrCalibs } from "./runIsr.js";

/** Where the command writes its messages (pipe's CliLog satisfies it). */
export interface IsrCliLog {
  /** Progress and results. */
  info(message: string): void;
  /** The one-line reason of a failure. */
  error(message: string): void;
  /** Something the user should know that does not stop the command (e.g. an input not used). */
  warn(message: string): void;
  /** Details for --log-level debug. */
  debug(message: string): void;
}

const USAGE = `usage: skystack isr --instrument NAME --raw FILE [--ccd N] [--bias F] [--dark F] [--flat F]
                    [--fringe F] [--defects F] [--config F]... [-c key=value]... --out FILE

Instrument signature removal of one CCD; writes the assembled, trimmed Exposure (electrons, mask,
variance) in the LSST layout, plus a table HDU ISR_CONFIG with the resolved config (FIELD, VALUE).

  --instrument NAME   megacam (CFHT MegaCam / MegaPrime)
  --raw FILE          raw MEF (.fits or .fits.fz)
  --ccd N             CCD number (MegaCam: 0-39; required for a MEF)
  --bias/--dark/--flat/--fringe F
                      master calibrations: a MEF with one extension per CCD (ccdNN) or one image;
                      bias in ADU, dark in electrons per DARKTIME seconds (header; default 1 s)
  --defects F         defects (MegaCam: Elixir mask MEF, 0 = bad; or an obs_cfht/afw defect table:
                      FITS BINTABLE or .ecsv with x0, y0, width, height in the detector frame)

Elixir-processed frames (IMRED_OP card, or a NNNNNNNp.fits name) are already overscan-, bias-
and flat-corrected: as in obs_cfht's isr config, --bias/--dark/--flat/--fringe are then not used
(a warning names them) unless -c/--config turns the step back on.
  --config F          JSON/YAML IsrConfig overrides (repeatable; applied before -c)
  -c key=value        one IsrConfig override, e.g. -c overscan.fitType=MEDIAN (repeatable)
  --out FILE          output Exposure FITS`;

class IsrUsage extends Error {}

/** A calibration file that does not fit the raw CCD (exit 1, one line naming the file). */
class CalibSizeError extends Error {}

/**
 * The resolved IsrConfig as a table HDU `ISR_CONFIG` (columns FIELD, VALUE: the dotted field name
 * and its value as JSON), so each output records exactly how it was made; astropy, TOPCAT and
 * `skystack fits info` read it.
 */
export function configTable(config: IsrConfigValue, extname = "ISR_CONFIG"): RawHdu {
  const fields: string[] = [];
  const values: string[] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else {
      fields.push(prefix);
      values.push(JSON.stringify(v) ?? "null");
    }
  };
  walk("", IsrConfig.toJSON(config));
  return encodeBinTable(
    [
      { name: "FIELD", data: fields },
      { name: "VALUE", data: values },
    ],
    { extname },
  );
}

/** DARKTIME of a master dark (its ccdNN extension, else the primary header); 1 s when absent. */
async function darkTimeOf(path: string, ccd: number): Promise<number> {
  const file = await FitsFile.open(path);
  try {
    let header: Header;
    try {
      header = (await file.hdu(`ccd${String(ccd).padStart(2, "0")}`)).header;
    } catch {
      header = (await file.hdu(0)).header;
    }
    return header.getNumber("DARKTIME") ?? 1;
  } finally {
    await file.close();
  }
}

/**
 * Runs `skystack isr` with its arguments (after the command name); returns the exit status:
 * 0 done, 2 bad usage or config (one-line reason logged), other failures throw (exit 1 upstream).
 */
export async function isrCommand(argv: readonly string[], log: IsrCliLog): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      instrument: { type: "string" },
      raw: { type: "string" },
      ccd: { type: "string" },
      bias: { type: "string" },
      dark: { type: "string" },
      flat: { type: "string" },
      fringe: { type: "string" },
      defects: { type: "string" },
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
  try {
    if (positionals.length > 0) throw new IsrUsage(`isr: unexpected argument '${positionals[0]}'`);
    if (values.instrument === undefined) throw new IsrUsage("isr: --instrument is required");
    if (values.raw === undefined) throw new IsrUsage("isr: --raw is required");
    if (values.out === undefined) throw new IsrUsage("isr: --out is required");
    if (values.ccd === undefined) throw new IsrUsage(`isr: --ccd is required for ${values.instrument} (a multi-CCD file)`);
    if (!/^\d+$/.test(values.ccd)) throw new IsrUsage(`isr: --ccd must be a CCD number, got '${values.ccd}'`);
    const ccd = Number(values.ccd);
    const inst = await loadInstrument(values.instrument, (m) => new IsrUsage(`isr: ${m}`));
    const overrides: ConfigOverride[] = [
      ...(values.config ?? []).map((file) => ({ file })),
      ...(values.c ?? []).map((set) => ({ set })),
    ];
    // check the overrides before reading any pixels (the instrument defaults need the raw's filter)
    IsrConfig.validate(applyOverrides(IsrConfig, IsrConfig.defaults(), overrides));

    const raw = await inst.readMegacamRaw(values.raw, ccd);
    const elixir = inst.isElixirProcessed(raw.headers.ccd, values.raw);
    let config = IsrConfig.applyData(
      IsrConfig.defaults(),
      inst.megacamIsrConfigOverrides(raw.filter ?? null, elixir),
      `${values.instrument} defaults`,
    );
    config = applyOverrides(IsrConfig, config, overrides);
    const task = new IsrTask({ config });

    const calibs: {
      -readonly [K in keyof IsrCalibs]: IsrCalibs[K];
    } = {};
    // a calibration whose step the resolved config turns off is not read (obs_cfht: p frames)
    const off = (["bias", "dark", "flat", "fringe"] as const).filter(
      (k) => values[k] !== undefined && !config[`do${k[0]!.toUpperCase()}${k.slice(1)}` as "doBias"],
    );
    if (off.length > 0) {
      const why = elixir ? `${values.raw} is Elixir-processed (${raw.headers.ccd.getString("IMRED_OP") ?? "a p file"}); ` : "";
      log.warn(
        `isr: ${why}${off.map((k) => `--${k}`).join(", ")} not used (${off.map((k) => `do${k[0]!.toUpperCase()}${k.slice(1)}`).join(", ")} off)`,
      );
      for (const k of off) delete values[k];
    }
    // A calibration of the wrong size is refused here, naming the file (runIsr only knows "bias").
    const readCalib = async (flag: string, path: string): Promise<Image<Float32Array>> => {
      const img = await inst.readMegacamCalib(path, ccd);
      const det = raw.detector.bbox;
      const fits = (w: number, h: number) => img.width === w && img.height === h;
      if (!fits(det.width, det.height) && !fits(raw.image.width, raw.image.height))
        throw new CalibSizeError(
          `isr: --${flag} ${path} (ccd ${ccd}) is ${img.width}x${img.height}; expected the detector ${det.width}x${det.height} or the raw frame ${raw.image.width}x${raw.image.height}`,
        );
      return img;
    };
    if (values.bias !== undefined) calibs.bias = await readCalib("bias", values.bias);
    if (values.dark !== undefined)
      calibs.dark = { image: await readCalib("dark", values.dark), darkTime: await darkTimeOf(values.dark, ccd) };
    if (values.flat !== undefined) calibs.flat = await readCalib("flat", values.flat);
    if (values.fringe !== undefined) calibs.fringe = await readCalib("fringe", values.fringe);
    if (values.defects !== undefined) calibs.defects = await inst.readMegacamDefects(values.defects, raw.detector);

    const result = await task.run(raw, calibs);
    await writeExposure(values.out, result.exposure, {
      unit: config.doApplyGains ? "electron" : "adu",
      extraHdus: [configTable(config)],
    });
    const { sat, bad, intrp } = result.counts;
    log.info(
      `isr: ${raw.detector.name} -> ${values.out} (${result.exposure.width}x${result.exposure.height}, electrons; SAT ${sat}, BAD ${bad}, INTRP ${intrp} px${result.fringe ? `, fringe amplitude ${result.fringe.amplitude.toPrecision(4)}` : ""})`,
    );
    log.debug(`isr config: ${JSON.stringify(IsrConfig.toJSON(config))}`);
    return 0;
  } catch (e) {
    if (e instanceof IsrUsage) {
      log.error(e.message);
      return 2;
    }
    if (e instanceof CalibSizeError) {
      log.error(e.message);
      return 1;
    }
    if (e instanceof ConfigError) {
      log.error(`isr: ${e.message.replace(/:?\n\s*/g, "; ")}`);
      return 2;
    }
    throw e;
  }
}
