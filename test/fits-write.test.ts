// Files skystack writes, checked by independent readers: fitsverify (no errors, no warnings),
// astropy (same pixels, bit for bit) and funpack (compressed files decode to the same pixels).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile, type FitsPixelArray, FitsWriter, Header, type WritableCompression } from "@skystack/afw";
import { afterAll, describe, expect, it } from "vitest";
import {
  astropyDigest,
  DTYPE_OF,
  fitsverify,
  funpack,
  HAVE_ASTROPY,
  HAVE_FITSVERIFY,
  HAVE_FUNPACK,
  PYTHON,
  sha256,
} from "./helpers/tools.js";

const dir = mkdtempSync(join(tmpdir(), "skystack-write-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random numbers (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A sky-like image: background + Gaussian noise + a few stars. */
function skyImage(nx: number, ny: number, seed: number, sky = 1000, sigma = 5): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(nx * ny);
  const stars = Array.from({ length: 8 }, () => [r() * nx, r() * ny, 2000 * r()] as const);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const g = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
      let v = sky + sigma * g;
      for (const [sx, sy, f] of stars) v += f * Math.exp(-((x - sx) ** 2 + (y - sy) ** 2) / 4.5);
      out[y * nx + x] = v;
    }
  }
  return out;
}

/** Index of the first element that differs (NaN equals NaN), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

function allTypes(n: number): FitsPixelArray[] {
  const r = rng(7);
  const make = <T extends FitsPixelArray>(a: T, f: (i: number) => number | bigint): T => {
    for (let i = 0; i < n; i++) (a as unknown as (number | bigint)[])[i] = f(i);
    return a;
  };
  return [
    make(new Uint8Array(n), () => Math.floor(r() * 256)),
    make(new Int8Array(n), () => Math.floor(r() * 256) - 128),
    make(new Int16Array(n), () => Math.floor(r() * 65536) - 32768),
    make(new Uint16Array(n), () => Math.floor(r() * 65536)),
    make(new Int32Array(n), () => Math.floor(r() * 4294967296) - 2147483648),
    make(new Uint32Array(n), () => Math.floor(r() * 4294967296)),
    make(new BigInt64Array(n), (i) => BigInt(Math.floor(r() * 2 ** 52)) * (i % 2 ? -2047n : 2047n)),
    make(new BigUint64Array(n), () => BigInt(Math.floor(r() * 2 ** 52)) * 4095n),
    make(new Float32Array(n), (i) => (i === 3 ? Number.NaN : (r() - 0.5) * 1e6)),
    make(new Float64Array(n), (i) => (i === 5 ? Number.NaN : (r() - 0.5) * 1e300)),
  ];
}

describe("uncompressed images of every BITPIX", () => {
  const path = join(dir, "all-bitpix.fits");
  const arrays = allTypes(37 * 23);
  it("round-trips bit-exactly, with a header of every value type", async () => {
    const h = new Header();
    h.set("OBJECT", "NGC 'x' 1234", { comment: "target" });
    h.set("LONGSTR", "long ".repeat(40).trim());
    h.set("HIERARCH ESO TEL AIRM START", 1.234);
    h.set("BIGINT", 9007199254740993n);
    h.set("CPLX", { re: 1.5, im: -0.25 });
    h.add("HISTORY", "written by the round-trip test");
    const w = await FitsWriter.create(path);
    await w.writeImage(arrays[0]!, [37, 23], { header: h });
    for (const a of arrays.slice(1)) await w.writeImage(a, [37, 23], { extname: a.constructor.name });
    await w.close();
    const f = await FitsFile.open(path);
    const h0 = (await f.hdu(0)).header;
    expect(h0.get("OBJECT")).toBe("NGC 'x' 1234");
    expect(h0.get("LONGSTR")).toBe("long ".repeat(40).trim());
    expect(h0.get("ESO TEL AIRM START")).toBe(1.234);
    expect(h0.get("BIGINT")).toBe(9007199254740993n);
    expect(h0.get("CPLX")).toEqual({ re: 1.5, im: -0.25 });
    for (let i = 0; i < arrays.length; i++) {
      const img = await f.readImage(i);
      expect(img.data.constructor).toBe(arrays[i]!.constructor);
      expect(sha256(img.data)).toBe(sha256(arrays[i]!));
    }
    await f.close();
  });
  it.skipIf(!HAVE_FITSVERIFY)("passes fitsverify with no errors or warnings", () => {
    const v = fitsverify(path);
    expect(v, v.report).toMatchObject({ errors: 0, warnings: 0 });
  });
  it.skipIf(!HAVE_ASTROPY)("reads identically in astropy", () => {
    const hdus = astropyDigest(path);
    expect(hdus.length).toBe(arrays.length);
    arrays.forEach((a, i) => {
      expect(hdus[i]!.dtype).toBe(DTYPE_OF[a.constructor.name]);
      expect(hdus[i]!.sha256).toBe(sha256(a));
    });
  });
});

const INT_CASES: { name: string; data: () => FitsPixelArray; algos: WritableCompression[] }[] = [
  {
    name: "uint16 (MegaCam-like, BZERO 32768)",
    data: () => Uint16Array.from(skyImage(211, 97, 1), (v) => Math.min(65535, Math.round(v))),
    algos: ["RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"],
  },
  {
    name: "int16",
    data: () => Int16Array.from(skyImage(128, 64, 2), (v) => Math.round(v) - 1500),
    algos: ["RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"],
  },
  {
    name: "int32",
    data: () => Int32Array.from(skyImage(100, 40, 3), (v) => Math.round(v * 1000) - 400000),
    algos: ["RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"],
  },
  {
    name: "int32 mask",
    data: () => Int32Array.from(skyImage(90, 50, 5), (v) => (v > 1010 ? 32 : 0) | (v > 1500 ? 2 : 0) | (v < 990 ? 1 : 0)),
    algos: ["PLIO_1", "RICE_1", "GZIP_2"],
  },
  {
    name: "uint8",
    data: () => Uint8Array.from(skyImage(64, 33, 4, 100, 3), (v) => Math.min(255, Math.round(v))),
    algos: ["RICE_1", "GZIP_1", "GZIP_2", "PLIO_1"],
  },
];

describe("lossless tile compression of integers", () => {
  for (const c of INT_CASES) {
    for (const algo of c.algos) {
      it(`${c.name} ${algo}: skystack, funpack and astropy decode the same pixels`, async () => {
        const data = c.data();
        const nx = { "uint16 (MegaCam-like, BZERO 32768)": 211, int16: 128, int32: 100, "int32 mask": 90, uint8: 64 }[c.name]!;
        const shape = [nx, data.length / nx];
        const path = join(dir, `${c.name.replace(/[^a-z0-9]+/gi, "_")}-${algo}.fits.fz`);
        const w = await FitsWriter.create(path);
        await w.writeCompressedImage(data, shape, {
          compression: algo,
          tileShape: algo === "HCOMPRESS_1" ? [shape[0]!, 16] : undefined,
        });
        await w.close();
        const f = await FitsFile.open(path);
        const back = await f.readImage(1);
        await f.close();
        expect(back.data.constructor).toBe(data.constructor);
        expect(sha256(back.data)).toBe(sha256(data));
        if (HAVE_FITSVERIFY) {
          const v = fitsverify(path);
          expect(v, v.report).toMatchObject({ errors: 0, warnings: 0 });
        }
        if (HAVE_FUNPACK) {
          const plain = `${path}.funpacked.fits`;
          funpack(path, plain);
          const g = await FitsFile.open(plain);
          const unpacked = await g.readImage(1);
          await g.close();
          expect(sha256(unpacked.data)).toBe(sha256(data));
        }
        if (HAVE_ASTROPY) {
          const a = astropyDigest(path);
          expect(a[1]!.sha256).toBe(sha256(data));
        }
      });
    }
  }
});

describe("quantized floating-point tile compression", () => {
  const nx = 300;
  const ny = 120;
  const base = Float32Array.from(skyImage(nx, ny, 11));
  base[5] = Number.NaN;
  base[777] = Number.NaN;
  base[1000] = 0;
  const cases: {
    label: string;
    algo: WritableCompression;
    q: number;
    method: "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2";
    seed: number;
  }[] = [
    { label: "RICE_1 q=4 dither 1", algo: "RICE_1", q: 4, method: "SUBTRACTIVE_DITHER_1", seed: 1 },
    { label: "RICE_1 q=16 dither 2", algo: "RICE_1", q: 16, method: "SUBTRACTIVE_DITHER_2", seed: 4321 },
    { label: "GZIP_2 step 0.5 no dither", algo: "GZIP_2", q: -0.5, method: "NO_DITHER", seed: 1 },
    { label: "HCOMPRESS_1 q=4 dither 1", algo: "HCOMPRESS_1", q: 4, method: "SUBTRACTIVE_DITHER_1", seed: 77 },
  ];
  for (const c of cases) {
    it(`${c.label}: within the quantization step, and identical to astropy's decoding`, async () => {
      const path = join(dir, `float-${c.label.replace(/[^a-z0-9]+/gi, "_")}.fits.fz`);
      const w = await FitsWriter.create(path);
      await w.writeCompressedImage(base, [nx, ny], {
        compression: c.algo,
        quantizeLevel: c.q,
        quantizeMethod: c.method,
        ditherSeed: c.seed,
        tileShape: c.algo === "HCOMPRESS_1" ? [nx, 16] : undefined,
      });
      await w.close();
      const f = await FitsFile.open(path);
      const back = await f.readImage(1);
      const raw = await f.hdu(1);
      await f.close();
      const step = c.q < 0 ? -c.q : 5 / c.q; // noise sigma is 5 ADU
      let maxErr = 0;
      for (let i = 0; i < base.length; i++) {
        const v = base[i]!;
        const b = back.data[i] as number;
        if (Number.isNaN(v)) expect(Number.isNaN(b)).toBe(true);
        else maxErr = Math.max(maxErr, Math.abs(b - v));
      }
      expect(maxErr).toBeLessThanOrEqual(step * 0.75 + 1e-3);
      if (c.method === "SUBTRACTIVE_DITHER_2") expect(back.data[1000]).toBe(0);
      expect(raw.header.get("ZQUANTIZ")).toBe(c.method);
      if (HAVE_FITSVERIFY) {
        const v = fitsverify(path);
        expect(v, v.report).toMatchObject({ errors: 0, warnings: 0 });
      }
      // astropy 5.2.1 does not honour ZBLANK on quantized floats (it decodes null pixels, and its
      // own NaN, to numbers; funpack gives NaN), so pixels that are NaN for us and for funpack are
      // left out of the comparison with astropy.
      if (HAVE_ASTROPY) {
        const nanAt: number[] = [];
        back.data.forEach((v, i) => {
          if (Number.isNaN(v)) nanAt.push(i);
        });
        expect(astropyDigest(path, nanAt)[1]!.sha256).toBe(sha256(back.data));
      }
      if (HAVE_FUNPACK) {
        const plain = `${path}.funpacked.fits`;
        funpack(path, plain);
        const g = await FitsFile.open(plain);
        const unpacked = await g.readImage(1);
        await g.close();
        // funpack writes its own NaN bit pattern, so compare values with NaN equal to NaN.
        expect(firstDifference(unpacked.data as Float32Array, back.data as Float32Array)).toBe(-1);
      }
    });
  }
  it("GZIP_1 lossless floats (quantizeMethod NONE) are bit-exact", async () => {
    const path = join(dir, "float-lossless.fits.fz");
    const w = await FitsWriter.create(path);
    await w.writeCompressedImage(base, [nx, ny], { compression: "GZIP_1", quantizeMethod: "NONE" });
    await w.close();
    const f = await FitsFile.open(path);
    expect(sha256((await f.readImage(1)).data)).toBe(sha256(base));
    await f.close();
    if (HAVE_ASTROPY) expect(astropyDigest(path)[1]!.sha256).toBe(sha256(base));
  });
});

describe("atomic writes", () => {
  it("leaves nothing at the path when a write fails, and keeps an existing file", async () => {
    const path = join(dir, "atomic.fits");
    const w0 = await FitsWriter.create(path);
    await w0.writeImage(new Int16Array([1, 2, 3, 4]), [2, 2]);
    await w0.close();
    const w = await FitsWriter.create(path);
    await w.writeImage(new Int16Array(4), [2, 2]);
    await expect(w.writeImage(new Int16Array(3), [2, 2])).rejects.toThrow(/shape \[2,2\] has 4 pixels but the array has 3/);
    const f = await FitsFile.open(path);
    expect([...(await f.readImage(0)).data]).toEqual([1, 2, 3, 4]);
    await f.close();
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});

describe("checksums (DATASUM/CHECKSUM)", () => {
  it("writes checksums that fitsverify, astropy and skystack accept, and detects corruption", async () => {
    const path = join(dir, "checksum.fits");
    const w = await FitsWriter.create(path, { checksum: true });
    await w.writeImage(
      Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i)),
      [40, 25],
    );
    await w.writeCompressedImage(
      Uint16Array.from({ length: 1000 }, (_, i) => i * 7),
      [40, 25],
      { compression: "RICE_1" },
    );
    await w.close();
    const f = await FitsFile.open(path);
    for (const i of [0, 1]) expect(await f.verifyChecksum(i)).toEqual({ datasum: "ok", checksum: "ok" });
    await f.close();
    if (HAVE_FITSVERIFY) expect(fitsverify(path)).toMatchObject({ errors: 0, warnings: 0 });
    if (HAVE_ASTROPY) {
      // astropy recomputes the CHECKSUM string from its own formatting of the header and warns on a mismatch.
      const out = execFileSync(
        PYTHON,
        [
          "-W",
          "error",
          "-c",
          `from astropy.io import fits\nwith fits.open(${JSON.stringify(path)}, checksum=True) as h:\n    [x.data for x in h]\nprint("ok")`,
        ],
        { encoding: "utf8" },
      );
      expect(out.trim()).toBe("ok");
    }
    const bytes = readFileSync(path);
    bytes[2880 + 17] = bytes[2880 + 17]! ^ 1;
    const g = await FitsFile.open(new Uint8Array(bytes));
    expect(await g.verifyChecksum(0)).toEqual({ datasum: "bad", checksum: "bad" });
    await g.close();
  });

  it("verifies the checksums cfitsio wrote in a real DECam file", async () => {
    const f = await FitsFile.open(
      join(import.meta.dirname, "data", "real", "decam-cp-legacypipe", "c4d_130105_065255_ooi_r_a1-N15.fits.fz"),
    );
    for (const i of [0, 1]) expect(await f.verifyChecksum(i)).toEqual({ datasum: "ok", checksum: "ok" });
    await f.close();
  });
});
