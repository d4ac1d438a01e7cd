import { FitsError, WcsError } from "@skystack/afw";
import { demo } from "./demo.js";
import { UsageError } from "./errors.js";
import { fitsConvert, fitsHeader, fitsInfo } from "./fits.js";
import { CliLog, LOG_LEVELS, type LogLevel } from "./log.js";
import { butlerCmd, configCmd, runCmd } from "./pipe-commands.js";
import { wcsCommand } from "./wcs.js";

const HELP = `usage: skystack [--log-level debug|info|warn|error] COMMAND ...

Commands:
  fits info FILE [--json]            list the HDUs of a FITS file
  fits header FILE [--hdu N]         print a header
  fits convert IN OUT [options]      copy, compress or decompress a FITS file
  wcs pix2sky|sky2pix FILE [--hdu N] pixel <-> sky (stdin/stdout, degrees, 0-based pixels)
  isr --instrument NAME --raw FILE --ccd N [--bias F] [--dark F] [--flat F] [--fringe F]
      [--defects F] [--config F] [-c key=value]... --out FILE
                                     ISR of one raw CCD to an Exposure (electrons)
  calib bias|dark|flat --instrument NAME --ccd N[,N..]|all [--bias F] [--dark F] --out F RAW...
                                     master calibration from raw exposures (cp_pipe style)
  demo [--out DIR]                   the main job on built-in data
  config show -p PIPELINE.yaml [-c LABEL:path=value]...   print resolved task configs with docs
  butler create|ingest-raws|query-datasets|query-collections|remove-runs REPO ...
                                     manage a data repository
  run -b REPO -p PIPELINE.yaml[#subset] -i IN -o OUT [-d WHERE] [-j N] [--executor local|slurm]
                                     plan and execute a pipeline

Run 'skystack COMMAND --help' for a command's options.`;

/** Pulls `--log-level X` (anywhere) out of argv. */
function takeLogLevel(argv: string[]): { level: LogLevel; rest: string[] } {
  const rest: string[] = [];
  let level: LogLevel = "info";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let value: string | undefined;
    if (a === "--log-level") value = argv[++i];
    else if (a.startsWith("--log-level=")) value = a.slice("--log-level=".length);
    else {
      rest.push(a);
      continue;
    }
    if (!LOG_LEVELS.includes(value as LogLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
    level = value as LogLevel;
  }
  return { level, rest };
}

/** Runs the CLI with arguments (without the program name); returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  let log = new CliLog("info");
  try {
    const { level, rest } = takeLogLevel(argv);
    log = new CliLog(level);
    const [cmd, sub, ...args] = rest;
    if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
      process.stdout.write(`${HELP}\n`);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === "fits") {
      if (sub === "info") return await fitsInfo(args, log);
      if (sub === "header") return await fitsHeader(args);
      if (sub === "convert") return await fitsConvert(args, log);
      if (sub === undefined || sub === "--help" || sub === "-h") {
        process.stdout.write(`${HELP}\n`);
        return sub === undefined ? 2 : 0;
      }
      throw new UsageError(`unknown command 'fits ${sub}'`);
    }
    if (cmd === "wcs") return await wcsCommand(sub, args, log);
    if (cmd === "isr" || cmd === "calib") {
      // pipe cannot depend on isr (isr depends on pipe): load it at run time by a non-literal specifier
      const spec = "@skystack/isr";
      let isr: {
        isrCommand(argv: string[], log: CliLog): Promise<number>;
        calibCommand(argv: string[], log: CliLog): Promise<number>;
      };
      try {
        isr = (await import(spec)) as typeof isr;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err?.code === "ERR_MODULE_NOT_FOUND" && err.message.includes(spec))
          throw new Error(`skystack ${cmd} needs the ${spec} package, which is not installed`);
        throw e;
      }
      const rest = sub === undefined ? [] : [sub, ...args];
      return await (cmd === "isr" ? isr.isrCommand(rest, log) : isr.calibCommand(rest, log));
    }
    if (cmd === "demo") return await demo(sub === undefined ? [] : [sub, ...args], log);
    if (cmd === "config") return await configCmd(sub, args);
    if (cmd === "butler") return await butlerCmd(sub, args, log);
    if (cmd === "run") return await runCmd(sub === undefined ? [] : [sub, ...args], log, level);
    throw new UsageError(`unknown command '${cmd}' (try skystack --help)`);
  } catch (e) {
    if (e instanceof UsageError) {
      log.error(e.message);
      return 2;
    }
    if (e instanceof FitsError || e instanceof WcsError) {
      log.error(e.message);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (
      err &&
      typeof err.message === "string" &&
      (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ||
        err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" ||
        err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
    ) {
      log.error(err.message);
      return 2;
    }
    log.error(err?.message ?? String(e));
    log.debug(err?.stack ?? "");
    return 1;
  }
}
