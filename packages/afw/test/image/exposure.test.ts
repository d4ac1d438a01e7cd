import { describe, expect, it } from "vitest";
import { Box2I, Point2D, Point2I, SpherePoint } from "../../src/geom/index.js";
import {
  EMPTY_VISIT_INFO,
  Exposure,
  ExposureInfo,
  filterLabelEquals,
  Image,
  MaskedImage,
  makeFilterLabel,
  makeVisitInfo,
  OrderedPropertyList,
  type PsfLike,
  type SkyWcsLike,
} from "../../src/image/index.js";

/** A toy WCS: 1 arcsec/pixel, RA along x, Dec along y, PARENT pixel (0, 0) at (10°, 20°). */
const toyWcs: SkyWcsLike = {
  pixelToSky: (x, y) => SpherePoint.fromDegrees(10 + x / 3600, 20 + y / 3600),
  skyToPixel: (c) => new Point2D((c.raDeg - 10) * 3600, (c.decDeg - 20) * 3600),
};

const toyPsf: PsfLike = {
  computeImage: () => Image.make(1, 1, "float64").add(1),
  computeKernelImage: () => Image.make(1, 1, "float64").add(1),
};

describe("Exposure", () => {
  it("wraps a masked image with an info record", () => {
    const exp = Exposure.fromBBox(Box2I.fromXYWH(100, 50, 8, 6), "float32");
    expect(exp.width).toBe(8);
    expect(exp.height).toBe(6);
    expect(exp.xy0.equals(new Point2I(100, 50))).toBe(true);
    expect(exp.bbox.equals(Box2I.fromXYWH(100, 50, 8, 6))).toBe(true);
    expect(exp.getBBox("LOCAL").equals(Box2I.fromXYWH(0, 0, 8, 6))).toBe(true);
    expect(exp.image).toBe(exp.maskedImage.image);
    expect(exp.mask).toBe(exp.maskedImage.mask);
    expect(exp.variance).toBe(exp.maskedImage.variance);
    expect(exp.dtype).toBe("float32");
    expect(exp.wcs).toBeNull();
    expect(exp.info.hasWcs()).toBe(false);
    expect(exp.metadata.size).toBe(0);
    expect(exp.toString()).toBe("Exposure<float32>(8x6, xy0=(100, 50))");
  });

  it("delegates component accessors to info", () => {
    const exp = new Exposure(MaskedImage.make(4, 4));
    exp.wcs = toyWcs;
    exp.psf = toyPsf;
    exp.filter = makeFilterLabel({ band: "r", physicalLabel: "r.MP9601" });
    exp.visitInfo = makeVisitInfo({ exposureTime: 30 });
    exp.detector = { name: "ccd03", id: 3, serial: "8434-13-5" };
    expect(exp.info.wcs).toBe(toyWcs);
    expect(exp.info.hasPsf()).toBe(true);
    expect(exp.info.filter?.band).toBe("r");
    expect(exp.info.visitInfo?.exposureTime).toBe(30);
    expect(exp.info.detector?.name).toBe("ccd03");
  });

  it("subimage keeps the info (shared components and metadata) and PARENT coordinates", () => {
    const metadata = new OrderedPropertyList();
    metadata.set("EXPTIME", 30);
    const info = new ExposureInfo({ wcs: toyWcs, metadata, id: 1234 });
    const exp = Exposure.make(100, 80, "float32", { xy0: new Point2I(1000, 2000), info });
    exp.image.set(1010, 2020, 5, "PARENT");
    const sub = exp.subimage(Box2I.fromXYWH(1005, 2015, 10, 10));
    expect(sub.info).not.toBe(exp.info);
    expect(sub.wcs).toBe(toyWcs);
    expect(sub.info.id).toBe(1234);
    expect(sub.metadata).toBe(metadata);
    expect(sub.image.get(1010, 2020, "PARENT")).toBe(5);
    // the WCS is evaluated in PARENT pixels for both
    const c = sub.wcs?.pixelToSky(1010, 2020);
    expect(c?.raDeg).toBeCloseTo(10 + 1010 / 3600, 12);
    sub.image.set(5, 5, 7);
    expect(exp.image.get(1010, 2020, "PARENT")).toBe(7);
  });

  it("clone copies pixels and metadata", () => {
    const exp = Exposure.make(2, 2);
    exp.metadata.set("OBJECT", "M31");
    exp.filter = makeFilterLabel({ band: "g" });
    const c = exp.clone();
    c.metadata.set("OBJECT", "M33");
    c.image.set(0, 0, 9);
    expect(exp.metadata.get("OBJECT")).toBe("M31");
    expect(exp.image.get(0, 0)).toBe(0);
    expect(c.filter).toBe(exp.filter);
  });
});

describe("VisitInfo and FilterLabel", () => {
  it("defaults every field to unknown and freezes", () => {
    const v = makeVisitInfo({ exposureTime: 30, date: 60000.25, rotType: "SKY" });
    expect(v.exposureTime).toBe(30);
    expect(v.darkTime).toBeNaN();
    expect(v.boresightRaDec).toBeNull();
    expect(v.rotType).toBe("SKY");
    expect(v.instrumentLabel).toBe("");
    expect(v.hasSimulatedContent).toBe(false);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.keys(v).sort()).toEqual(Object.keys(EMPTY_VISIT_INFO).sort());
  });

  it("compares filter labels", () => {
    const a = makeFilterLabel({ band: "r" });
    expect("physicalLabel" in a).toBe(false);
    expect(filterLabelEquals(a, makeFilterLabel({ band: "r" }))).toBe(true);
    expect(filterLabelEquals(a, makeFilterLabel({ band: "r", physicalLabel: "r.MP9601" }))).toBe(false);
  });
});
