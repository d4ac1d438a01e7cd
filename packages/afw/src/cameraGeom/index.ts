/** Camera geometry: cameras, detectors, amplifiers, IRAF sections (afw `cameraGeom`). */
export { Amplifier, type AmplifierInit, type LinearityType, type ReadoutCorner } from "./amplifier.js";
export { Camera } from "./camera.js";
export { Detector, type DetectorInit, type FocalPlanePlacement } from "./detector.js";
export { formatIrafSection, type IrafSection, parseIrafSection } from "./section.js";
