/**
 * A gnomonic (TAN) pixel ↔ sky mapping for simulations: detector pixels → focal plane (the
 * Detector's placement, mm) → tangent plane (plate scale, arcsec/mm; +x of the focal plane is
 * West, +y North, as MegaCam with East left) → sky around the boresight.
 */
import { type Detector, degToRad, Point2D, radToDeg } from "@skystack/afw";

/** Sky mapping of one detector. */
export class SimTanWcs {
  private readonly ra0: number;
  private readonly dec0: number;
  /**
   * @param boresight RA, Dec of the focal-plane origin, degrees.
   * @param plateScale arcsec per mm.
   */
  constructor(
    readonly detector: Detector,
    readonly boresight: { ra: number; dec: number },
    readonly plateScale: number,
  ) {
    this.ra0 = degToRad(boresight.ra);
    this.dec0 = degToRad(boresight.dec);
  }

  /** Sky position (degrees) of detector pixel (x, y). */
  pixelToSky(x: number, y: number): { ra: number; dec: number } {
    const fp = this.detector.pixelToFocalPlane(x, y);
    const xi = degToRad((-fp.x * this.plateScale) / 3600);
    const eta = degToRad((fp.y * this.plateScale) / 3600);
    const cd = Math.cos(this.dec0);
    const sd = Math.sin(this.dec0);
    const den = cd - eta * sd;
    const ra = this.ra0 + Math.atan2(xi, den);
    const dec = Math.atan2(sd + eta * cd, Math.hypot(xi, den));
    return { ra: ((radToDeg(ra) % 360) + 360) % 360, dec: radToDeg(dec) };
  }

  /** Detector pixel of a sky position (degrees). */
  skyToPixel(raDeg: number, decDeg: number): { x: number; y: number } {
    const ra = degToRad(raDeg);
    const dec = degToRad(decDeg);
    const cosc = Math.sin(this.dec0) * Math.sin(dec) + Math.cos(this.dec0) * Math.cos(dec) * Math.cos(ra - this.ra0);
    const xi = (Math.cos(dec) * Math.sin(ra - this.ra0)) / cosc;
    const eta = (Math.cos(this.dec0) * Math.sin(dec) - Math.sin(this.dec0) * Math.cos(dec) * Math.cos(ra - this.ra0)) / cosc;
    const fx = -(radToDeg(xi) * 3600) / this.plateScale;
    const fy = (radToDeg(eta) * 3600) / this.plateScale;
    const p = this.detector.focalPlaneToPixel(new Point2D(fx, fy));
    return { x: p.x, y: p.y };
  }
}
