/**
 * The MegaCam instrument for butler ingest (`skystack butler ingest-raws REPO --instrument cfht
 * FILE...`): one raw dataset per CCD extension, data id from the headers (instrument, exposure =
 * EXPNUM, detector = CCD number, band; a filter without a known band uses its physical name).
 */
import type { FitsFile } from "@skystack/afw";
import type { Instrument, RawDataset } from "@skystack/pipe";
import { CfhtError } from "./errors.js";
import { megacamDetectorName, translateMegacamHeader } from "./translator.js";

/** MegaCam raws as the butler ingests them. */
export const instrument: Instrument = {
  name: "MegaPrime",
  rawDimensions: ["instrument", "exposure", "detector", "band"],
  async rawDatasets(file: FitsFile, path: string): Promise<RawDataset[]> {
    const hdus = await file.hdus();
    const primary = hdus[0]!.header;
    const out: RawDataset[] = [];
    for (const h of hdus) {
      if (h.type !== "image" && h.type !== "compressed-image") continue;
      const header = file.imageHeader(h);
      if ((header.getInt("NAXIS") ?? 0) < 2) continue;
      if (h.index > 0 && megacamDetectorName(header) === null) continue;
      const obs = translateMegacamHeader(primary, h.index > 0 ? header : null, `${path} HDU ${h.index}`);
      if (obs.dataId.detector === null) {
        throw new CfhtError("BAD_FORMAT", `${path} HDU ${h.index}: no CCD number (EXTNAME ccdNN or CCDNUM)`);
      }
      const dataId: Record<string, string | number> = {
        instrument: obs.dataId.instrument,
        exposure: obs.dataId.exposure,
        detector: obs.dataId.detector,
        band: obs.dataId.band ?? obs.dataId.physical_filter,
      };
      out.push({ dataId, hdu: h.index });
    }
    if (out.length === 0) throw new CfhtError("BAD_FORMAT", `${path}: no MegaCam CCD image in the file`);
    return out;
  },
};
