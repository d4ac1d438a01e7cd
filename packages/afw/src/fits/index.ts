/** FITS I/O: headers, images, tables, tile compression, whole-file gzip/bzip2. */
export * from "./card.js";
export * from "./errors.js";
export * from "./file.js";
export * from "./hdu.js";
export * from "./header.js";
export * from "./pixels.js";
export * from "./scaling.js";
export * from "./section.js";
export * from "./source.js";
export * from "./source-node.js";
export * from "./tform.js";
export * from "./image-header.js";
export * from "./writer.js";
export * from "./tiled-header.js";
export * from "./tiled-read.js";
export * from "./tiled-write.js";
export { CodecError, hcompressDecode, hcompressEncode, plioDecode, plioEncode, riceDecode, riceEncode, gzip2Shuffle, gzip2Unshuffle, fitsRandomSequence, quantizeTile, dequantizeTile, NULL_VALUE, ZERO_VALUE } from "./compress/index.js";
export * from "./table/index.js";
