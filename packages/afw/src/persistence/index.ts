export * from "./exposure-fits.js";
