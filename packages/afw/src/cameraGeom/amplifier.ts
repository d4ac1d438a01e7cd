/**
 * `Amplifier`: one readout amplifier of a detector (afw `cameraGeom.Amplifier`): where its pixels
 * are in the raw frame (data, overscan, prescan) and in the assembled detector, how the raw frame
 * is flipped relative to the assembled one, and its electrical properties.
 *
 * All boxes are 0-based inclusive (LSST convention). Raw boxes are in the raw frame as read from
 * the file (for MegaCam, the 2112 × 4644 extension); `bbox` is in the assembled, trimmed detector.
 */
import { Box2I } from "../geom/box.js";
import { AfwError } from "../image/errors.js";

/** Which corner of the assembled amplifier is read first (afw `ReadoutCorner`). */
export type ReadoutCorner = "LL" | "LR" | "UL" | "UR";

/** How raw counts map to linear counts (afw linearity types; "NONE" = already linear). */
export type LinearityType = "NONE" | "POLYNOMIAL" | "SQUARED" | "LOOKUP";

/** Everything describing an amplifier; see {@link Amplifier}. */
export interface AmplifierInit {
  /** Amplifier name, e.g. "A". */
  readonly name: string;
  /** Data pixels in the assembled detector, 0-based. */
  readonly bbox: Box2I;
  /** Gain, electrons per ADU. */
  readonly gain: number;
  /** Read noise, electrons (rms). */
  readonly readNoise: number;
  /** Saturation level, ADU (raw counts, before overscan subtraction). */
  readonly saturation: number;
  /** Level above which pixels are flagged SUSPECT, ADU; NaN = none. */
  readonly suspectLevel?: number;
  /** Readout corner (in the assembled detector). */
  readonly readoutCorner?: ReadoutCorner;
  /** Linearity model type (default "NONE"). */
  readonly linearityType?: LinearityType;
  /** Linearity coefficients (meaning per type; POLYNOMIAL: c0 + c1 x + c2 x² ... in ADU). */
  readonly linearityCoeffs?: readonly number[];
  /** Level at which linearity departs by 1%, ADU (NaN if unknown). */
  readonly linearityMaximum?: number;
  /** The whole amplifier in the raw frame (data + overscans + prescan). */
  readonly rawBBox: Box2I;
  /** Data (imaging) pixels in the raw frame; same size as `bbox`. */
  readonly rawDataBBox: Box2I;
  /** Serial (horizontal) overscan in the raw frame; EMPTY if none. */
  readonly rawHorizontalOverscanBBox?: Box2I;
  /** Parallel (vertical) overscan in the raw frame; EMPTY if none. */
  readonly rawVerticalOverscanBBox?: Box2I;
  /** Prescan in the raw frame; EMPTY if none. */
  readonly rawPrescanBBox?: Box2I;
  /** True if the raw data must be flipped left-right to match the assembled detector. */
  readonly rawFlipX?: boolean;
  /** True if the raw data must be flipped top-bottom to match the assembled detector. */
  readonly rawFlipY?: boolean;
}

/** One amplifier (immutable). */
export class Amplifier {
  /** Amplifier name. */
  readonly name: string;
  /** Data pixels in the assembled detector (0-based inclusive). */
  readonly bbox: Box2I;
  /** Gain, e⁻/ADU. */
  readonly gain: number;
  /** Read noise, e⁻ rms. */
  readonly readNoise: number;
  /** Saturation, ADU. */
  readonly saturation: number;
  /** SUSPECT threshold, ADU (NaN = none). */
  readonly suspectLevel: number;
  /** Readout corner. */
  readonly readoutCorner: ReadoutCorner;
  /** Linearity model type. */
  readonly linearityType: LinearityType;
  /** Linearity coefficients. */
  readonly linearityCoeffs: readonly number[];
  /** 1%-nonlinearity level, ADU (NaN if unknown). */
  readonly linearityMaximum: number;
  /** The amplifier's whole raw box. */
  readonly rawBBox: Box2I;
  /** Raw data box. */
  readonly rawDataBBox: Box2I;
  /** Raw serial overscan box (EMPTY if none). */
  readonly rawHorizontalOverscanBBox: Box2I;
  /** Raw parallel overscan box (EMPTY if none). */
  readonly rawVerticalOverscanBBox: Box2I;
  /** Raw prescan box (EMPTY if none). */
  readonly rawPrescanBBox: Box2I;
  /** Raw → assembled flip along x. */
  readonly rawFlipX: boolean;
  /** Raw → assembled flip along y. */
  readonly rawFlipY: boolean;

  /** @throws AfwError INVALID_ARGUMENT for inconsistent geometry or non-positive gain. */
  constructor(init: AmplifierInit) {
    this.name = init.name;
    this.bbox = init.bbox;
    this.gain = init.gain;
    this.readNoise = init.readNoise;
    this.saturation = init.saturation;
    this.suspectLevel = init.suspectLevel ?? Number.NaN;
    this.readoutCorner = init.readoutCorner ?? "LL";
    this.linearityType = init.linearityType ?? "NONE";
    this.linearityCoeffs = Object.freeze([...(init.linearityCoeffs ?? [])]);
    this.linearityMaximum = init.linearityMaximum ?? Number.NaN;
    this.rawBBox = init.rawBBox;
    this.rawDataBBox = init.rawDataBBox;
    this.rawHorizontalOverscanBBox = init.rawHorizontalOverscanBBox ?? Box2I.EMPTY;
    this.rawVerticalOverscanBBox = init.rawVerticalOverscanBBox ?? Box2I.EMPTY;
    this.rawPrescanBBox = init.rawPrescanBBox ?? Box2I.EMPTY;
    this.rawFlipX = init.rawFlipX ?? false;
    this.rawFlipY = init.rawFlipY ?? false;
    const where = `amplifier ${JSON.stringify(this.name)}`;
    if (!(this.gain > 0) || !Number.isFinite(this.gain))
      throw new AfwError("INVALID_ARGUMENT", `${where}: gain must be > 0 e-/ADU (got ${this.gain})`);
    if (!(this.readNoise >= 0))
      throw new AfwError("INVALID_ARGUMENT", `${where}: read noise must be >= 0 e- (got ${this.readNoise})`);
    if (this.rawDataBBox.width !== this.bbox.width || this.rawDataBBox.height !== this.bbox.height) {
      throw new AfwError(
        "INVALID_ARGUMENT",
        `${where}: raw data box ${this.rawDataBBox.width}x${this.rawDataBBox.height} differs from the assembled box ${this.bbox.width}x${this.bbox.height}`,
      );
    }
  }

  /** A copy with some fields replaced (afw `Amplifier.rebuild()`). */
  with(changes: Partial<AmplifierInit>): Amplifier {
    return new Amplifier({ ...this.toInit(), ...changes });
  }

  /** The fields of this amplifier. */
  toInit(): AmplifierInit {
    return {
      name: this.name,
      bbox: this.bbox,
      gain: this.gain,
      readNoise: this.readNoise,
      saturation: this.saturation,
      suspectLevel: this.suspectLevel,
      readoutCorner: this.readoutCorner,
      linearityType: this.linearityType,
      linearityCoeffs: this.linearityCoeffs,
      linearityMaximum: this.linearityMaximum,
      rawBBox: this.rawBBox,
      rawDataBBox: this.rawDataBBox,
      rawHorizontalOverscanBBox: this.rawHorizontalOverscanBBox,
      rawVerticalOverscanBBox: this.rawVerticalOverscanBBox,
      rawPrescanBBox: this.rawPrescanBBox,
      rawFlipX: this.rawFlipX,
      rawFlipY: this.rawFlipY,
    };
  }
}
