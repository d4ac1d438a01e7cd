/**
 * Time riceDecode over every tile of the benchmark image made by make-bench-data.py (a 2112 x 4644
 * int16 image in 2112 x 1 RICE_1 tiles) and check the result against the original pixels.
 * Not a unit test; run next to `time funpack` on the same file:
 *
 *   npx tsx test/fixtures-gen/compress/bench-rice.ts [/tmp/skystack-rice-bench]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { riceDecode, riceEncode } from "../../../packages/afw/src/fits/compress/index.js";

const dir = process.argv[2] ?? "/tmp/skystack-rice-bench";
const blob = new Uint8Array(readFileSync(join(dir, "tiles.bin")));
const lb = readFileSync(join(dir, "lengths.bin"));
const lengths = new Uint32Array(lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.byteLength));
const pb = readFileSync(join(dir, "pixels.i16"));
const pixels = new Int16Array(pb.buffer.slice(pb.byteOffset, pb.byteOffset + pb.byteLength));
const width = 2112;
const ntiles = lengths.length;
const offsets = new Float64Array(ntiles + 1);
for (let i = 0; i < ntiles; i++) offsets[i + 1] = offsets[i]! + lengths[i]!;
const out = new Int32Array(width * ntiles);

function decodeAll(): number {
  const t0 = performance.now();
  for (let i = 0; i < ntiles; i++) {
    riceDecode(blob.subarray(offsets[i]!, offsets[i + 1]!), out.subarray(i * width, (i + 1) * width), width, 2, 32);
  }
  return performance.now() - t0;
}

const times: number[] = [];
for (let rep = 0; rep < 15; rep++) times.push(decodeAll());
for (let i = 0; i < pixels.length; i++) {
  if (out[i] !== pixels[i]) throw new Error(`pixel ${i}: decoded ${out[i]}, expected ${pixels[i]}`);
}
times.sort((a, b) => a - b);
const mpix = (width * ntiles) / 1e6;
console.log(
  `riceDecode ${width}x${ntiles} int16 (${(blob.length / 1e6).toFixed(2)} MB compressed): ` +
    `slowest (cold JIT) ${times[times.length - 1]!.toFixed(1)} ms, ` +
    `min ${times[0]!.toFixed(1)} ms, median ${times[times.length >> 1]!.toFixed(1)} ms ` +
    `(${(mpix / (times[0]! / 1000)).toFixed(0)} Mpix/s)`,
);

// encode timing too (and byte equality with fpack's tiles)
const vals = new Int32Array(width);
const te0 = performance.now();
let same = 0;
for (let i = 0; i < ntiles; i++) {
  for (let j = 0; j < width; j++) vals[j] = pixels[i * width + j]!;
  const e = riceEncode(vals, width, 2, 32);
  const ref = blob.subarray(offsets[i]!, offsets[i + 1]!);
  if (e.length === ref.length && e.every((v, k) => v === ref[k])) same++;
}
console.log(`riceEncode all tiles: ${(performance.now() - te0).toFixed(1)} ms; byte-identical to fpack: ${same}/${ntiles}`);
