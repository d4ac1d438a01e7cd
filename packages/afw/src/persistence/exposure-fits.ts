/**
 * Exposure FITS files in the LSST layout: a primary HDU with metadata and VisitInfo cards, then
 * IMAGE, MASK and VARIANCE extensions (EXTTYPE = EXTNAME, INHERIT = T, LTV1/2 and the "A" pixel
 * WCS giving xy0, MP_<plane> cards on the mask, BUNIT). ds9, astropy and fitsverify read them.
 */

import type { CardValue } from "../fits/card.js";
import { FitsError } from "../fits/errors.js";
import { FitsFile, type FitsOpenOptions } from "../fits/file.js";
import type { HduInfo } from "../fits/hdu.js";
import { Header } from "../fits/header.js";
import { isStructuralKeyword } from "../fits/image-header.js";
import type { FitsPixelArray } from "../fits/pixels.js";
import type { CompressionOptions } from "../fits/tiled-write.js";
import { FitsWriter, type RawHdu } from "../fits/writer.js";
import { Box2I } from "../geom/box.js";
import { Point2I } from "../geom/point.js";
import { SpherePoint } from "../geom/sphere.js";
import { makeFilterLabel } from "../image/components.js";
import type { PixelArray, PixelDtype } from "../image/dtype.js";
import { Exposure } from "../image/exposure.js";
import { ExposureInfo } from "../image/exposureInfo.js";
import { Image } from "../image/image.js";
import { Mask } from "../image/mask.js";
import { MaskedImage } from "../image/maskedImage.js";
import { MaskPlaneDict } from "../image/maskPlaneDict.js";
import { isoStringToMjd, mjdToIsoString } from "../image/mjd.js";
import { OrderedPropertyList, type PropertyList } from "../image/propertyList.js";
import { makeVisitInfo, type RotType, type VisitInfo } from "../image/visitInfo.js";
import { getFitsMetadata, hasCelestialWcs, readSkyWcs, SkyWcs, WcsError } from "../wcs/index.js";

/** Per-plane tile compression for {@link writeExposure} (lossless GZIP is the natural choice for masks). */
export interface ExposureCompression {
  image?: CompressionOptions;
  mask?: CompressionOptions;
  variance?: CompressionOptions;
}

/** Options for {@link writeExposure}. */
export interface WriteExposureOptions {
  /** Tile compression per plane (default: none). */
  compression?: ExposureCompression;
  /** Unit of the image pixels, written as BUNIT (variance gets its square). E.g. "electron", "nJy", "adu". */
  unit?: string;
  /**
   * Extra cards for the IMAGE/MASK/VARIANCE HDUs, e.g. a FITS WCS from the SkyWcs (its CRPIX
   * must already be shifted for xy0: CRPIX_fits = crpix_lsst - xy0 + 1).
   */
  planeCards?: Header;
  /**
   * HDUs appended after VARIANCE, e.g. a provenance table from `encodeBinTable` (readers find the
   * planes by EXTNAME, so extra HDUs do not disturb them).
   */
  extraHdus?: readonly RawHdu[];
}

const RAD = 180 / Math.PI;

/** VisitInfo and identity cards written to the primary HDU (names as afw's VisitInfo.cc). */
function visitInfoCards(info: ExposureInfo, h: Header): void {
  const v = info.visitInfo;
  const num = (key: string, value: number, comment: string): void => {
    if (Number.isFinite(value)) h.set(key, value, { comment, isInteger: false });
  };
  const str = (key: string, value: string, comment: string): void => {
    if (value !== "") h.set(key, value, { comment });
  };
  if (info.id !== null) h.set("EXPID", info.id, { comment: "exposure id" });
  if (info.detector) {
    h.set("DETNAME", info.detector.name, { comment: "detector name" });
    h.set("DETSER", info.detector.serial, { comment: "detector serial" });
    h.set("DETECTOR", info.detector.id, { comment: "detector id" });
  }
  if (info.filter) {
    if (info.filter.band !== undefined) h.set("BAND", info.filter.band, { comment: "abstract filter (band)" });
    if (info.filter.physicalLabel !== undefined) h.set("FILTER", info.filter.physicalLabel, { comment: "physical filter" });
  }
  if (!v) return;
  if (v.id !== 0) h.set("IDNUM", v.id, { comment: "visit/exposure id" });
  num("EXPTIME", v.exposureTime, "exposure time (s)");
  num("DARKTIME", v.darkTime, "dark time (s)");
  if (Number.isFinite(v.date)) {
    h.set("DATE-AVG", mjdToIsoString(v.date), { comment: "mid-exposure date (TAI)" });
    h.set("TIMESYS", "TAI", { comment: "time system of DATE-AVG" });
  }
  num("AVG-ERA", v.era * RAD, "Earth rotation angle at mid-exposure (deg)");
  if (v.boresightRaDec) {
    num("BORE-RA", v.boresightRaDec.raDeg, "boresight ICRS RA (deg)");
    num("BORE-DEC", v.boresightRaDec.decDeg, "boresight ICRS Dec (deg)");
  }
  if (v.boresightAzAlt) {
    num("BORE-AZ", v.boresightAzAlt.raDeg, "boresight azimuth (deg)");
    num("BORE-ALT", v.boresightAzAlt.decDeg, "boresight altitude (deg)");
  }
  num("BORE-AIRMASS", v.boresightAirmass, "boresight airmass");
  num("BORE-ROTANG", v.boresightRotAngle * RAD, "rotator angle (deg)");
  if (v.rotType !== "UNKNOWN") h.set("ROTTYPE", v.rotType, { comment: "meaning of BORE-ROTANG" });
  if (v.observatory) {
    num("OBS-LONG", v.observatory.longitude * RAD, "observatory longitude (deg, east positive)");
    num("OBS-LAT", v.observatory.latitude * RAD, "observatory latitude (deg)");
    num("OBS-ELEV", v.observatory.elevation, "observatory elevation (m)");
  }
  if (v.weather) {
    num("AIRTEMP", v.weather.airTemperature, "air temperature (C)");
    num("AIRPRESS", v.weather.airPressure, "air pressure (Pa)");
    num("HUMIDITY", v.weather.humidity, "relative humidity (%)");
  }
  str("INSTRUMENT", v.instrumentLabel, "instrument");
  num("FOCUSZ", v.focusZ, "focus position (mm)");
  str("OBSTYPE", v.observationType, "observation type");
  str("PROGRAM", v.scienceProgram, "science programme");
  str("REASON", v.observationReason, "reason for the observation");
  str("OBJECT", v.object, "target");
  if (v.hasSimulatedContent) h.set("HAS-SIMULATED-CONTENT", true, { comment: "pixels contain simulated content" });
}

/** Keywords that {@link visitInfoCards} owns (removed from metadata when reading). */
const VISIT_KEYS = new Set([
  "EXPID",
  "DETNAME",
  "DETSER",
  "DETECTOR",
  "BAND",
  "FILTER",
  "IDNUM",
  "EXPTIME",
  "DARKTIME",
  "DATE-AVG",
  "TIMESYS",
  "AVG-ERA",
  "BORE-RA",
  "BORE-DEC",
  "BORE-AZ",
  "BORE-ALT",
  "BORE-AIRMASS",
  "BORE-ROTANG",
  "ROTTYPE",
  "OBS-LONG",
  "OBS-LAT",
  "OBS-ELEV",
  "AIRTEMP",
  "AIRPRESS",
  "HUMIDITY",
  "INSTRUMENT",
  "FOCUSZ",
  "OBSTYPE",
  "PROGRAM",
  "REASON",
  "OBJECT",
  "HAS-SIMULATED-CONTENT",
]);

/** Cards of the pixel HDUs that describe the HDU itself (never copied into metadata). */
const PLANE_KEYS = /^(EXTTYPE|EXTNAME|INHERIT|LTV[12]|LTM\d_\d|BUNIT|[A-Z]+[12]A|WCSNAMEA|MP_.+)$/;

function planeHeader(kind: "IMAGE" | "MASK" | "VARIANCE", xy0: Point2I, options: WriteExposureOptions): Header {
  const h = new Header();
  h.set("EXTTYPE", kind, { comment: "plane of the exposure" });
  h.set("INHERIT", true, { comment: "readers should merge the primary header" });
  if (options.planeCards) for (const c of options.planeCards.cards) if (!isStructuralKeyword(c.keyword)) h.appendCard(c);
  h.set("LTV1", -xy0.x, { comment: "image offset (ds9): -x0" });
  h.set("LTV2", -xy0.y, { comment: "image offset (ds9): -y0" });
  h.set("CTYPE1A", "LINEAR", { comment: "pixel coordinates in the parent image" });
  h.set("CTYPE2A", "LINEAR", { comment: "pixel coordinates in the parent image" });
  h.set("CRPIX1A", 1, { comment: "reference pixel (FITS, 1-based)", isInteger: false });
  h.set("CRPIX2A", 1, { comment: "reference pixel (FITS, 1-based)", isInteger: false });
  h.set("CRVAL1A", xy0.x, { comment: "x0: parent column of the first pixel", isInteger: false });
  h.set("CRVAL2A", xy0.y, { comment: "y0: parent row of the first pixel", isInteger: false });
  h.set("CUNIT1A", "PIXEL", { comment: "unit of CRVAL1A" });
  h.set("CUNIT2A", "PIXEL", { comment: "unit of CRVAL2A" });
  if (options.unit !== undefined && kind !== "MASK") {
    h.set("BUNIT", kind === "IMAGE" ? options.unit : `(${options.unit})**2`, { comment: "physical unit of the pixels" });
  }
  return h;
}

/** A contiguous copy of a (possibly strided) image's pixels, or the array itself when contiguous. */
function contiguousPixels(img: Image<PixelArray> | Mask): FitsPixelArray {
  return img.isContiguous ? img.array.subarray(0, img.width * img.height) : img.clone().array;
}

/**
 * Writes an exposure in the LSST layout, atomically (temporary file, then rename).
 * @example await writeExposure("calexp.fits", exposure, { unit: "electron", compression: { mask: { compression: "GZIP_2" } } })
 */
export async function writeExposure<T extends PixelArray>(
  path: string,
  exposure: Exposure<T>,
  options: WriteExposureOptions = {},
): Promise<void> {
  const primary = new Header();
  for (const e of exposure.info.metadata.entries()) {
    const key = e.key.toUpperCase();
    if (isStructuralKeyword(key)) continue;
    if (key === "COMMENT" || key === "HISTORY") primary.add(key, String(e.value ?? ""));
    else primary.set(key, e.value as CardValue, e.comment === undefined ? {} : { comment: e.comment });
  }
  visitInfoCards(exposure.info, primary);
  // The exposure's SkyWcs goes into every pixel HDU, CRPIX shifted for xy0 (FITS = LSST − xy0 + 1).
  const wcs = exposure.wcs;
  if (wcs instanceof SkyWcs) {
    const cards = getFitsMetadata(wcs, [exposure.xy0.x, exposure.xy0.y]);
    if (options.planeCards) for (const c of options.planeCards.cards) cards.appendCard(c);
    options = { ...options, planeCards: cards };
  }
  const w = await FitsWriter.create(path);
  try {
    await w.writeImage(new Uint8Array(0), [], { header: primary });
    const xy0 = exposure.xy0;
    const shape = [exposure.width, exposure.height];
    const planes: ["IMAGE" | "MASK" | "VARIANCE", FitsPixelArray, CompressionOptions | undefined][] = [
      ["IMAGE", contiguousPixels(exposure.image as Image<PixelArray>), options.compression?.image],
      ["MASK", contiguousPixels(exposure.mask), options.compression?.mask],
      ["VARIANCE", contiguousPixels(exposure.variance), options.compression?.variance],
    ];
    for (const [kind, data, compression] of planes) {
      const header = planeHeader(kind, xy0, options);
      if (kind === "MASK") {
        for (const p of exposure.mask.planeDict.planes()) header.set(`MP_${p.name}`, p.bit, { comment: "mask plane bit" });
      }
      if (compression) await w.writeCompressedImage(data, shape, { ...compression, header, extname: kind });
      else await w.writeImage(data, shape, { header, extname: kind });
    }
    for (const hdu of options.extraHdus ?? []) await w.writeRaw(hdu);
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Options for {@link readExposure}. */
export interface ReadExposureOptions extends FitsOpenOptions {
  /** Read only this box (PARENT coordinates); only the rows/tiles it touches are read. */
  bbox?: Box2I;
  /** Convert the image plane to this pixel type (default: float32/float64/int32/uint16 kept, others widened). */
  dtype?: PixelDtype;
  /** Mask plane dictionary the mask is conformed to (default: the shared default dictionary). */
  maskDict?: MaskPlaneDict;
}

function toPixelArray(data: FitsPixelArray, dtype: PixelDtype | undefined): PixelArray {
  const want: PixelDtype =
    dtype ??
    (data instanceof Float32Array
      ? "float32"
      : data instanceof Float64Array
        ? "float64"
        : data instanceof Uint16Array
          ? "uint16"
          : data instanceof Int32Array || data instanceof Int16Array || data instanceof Int8Array || data instanceof Uint8Array
            ? "int32"
            : "float64");
  const ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint16: Uint16Array }[want];
  if (data instanceof ctor) return data as PixelArray;
  const out = new ctor(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  else out.set(data as Float64Array);
  return out;
}

function xy0Of(h: Header): Point2I {
  if (h.has("CRVAL1A") && h.has("CRVAL2A") && h.get("CTYPE1A") === "LINEAR") {
    return new Point2I(
      Math.round(h.requireNumber("CRVAL1A") - (h.getNumber("CRPIX1A") ?? 1) + 1),
      Math.round(h.requireNumber("CRVAL2A") - (h.getNumber("CRPIX2A") ?? 1) + 1),
    );
  }
  if (h.has("LTV1") || h.has("LTV2"))
    return new Point2I(-Math.round(h.getNumber("LTV1") ?? 0), -Math.round(h.getNumber("LTV2") ?? 0));
  return new Point2I(0, 0);
}

function readVisitInfo(h: Header): VisitInfo {
  const num = (k: string): number => (h.has(k) ? (h.getNumber(k) ?? Number.NaN) : Number.NaN);
  const str = (k: string): string => (h.has(k) ? String(h.get(k) ?? "") : "");
  const dateText = h.getString("DATE-AVG");
  const sp = (a: string, b: string): SpherePoint | null =>
    Number.isFinite(num(a)) && Number.isFinite(num(b)) ? SpherePoint.fromDegrees(num(a), num(b)) : null;
  const obs = [num("OBS-LONG"), num("OBS-LAT"), num("OBS-ELEV")];
  const weather = [num("AIRTEMP"), num("AIRPRESS"), num("HUMIDITY")];
  return makeVisitInfo({
    id: h.getInt("IDNUM") ?? 0,
    exposureTime: num("EXPTIME"),
    darkTime: num("DARKTIME"),
    date: dateText ? isoStringToMjd(dateText) : Number.NaN,
    era: num("AVG-ERA") / RAD,
    boresightRaDec: sp("BORE-RA", "BORE-DEC"),
    boresightAzAlt: sp("BORE-AZ", "BORE-ALT"),
    boresightAirmass: num("BORE-AIRMASS"),
    boresightRotAngle: num("BORE-ROTANG") / RAD,
    rotType: (h.getString("ROTTYPE") as RotType | undefined) ?? "UNKNOWN",
    observatory: obs.every(Number.isFinite) ? { longitude: obs[0]! / RAD, latitude: obs[1]! / RAD, elevation: obs[2]! } : null,
    weather: weather.some(Number.isFinite)
      ? { airTemperature: weather[0]!, airPressure: weather[1]!, humidity: weather[2]! }
      : null,
    instrumentLabel: str("INSTRUMENT"),
    focusZ: num("FOCUSZ"),
    observationType: str("OBSTYPE"),
    scienceProgram: str("PROGRAM"),
    observationReason: str("REASON"),
    object: str("OBJECT"),
    hasSimulatedContent: h.get("HAS-SIMULATED-CONTENT") === true,
  });
}

function findPlane(hdus: HduInfo[], name: string, fallback: number): HduInfo | undefined {
  const byName = hdus.find((h) => {
    const t = h.header.get("EXTTYPE") ?? h.header.get("EXTNAME");
    return typeof t === "string" && t.trim().toUpperCase() === name;
  });
  if (byName) return byName;
  const h = hdus[fallback];
  if (h && (h.type === "image" || h.type === "compressed-image") && !h.header.has("EXTTYPE") && !h.header.has("EXTNAME"))
    return h;
  return undefined;
}

/**
 * Reads an exposure written in the LSST layout, or a plain image file (then the mask and variance
 * are zero and the primary header becomes the metadata). With `bbox`, only that region is read.
 */
export async function readExposure(path: string | Uint8Array, options: ReadExposureOptions = {}): Promise<Exposure<PixelArray>> {
  const file = await FitsFile.open(path, options);
  try {
    const hdus = await file.hdus();
    const primary = hdus[0]!;
    const imageHdu =
      findPlane(hdus, "IMAGE", 1) ??
      (primary.header.getInt("NAXIS") ? primary : hdus.find((h) => h.type === "image" || h.type === "compressed-image"));
    if (!imageHdu) throw new FitsError("BAD_VALUE", "no image HDU (IMAGE extension or primary image)", { file: file.name });
    const maskHdu = imageHdu === primary ? undefined : findPlane(hdus, "MASK", 2);
    const varianceHdu = imageHdu === primary ? undefined : findPlane(hdus, "VARIANCE", 3);
    const imageHeader = file.imageHeader(imageHdu);
    const xy0 = xy0Of(imageHeader);
    const fullShape = [imageHeader.requireInt("NAXIS1"), imageHeader.requireInt("NAXIS2")];
    const full = Box2I.fromXYWH(xy0.x, xy0.y, fullShape[0]!, fullShape[1]!);
    const box = options.bbox ?? full;
    if (!full.contains(box)) {
      throw new FitsError("BAD_ARGUMENT", `bbox ${box.toString()} is not inside the image's ${full.toString()}`, {
        file: file.name,
        hdu: imageHdu.index,
      });
    }
    const section = { start: [box.minX - xy0.x, box.minY - xy0.y], shape: [box.width, box.height] };
    const pixels = await file.readImage(imageHdu.index, { section });
    const image = new Image(toPixelArray(pixels.data, options.dtype), box.width, box.height, { xy0: box.min });
    const dict = options.maskDict ?? MaskPlaneDict.getDefault();
    let mask: Mask | undefined;
    if (maskHdu) {
      const m = await file.readImage(maskHdu.index, { section });
      const planes = new Map<string, number>();
      for (const c of m.header.cards)
        if (!c.commentary && c.keyword.startsWith("MP_") && typeof c.value === "number") planes.set(c.keyword.slice(3), c.value);
      const arr = m.data instanceof Int32Array ? m.data : Int32Array.from(m.data as ArrayLike<number>);
      Mask.conform(arr, planes, dict);
      mask = new Mask(arr, box.width, box.height, { xy0: box.min, planeDict: dict });
    }
    let variance: Image<Float32Array> | undefined;
    if (varianceHdu) {
      const v = await file.readImage(varianceHdu.index, { section });
      variance = new Image(toPixelArray(v.data, "float32") as Float32Array, box.width, box.height, { xy0: box.min });
    }
    const metadata: PropertyList = new OrderedPropertyList();
    const ph = primary.header;
    for (const c of ph.cards) {
      if (c.commentary) {
        if (c.keyword === "COMMENT" || c.keyword === "HISTORY") metadata.add(c.keyword, String(c.value));
        continue;
      }
      if (isStructuralKeyword(c.keyword) || VISIT_KEYS.has(c.keyword) || (imageHdu === primary && PLANE_KEYS.test(c.keyword)))
        continue;
      const value = typeof c.value === "object" && c.value !== null ? `(${c.value.re}, ${c.value.im})` : c.value;
      metadata.add(c.keyword, value, c.comment || undefined);
    }
    const band = ph.getString("BAND");
    const physical = ph.getString("FILTER");
    const info = new ExposureInfo({
      metadata,
      visitInfo: readVisitInfo(ph),
      id: ph.getInt("EXPID") ?? null,
      filter:
        band !== undefined || physical !== undefined
          ? makeFilterLabel({
              ...(band !== undefined ? { band } : {}),
              ...(physical !== undefined ? { physicalLabel: physical } : {}),
            })
          : null,
      detector: ph.has("DETNAME")
        ? { name: ph.getString("DETNAME") ?? "", id: ph.getInt("DETECTOR") ?? 0, serial: ph.getString("DETSER") ?? "" }
        : null,
    });
    // WCS of the IMAGE HDU, in PARENT pixels (xy0 from the "A" pixel WCS)
    // (a WCS form we do not implement leaves wcs null; a malformed one is an error naming the card)
    if (hasCelestialWcs(imageHeader)) {
      try {
        info.wcs = readSkyWcs(imageHeader, { xy0: [xy0.x, xy0.y], location: { file: file.name, hdu: imageHdu.index } });
      } catch (e) {
        if (!(e instanceof WcsError && e.code === "UNSUPPORTED")) throw e;
      }
    }
    return new Exposure(new MaskedImage(image, mask, variance), info);
  } finally {
    await file.close();
  }
}
