/**
 * @skystack/afw — the core astronomical types: geometry, images, masks, exposures and FITS I/O.
 */

export * from "./cameraGeom/index.js";
export * from "./fits/index.js";
export * from "./geom/index.js";
export * from "./image/index.js";
export * from "./persistence/index.js";
export * from "./wcs/index.js";
