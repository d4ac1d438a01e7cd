/** FITS I/O: headers, images, tables, tile compression, whole-file gzip/bzip2. */
export * from "./card.js";
export * from "./checksum.js";
export {
  CodecError,
  dequantizeTile,
  fitsRandomSequence,
  gzip2Shuffle,
  gzip2Unshuffle,
  hcompressDecode,
  hcompressEncode,
  NULL_VALUE,
  plioDecode,
  plioEncode,
  quantizeTile,
  riceDecode,
  riceEncode,
  ZERO_VALUE,
} from "./compress/index.js";
export * from "./errors.js";
export * from "./file.js";
export * from "./hdu.js";
export * from "./header.js";
export * from "./header-text.js";
export * from "./image-header.js";
export * from "./pixels.js";
export * from "./scaling.js";
export * from "./section.js";
export * from "./source.js";
export * from "./source-node.js";
export * from "./table/index.js";
export * from "./tform.js";
export * from "./tiled-header.js";
export * from "./tiled-read.js";
export * from "./tiled-write.js";
export * from "./writer.js";
