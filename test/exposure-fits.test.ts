// Exposure FITS files in the LSST layout: written by skystack, read back identically, valid for
// fitsverify and read by astropy with image, mask and variance in the right HDUs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Box2I,
  Exposure,
  FitsFile,
  MaskPlaneDict,
  makeFilterLabel,
  makeVisitInfo,
  Point2I,
  readExposure,
  SpherePoint,
  writeExposure,
} from "@skystack/afw";
import { afterAll, describe, expect, it } from "vitest";
import { astropyDigest, fitsverify, HAVE_ASTROPY, HAVE_FITSVERIFY, PYTHON, sha256 } from "./helpers/tools.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-exposure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeExposure(): Exposure {
  const exp = Exposure.make(37, 23, "float32", { xy0: new Point2I(100, 200) });
  const { image, mask, variance } = exp;
  for (let y = 0; y < 23; y++) {
    for (let x = 0; x < 37; x++) {
      image.set(x, y, 1000 + x * 10 + y + (x === 5 && y === 7 ? Number.NaN : 0));
      variance.set(x, y, 50 + x);
    }
  }
  mask.addMaskPlane("CROSSTALK");
  mask.setMaskPlane("SAT", Box2I.fromXYWH(110, 205, 3, 2));
  mask.setMaskPlane("CROSSTALK", Box2I.fromXYWH(120, 210, 4, 4));
  mask.setMaskPlane("BAD", Box2I.fromXYWH(100, 200, 1, 23));
  exp.info.visitInfo = makeVisitInfo({
    id: 1616687,
    exposureTime: 287.1,
    darkTime: 288,
    date: 56391.5123,
    boresightRaDec: SpherePoint.fromDegrees(215.12, -12.9),
    boresightAirmass: 1.373,
    instrumentLabel: "MegaPrime",
    observationType: "science",
    object: "OSSOS 13AP05",
    observatory: { longitude: (-155.4681 * Math.PI) / 180, latitude: (19.8253 * Math.PI) / 180, elevation: 4204 },
  });
  exp.info.filter = makeFilterLabel({ band: "r", physicalLabel: "r.MP9601" });
  exp.info.detector = { name: "ccd10", id: 10, serial: "8352-15-3" };
  exp.info.id = 161668710;
  exp.info.metadata.set("ORIGIN", "skystack test", "who wrote this");
  exp.info.metadata.set("GAINA", 1.58);
  return exp;
}

describe("writeExposure / readExposure", () => {
  const path = join(dir, "calexp.fits");
  const exp = makeExposure();

  it("writes the LSST layout that fitsverify accepts", async () => {
    await writeExposure(path, exp, { unit: "electron" });
    if (HAVE_FITSVERIFY) {
      const v = fitsverify(path);
      expect(v, v.report).toMatchObject({ errors: 0, warnings: 0 });
    }
    const f = await FitsFile.open(path);
    const hdus = await f.hdus();
    expect(hdus.map((h) => h.extname)).toEqual([undefined, "IMAGE", "MASK", "VARIANCE"]);
    const mh = hdus[2]!.header;
    expect(mh.get("EXTTYPE")).toBe("MASK");
    expect(mh.get("MP_BAD")).toBe(0);
    expect(mh.get("MP_SAT")).toBe(1);
    expect(mh.get("MP_CROSSTALK")).toBe(exp.mask.getMaskPlane("CROSSTALK"));
    expect(hdus[1]!.header.get("LTV1")).toBe(-100);
    expect(hdus[1]!.header.get("CRVAL2A")).toBe(200);
    expect(hdus[1]!.header.get("BUNIT")).toBe("electron");
    expect(hdus[3]!.header.get("BUNIT")).toBe("(electron)**2");
    expect(hdus[0]!.header.get("EXPTIME")).toBe(287.1);
    expect(hdus[0]!.header.get("TIMESYS")).toBe("TAI");
    await f.close();
  });

  it.skipIf(!HAVE_ASTROPY)("astropy finds image, mask and variance with the same pixels", () => {
    const a = astropyDigest(path);
    expect(a.map((h) => h.name)).toEqual(["PRIMARY", "IMAGE", "MASK", "VARIANCE"]);
    expect(a[1]).toMatchObject({ dtype: "<f4", shape: [37, 23], sha256: sha256(exp.image.array) });
    expect(a[2]).toMatchObject({ dtype: "<i4", sha256: sha256(exp.mask.array) });
    expect(a[3]).toMatchObject({ dtype: "<f4", sha256: sha256(exp.variance.array) });
    const wcsA = execFileSync(
      PYTHON,
      [
        "-c",
        `from astropy.io import fits; from astropy.wcs import WCS; import warnings; warnings.simplefilter('ignore'); w = WCS(fits.getheader(${JSON.stringify(path)}, 1), key='A'); print(*w.wcs_pix2world([[0, 0]], 0)[0])`,
      ],
      { encoding: "utf8" },
    );
    expect(wcsA.trim().split(/\s+/).map(Number)).toEqual([100, 200]);
  });

  it("reads back identically, with xy0, mask planes, VisitInfo and metadata", async () => {
    const back = await readExposure(path);
    expect(back.xy0.equals(new Point2I(100, 200))).toBe(true);
    expect(back.image.array.constructor).toBe(Float32Array);
    expect(sha256(back.image.array)).toBe(sha256(exp.image.array));
    expect(sha256(back.mask.array)).toBe(sha256(exp.mask.array));
    expect(sha256(back.variance.array)).toBe(sha256(exp.variance.array));
    expect(back.mask.getMaskPlane("CROSSTALK")).toBe(exp.mask.getMaskPlane("CROSSTALK"));
    const v = back.info.visitInfo!;
    expect(v.exposureTime).toBe(287.1);
    expect(v.id).toBe(1616687);
    expect(Math.abs(v.date - 56391.5123) * 86400e6).toBeLessThan(1); // microseconds
    expect(v.boresightRaDec!.raDeg).toBeCloseTo(215.12, 12);
    expect(v.boresightAirmass).toBe(1.373);
    expect(v.instrumentLabel).toBe("MegaPrime");
    expect(v.object).toBe("OSSOS 13AP05");
    expect(v.observatory!.elevation).toBe(4204);
    expect(back.info.filter).toEqual({ band: "r", physicalLabel: "r.MP9601" });
    expect(back.info.detector).toEqual({ name: "ccd10", id: 10, serial: "8352-15-3" });
    expect(back.info.id).toBe(161668710);
    expect(back.info.metadata.get("ORIGIN")).toBe("skystack test");
    expect(back.info.metadata.get("GAINA")).toBe(1.58);
  });

  it("reads a PARENT-coordinate bbox as a cutout equal to the subimage", async () => {
    const box = Box2I.fromXYWH(105, 203, 10, 6);
    const cut = await readExposure(path, { bbox: box });
    expect(cut.bbox.equals(box)).toBe(true);
    const want = exp.subimage(box).clone();
    expect(sha256(cut.image.array)).toBe(sha256(want.image.array));
    expect(sha256(cut.mask.array)).toBe(sha256(want.mask.array));
    await expect(readExposure(path, { bbox: Box2I.fromXYWH(90, 200, 5, 5) })).rejects.toThrow(/not inside the image/);
  });

  it("writes tile-compressed planes that read back (image within quantization, mask/variance exact)", async () => {
    const cpath = join(dir, "calexp-compressed.fits");
    await writeExposure(cpath, exp, {
      unit: "electron",
      compression: {
        image: { compression: "RICE_1", quantizeLevel: -0.01 },
        mask: { compression: "GZIP_2" },
        variance: { compression: "GZIP_2", quantizeMethod: "NONE" },
      },
    });
    if (HAVE_FITSVERIFY) {
      const v = fitsverify(cpath);
      expect(v, v.report).toMatchObject({ errors: 0, warnings: 0 });
    }
    const back = await readExposure(cpath);
    expect(back.xy0.equals(exp.xy0)).toBe(true);
    expect(sha256(back.mask.array)).toBe(sha256(exp.mask.array));
    expect(sha256(back.variance.array)).toBe(sha256(exp.variance.array));
    for (let i = 0; i < exp.image.array.length; i++) {
      const a = exp.image.array[i]!;
      const b = back.image.array[i] as number;
      if (Number.isNaN(a)) expect(Number.isNaN(b)).toBe(true);
      else expect(Math.abs(a - b)).toBeLessThanOrEqual(0.005 + 1e-4);
    }
    if (HAVE_ASTROPY) expect(astropyDigest(cpath).map((h) => h.name)).toEqual(["PRIMARY", "IMAGE", "MASK", "VARIANCE"]);
  });

  it("conforms mask planes by name when the file's bits differ from the dictionary in memory", async () => {
    const other = new MaskPlaneDict([
      ["SAT", 0],
      ["BAD", 3],
      ["STRANGE", 7],
    ]);
    const e2 = Exposure.make(4, 3, "float32", { planeDict: other });
    e2.mask.setMaskPlane("SAT", Box2I.fromXYWH(0, 0, 1, 1));
    e2.mask.setMaskPlane("BAD", Box2I.fromXYWH(1, 0, 1, 1));
    e2.mask.setMaskPlane("STRANGE", Box2I.fromXYWH(2, 0, 1, 1));
    const p = join(dir, "conform.fits");
    await writeExposure(p, e2);
    const target = new MaskPlaneDict();
    const back = await readExposure(p, { maskDict: target });
    expect(back.mask.get(0, 0)).toBe(1 << target.getBit("SAT")!);
    expect(back.mask.get(1, 0)).toBe(1 << target.getBit("BAD")!);
    expect(target.has("STRANGE")).toBe(true);
    expect(back.mask.get(2, 0)).toBe(1 << target.getBit("STRANGE")!);
  });

  it("reads a plain real MegaCam image as an exposure with its header as metadata", async () => {
    const exp2 = await readExposure(join(import.meta.dirname, "data", "real", "cfht-megacam-ossos", "cutout-1616687p.fits"));
    expect([exp2.width, exp2.height]).toEqual([251, 251]);
    expect(exp2.image.array.constructor).toBe(Uint16Array);
    expect(exp2.info.filter?.physicalLabel).toBe("r.MP9601");
    expect(exp2.info.visitInfo?.exposureTime).toBeCloseTo(287, 0);
    expect(exp2.info.metadata.get("CCDNAME")).toBeDefined();
    expect(exp2.info.metadata.get("PHOTZP")).toBeCloseTo(32.026, 2);
  });
});
