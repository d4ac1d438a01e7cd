/** `Camera`: a named set of detectors (afw `cameraGeom.Camera`). */
import { AfwError } from "../image/errors.js";
import type { Detector } from "./detector.js";

/** A camera (immutable). */
export class Camera {
  /** Camera name, e.g. "MegaCam". */
  readonly name: string;
  /** Detectors ordered by id. */
  readonly detectors: readonly Detector[];
  private readonly byName = new Map<string, Detector>();
  private readonly byId = new Map<number, Detector>();

  /** @throws AfwError INVALID_ARGUMENT for duplicate detector names or ids. */
  constructor(name: string, detectors: Iterable<Detector>) {
    this.name = name;
    const list = [...detectors].sort((a, b) => a.id - b.id);
    for (const d of list) {
      if (this.byName.has(d.name)) throw new AfwError("INVALID_ARGUMENT", `camera ${name}: duplicate detector name ${d.name}`);
      if (this.byId.has(d.id)) throw new AfwError("INVALID_ARGUMENT", `camera ${name}: duplicate detector id ${d.id}`);
      this.byName.set(d.name, d);
      this.byId.set(d.id, d);
    }
    this.detectors = Object.freeze(list);
  }

  /** Number of detectors. */
  get size(): number {
    return this.detectors.length;
  }

  /** A detector by id or name. @throws AfwError INVALID_ARGUMENT if there is none. */
  get(which: number | string): Detector {
    const d = typeof which === "number" ? this.byId.get(which) : this.byName.get(which);
    if (!d)
      throw new AfwError(
        "INVALID_ARGUMENT",
        `camera ${this.name} has no detector ${JSON.stringify(which)} (${this.size} detectors)`,
      );
    return d;
  }

  /** True if the camera has that detector. */
  has(which: number | string): boolean {
    return typeof which === "number" ? this.byId.has(which) : this.byName.has(which);
  }
}
