/**
 * `Detector`: one CCD of a camera (afw `cameraGeom.Detector`): name, id, serial, the assembled
 * pixel box, its amplifiers, and where it sits in the focal plane.
 *
 * Focal-plane placement is kept as a linear map from assembled-detector pixels (0-based) to
 * focal-plane millimetres: `fp = origin + pixelSize · (±x, ±y)`, the signs given by `flipX/flipY`
 * (a detector rotated by 180° has both flipped, i.e. yaw = 180°). This is what a mosaic DETSEC
 * describes; rotations other than multiples of 180° are not needed yet.
 */
import type { Box2I } from "../geom/box.js";
import { Point2D } from "../geom/point.js";
import type { DetectorLike } from "../image/components.js";
import { AfwError } from "../image/errors.js";
import type { Amplifier } from "./amplifier.js";

/** How a detector's pixels map onto the focal plane. */
export interface FocalPlanePlacement {
  /** Focal-plane position (mm) of the centre of assembled pixel (0, 0). */
  readonly origin: Point2D;
  /** Pixel size, mm. */
  readonly pixelSize: number;
  /** Focal-plane x decreases as detector x increases. */
  readonly flipX: boolean;
  /** Focal-plane y decreases as detector y increases. */
  readonly flipY: boolean;
}

/** Everything describing a detector. */
export interface DetectorInit {
  /** Name, e.g. "ccd03". */
  readonly name: string;
  /** Integer id within the camera. */
  readonly id: number;
  /** Manufacturer serial, e.g. "8341-7-5". */
  readonly serial?: string;
  /** Kind: "SCIENCE", "GUIDER", "WAVEFRONT", ... (default "SCIENCE"). */
  readonly physicalType?: string;
  /** Assembled, trimmed pixel box (0-based). */
  readonly bbox: Box2I;
  /** Amplifiers, in readout order. */
  readonly amplifiers: readonly Amplifier[];
  /** Focal-plane placement (null if unknown). */
  readonly placement?: FocalPlanePlacement | null;
}

/** A detector (immutable). Satisfies afw's `DetectorLike`. */
export class Detector implements DetectorLike {
  /** Name. */
  readonly name: string;
  /** Id. */
  readonly id: number;
  /** Serial ("" if unknown). */
  readonly serial: string;
  /** Physical type. */
  readonly physicalType: string;
  /** Assembled pixel box. */
  readonly bbox: Box2I;
  /** Amplifiers. */
  readonly amplifiers: readonly Amplifier[];
  /** Focal-plane placement or null. */
  readonly placement: FocalPlanePlacement | null;

  /** @throws AfwError INVALID_ARGUMENT when amplifiers fall outside the box, overlap, or share a name. */
  constructor(init: DetectorInit) {
    this.name = init.name;
    this.id = init.id;
    this.serial = init.serial ?? "";
    this.physicalType = init.physicalType ?? "SCIENCE";
    this.bbox = init.bbox;
    this.amplifiers = Object.freeze([...init.amplifiers]);
    this.placement = init.placement ?? null;
    const names = new Set<string>();
    this.amplifiers.forEach((a, i) => {
      const where = `detector ${this.name} amplifier ${a.name}`;
      if (names.has(a.name)) throw new AfwError("INVALID_ARGUMENT", `${where}: duplicate amplifier name`);
      names.add(a.name);
      if (!this.bbox.contains(a.bbox))
        throw new AfwError("INVALID_ARGUMENT", `${where}: box ${a.bbox} is outside the detector ${this.bbox}`);
      for (let j = 0; j < i; j++) {
        if (this.amplifiers[j]!.bbox.overlaps(a.bbox)) {
          throw new AfwError("INVALID_ARGUMENT", `${where}: overlaps amplifier ${this.amplifiers[j]!.name}`);
        }
      }
    });
  }

  /** The amplifier called `name`. @throws AfwError INVALID_ARGUMENT if there is none. */
  amplifier(name: string): Amplifier {
    const a = this.amplifiers.find((x) => x.name === name);
    if (!a)
      throw new AfwError(
        "INVALID_ARGUMENT",
        `detector ${this.name} has no amplifier ${JSON.stringify(name)} (has ${this.amplifiers.map((x) => x.name).join(", ")})`,
      );
    return a;
  }

  /** The amplifier whose assembled box contains PARENT pixel (x, y), or undefined. */
  amplifierAt(x: number, y: number): Amplifier | undefined {
    return this.amplifiers.find((a) => a.bbox.containsXY(x, y));
  }

  /** Focal-plane position (mm) of assembled pixel position (x, y). @throws if placement is unknown. */
  pixelToFocalPlane(x: number, y: number): Point2D {
    const p = this.requirePlacement();
    return new Point2D(p.origin.x + p.pixelSize * (p.flipX ? -x : x), p.origin.y + p.pixelSize * (p.flipY ? -y : y));
  }

  /** Assembled pixel position of a focal-plane position (mm). @throws if placement is unknown. */
  focalPlaneToPixel(fp: Point2D): Point2D {
    const p = this.requirePlacement();
    const dx = (fp.x - p.origin.x) / p.pixelSize;
    const dy = (fp.y - p.origin.y) / p.pixelSize;
    return new Point2D(p.flipX ? -dx : dx, p.flipY ? -dy : dy);
  }

  /** Focal-plane position (mm) of the detector's centre. */
  get center(): Point2D {
    const c = this.bbox.center;
    return this.pixelToFocalPlane(c.x, c.y);
  }

  /** Yaw of the detector on the focal plane, degrees (0 or 180 for the placements supported). */
  get yawDeg(): number {
    const p = this.requirePlacement();
    return p.flipX && p.flipY ? 180 : 0;
  }

  private requirePlacement(): FocalPlanePlacement {
    if (!this.placement) throw new AfwError("INVALID_ARGUMENT", `detector ${this.name} has no focal-plane placement`);
    return this.placement;
  }
}
