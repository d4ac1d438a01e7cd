/**
 * The instrument package a CLI command needs (`--instrument NAME`), loaded at run time: isr cannot
 * depend on obs packages (they depend on isr), so the CLI imports them by name.
 */
import type { Box2I, Detector, FilterLabel, Header, Image } from "@skystack/afw";
import type { RawCcd } from "./runIsr.js";

/** What the ISR commands use from an instrument package (the obs-cfht functions). */
export interface InstrumentModule {
  readMegacamRaw(
    path: string,
    ccd: number,
  ): Promise<RawCcd & { readonly headers: { readonly primary: Header; readonly ccd: Header } }>;
  readMegacamCalib(path: string, ccd: number): Promise<Image<Float32Array>>;
  readMegacamDefects(path: string, detector: Detector): Promise<Box2I[]>;
  isElixirProcessed(ccdHeader: Header, fileName?: string): boolean;
  megacamIsrConfigOverrides(filter: FilterLabel | null, elixirProcessed: boolean): Record<string, unknown>;
}

const INSTRUMENTS: Readonly<Record<string, string>> = { megacam: "@skystack/obs-cfht", cfht: "@skystack/obs-cfht" };

/**
 * Imports the package of instrument `name`.
 * @param usage makes the error thrown for an unknown name (the caller's usage error type).
 */
export async function loadInstrument(name: string, usage: (message: string) => Error): Promise<InstrumentModule> {
  const spec = INSTRUMENTS[name.toLowerCase()];
  if (spec === undefined) throw usage(`unknown --instrument '${name}' (known: megacam)`);
  try {
    return (await import(spec)) as InstrumentModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "ERR_MODULE_NOT_FOUND" && err.message.includes(spec))
      throw new Error(`--instrument ${name} needs the ${spec} package, which is not installed`);
    throw e;
  }
}
