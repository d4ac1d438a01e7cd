/**
 * Assembly of a raw frame into the detector: each amplifier's raw data box is trimmed, flipped
 * (rawFlipX/rawFlipY) and placed at its assembled box (ip_isr `assembleCcd`).
 */
import { type Detector, Image, Mask, type PixelArray } from "@skystack/afw";
import { IsrError } from "./errors.js";

type Grid = { array: PixelArray; stride: number; x0: number; y0: number; width: number; height: number };

function copyAmps(src: Grid, dst: Grid, detector: Detector): void {
  for (const amp of detector.amplifiers) {
    const rb = amp.rawDataBBox;
    const b = amp.bbox;
    if (rb.min.x < src.x0 || rb.min.y < src.y0 || rb.max.x >= src.x0 + src.width || rb.max.y >= src.y0 + src.height) {
      throw new IsrError(
        "SIZE_MISMATCH",
        `amplifier ${amp.name} raw data box ${rb} is outside the raw frame ${src.width}x${src.height}`,
      );
    }
    const w = b.width;
    const h = b.height;
    const s = src.array as unknown as Float32Array;
    const d = dst.array as unknown as Float32Array;
    for (let j = 0; j < h; j++) {
      const sy = amp.rawFlipY ? rb.max.y - j : rb.min.y + j;
      const so = (sy - src.y0) * src.stride + (rb.min.x - src.x0);
      const dOff = (b.min.y + j - dst.y0) * dst.stride + (b.min.x - dst.x0);
      if (!amp.rawFlipX) d.set(s.subarray(so, so + w), dOff);
      else for (let i = 0; i < w; i++) d[dOff + i] = s[so + w - 1 - i]!;
    }
  }
}

/** Assembles a raw frame image into a new float32 image over the detector box. */
export function assembleImage(raw: Image<PixelArray>, detector: Detector): Image<Float32Array> {
  const out = Image.fromBBox(detector.bbox, "float32");
  const src = raw.dtype === "float32" ? raw : raw.convertTo("float32");
  copyAmps(src, out, detector);
  return out;
}

/** Assembles a raw-frame mask (same planes) into a new mask over the detector box. */
export function assembleMask(raw: Mask, detector: Detector): Mask {
  const out = Mask.fromBBox(detector.bbox, { planeDict: raw.planeDict });
  copyAmps(raw as unknown as Grid, out as unknown as Grid, detector);
  return out;
}

/**
 * An image in the detector frame: returned as is when it already covers the detector box, trimmed
 * and assembled when it has the raw frame's size (e.g. an Elixir master in raw geometry).
 * @param what names the calibration in errors.
 */
export function toDetectorFrame(
  img: Image<PixelArray>,
  detector: Detector,
  rawWidth: number,
  rawHeight: number,
  what: string,
): Image<Float32Array> {
  if (img.width === detector.bbox.width && img.height === detector.bbox.height) {
    const f = img.dtype === "float32" ? (img as Image<Float32Array>) : img.convertTo("float32");
    return f.x0 === detector.bbox.min.x && f.y0 === detector.bbox.min.y
      ? f
      : new Image(f.toContiguous().array, f.width, f.height, { xy0: detector.bbox.min });
  }
  if (img.width === rawWidth && img.height === rawHeight) return assembleImage(img, detector);
  throw new IsrError(
    "SIZE_MISMATCH",
    `${what} is ${img.width}x${img.height}; expected the detector ${detector.bbox.width}x${detector.bbox.height} or the raw frame ${rawWidth}x${rawHeight}`,
  );
}
