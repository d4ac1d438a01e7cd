/**
 * Pure codecs of the FITS tiled-image compression convention (FITS standard 4.0 §10): RICE_1,
 * PLIO_1, HCOMPRESS_1, GZIP_2 byte shuffling and floating-point quantization. Functions work on
 * typed arrays, one tile at a time; the tiled HDU reader/writer lives in `../`.
 */
export { CodecError, type CodecErrorCode } from "./errors.js";
export { type HcompressDecoded, hcompressDecode, hcompressEncode } from "./hcompress.js";
export { PLIO_MAX_VALUE, plioDecode, plioEncode } from "./plio.js";
export {
  type DequantizeOptions,
  dequantizeTile,
  fitsRandomSequence,
  N_RANDOM,
  NULL_VALUE,
  type QuantizedTile,
  type QuantizeMethod,
  type QuantizeOptions,
  quantizeTile,
  ZERO_VALUE,
} from "./quantize.js";
export { riceDecode, riceEncode } from "./rice.js";
export {
  type RiceBatchFailure,
  type RiceCodecChoice,
  type RiceEncodedTiles,
  riceDecodeTiles,
  riceEncodeTiles,
  riceWasmAvailable,
} from "./rice-batch.js";
export { gzip2Shuffle, gzip2Unshuffle } from "./shuffle.js";
