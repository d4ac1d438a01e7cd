#!/usr/bin/python3
"""Generate the tile-compression codec fixtures in packages/afw/test/compress/fixtures/.

Run from anywhere with the system Python (astropy 5.2.1, numpy; fpack/funpack 4.2 in /usr/bin):

    /usr/bin/python3 test/fixtures-gen/compress/gen.py

For each case a small deterministic image is compressed by an independent implementation
(fpack, or astropy.io.fits.CompImageHDU which wraps cfitsio), then the compressed HDU is read
back with ``disable_image_compression=True`` to extract, per tile, the raw bytes of the
COMPRESSED_DATA heap entry (big-endian, as stored in the file) and ZSCALE/ZZERO/ZBLANK. The
reference decoded pixels come from astropy and are checked here to equal funpack's output.

Files written (all typed arrays little-endian):
  <case>.tiles.bin   concatenated tile bytes (offsets/lengths in manifest.json)
  <case>.pixels.bin  reference decoded image (int32 for integer images, float32 for float images)
  <case>.orig.bin    original image before compression (float cases: float32; int cases: int32)
  manifest.json      everything else (header keywords, tile table, provenance)

After this script, run test/fixtures-gen/compress/encode-ours.ts and crosscheck.py (see
README.md there) to record in the manifest that funpack/astropy decode files holding our encoders'
bytes.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import astropy
from astropy.io import fits

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(ROOT, "packages", "afw", "test", "compress", "fixtures")
DECAM = "/work/shared/data/real/decam-cp-legacypipe"

os.makedirs(OUT, exist_ok=True)
TMP = tempfile.mkdtemp(prefix="skystack-compress-fixtures-")

ZKEYS = ["ZCMPTYPE", "ZBITPIX", "ZNAXIS", "ZNAXIS1", "ZNAXIS2", "ZTILE1", "ZTILE2", "ZQUANTIZ",
         "ZDITHER0", "ZBLANK", "BZERO", "BSCALE", "ZNAME1", "ZVAL1", "ZNAME2", "ZVAL2", "ZNAME3", "ZVAL3"]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr}{r.stdout}")
    return r


def same_pixels(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        # bit-for-bit, NaN payloads aside
        an, bn = np.isnan(a), np.isnan(b)
        return bool(np.array_equal(an, bn) and np.array_equal(
            a[~an].astype(a.dtype.newbyteorder("=")).view(np.uint8 if a.itemsize == 1 else f"u{a.itemsize}"),
            b[~bn].astype(a.dtype.newbyteorder("=")).view(np.uint8 if a.itemsize == 1 else f"u{a.itemsize}")))
    return bool(np.array_equal(a, b))


def extract(path, hdu_index=1, tile_rows=None):
    """Raw tiles and per-tile parameters of a compressed HDU."""
    with fits.open(path, disable_image_compression=True) as h:
        hdu = h[hdu_index]
        hd = hdu.header
        data = hdu.data
        names = [c.name for c in hdu.columns]
        keys = {k: hd[k] for k in ZKEYS if k in hd}
        nrows = hd["NAXIS2"]
        rows = range(nrows) if tile_rows is None else tile_rows
        tiles = []
        blob = bytearray()
        for r in rows:
            t = {"index": int(r)}
            cd = np.asarray(data["COMPRESSED_DATA"][r])
            if cd.dtype.kind in "iu" and cd.dtype.itemsize == 2:
                raw = cd.astype(">i2").tobytes()
            else:
                raw = cd.astype(np.uint8).tobytes()
            if len(raw) == 0 and "GZIP_COMPRESSED_DATA" in names:
                g = np.asarray(data["GZIP_COMPRESSED_DATA"][r]).astype(np.uint8).tobytes()
                t["fallback"] = "GZIP_COMPRESSED_DATA"
                t["fallbackLength"] = len(g)
            t["offset"] = len(blob)
            t["length"] = len(raw)
            blob += raw
            for col in ("ZSCALE", "ZZERO", "ZBLANK"):
                if col in names:
                    v = data[col][r]
                    t[col] = float(v) if col != "ZBLANK" else int(v)
            tiles.append(t)
        tform = {c.name: c.format for c in hdu.columns}
    return keys, tiles, bytes(blob), tform


def write_bin(name, arr):
    p = os.path.join(OUT, name)
    arr = np.ascontiguousarray(arr)
    arr.astype(arr.dtype.newbyteorder("<")).tofile(p)
    return name


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


manifest = {
    "generator": "test/fixtures-gen/compress/gen.py",
    "tools": {
        "astropy": astropy.__version__,
        "numpy": np.__version__,
        "fpack": run(["fpack", "-V"]).stdout.strip(),
    },
    "endianness": "little (typed-array .bin files); tile bytes are exactly as stored in the FITS heap (big-endian)",
    "cases": {},
}

rng = np.random.RandomState(20240611)


# ------------------------------------------------------------------------------------------
# Images

def img_i16():
    h, w = 24, 200
    a = np.round(rng.normal(1000, 5, (h, w))).astype(np.int32)
    a[3, 20:24] = [30000, 25000, 31000, 29000]           # bright source
    a[5, :] = 1234                                         # constant row: low-entropy blocks
    a[6, 0:64] = np.where(np.arange(64) % 2 == 0, -32768, 32767)  # maximal differences
    a[7, 10:40] = rng.randint(-32768, 32768, 30)           # high-entropy block
    a[8, :] = np.round(rng.normal(-50, 300, w))            # negative values, wide noise
    a[9, 100:] = 0
    return a.astype(np.int16)


def img_i32():
    h, w = 12, 150
    a = np.round(rng.normal(1.0e6, 100, (h, w))).astype(np.int64)
    a[1, :] = -7
    a[2, 0:40] = np.where(np.arange(40) % 2 == 0, -2147483648, 2147483647)
    a[3, 5:60] = rng.randint(-2**31, 2**31, 55)
    a[4, :] = np.round(rng.normal(0, 3, w))
    a[5, :] = np.arange(w) * 1000003 - 70000000
    return a.astype(np.int32)


def img_u8():
    h, w = 10, 130
    a = np.clip(np.round(rng.normal(100, 20, (h, w))), 0, 255).astype(np.int32)
    a[2, :] = np.where(np.arange(w) % 2 == 0, 0, 255)
    a[3, :] = 17
    a[4, 30:90] = rng.randint(0, 256, 60)
    return a.astype(np.uint8)


def img_f32():
    h, w = 20, 160
    a = rng.normal(100.0, 3.0, (h, w)).astype(np.float32)
    a[1, 10:15] = np.nan
    a[2, ::7] = 0.0                     # exact zeros (kept by SUBTRACTIVE_DITHER_2)
    a[3, :] = 0.0
    a[4, :] = 42.5                      # constant row: not quantizable with q > 0 (lossless fallback)
    a[5, :] = np.nan                    # all-null row
    a[6, 50:70] += np.float32(5000.0)   # bright source
    a[7, :] = rng.normal(-1.0e4, 50.0, w).astype(np.float32)
    a[8, ::3] = np.nan
    a[9, 0:8] = [1e-40, -1e-41, 3.0, np.inf, -np.inf, 0.0, -0.0, 1.0]  # subnormals, infinities
    a[10, :] = np.where(np.arange(w) % 2 == 0, 1.0, 2.0).astype(np.float32)  # constant runs
    a[10, 40:60] = 7.0
    a[11, 0:5] = np.nan                 # row with nulls at the start
    a[12, :] = (np.arange(w) % 5).astype(np.float32)
    a[12, 80:120] = 3.0
    return a


def img_mask():
    """Mask-like image for PLIO: runs of zeros and bit values, jumps > 4095."""
    h, w = 8, 300
    a = np.zeros((h, w), np.int32)
    a[0, 10:20] = 1
    a[0, 20:25] = 5
    a[0, 40] = 16
    a[0, 41] = 20
    a[1, :] = 3
    a[1, 100:150] = 0
    a[2, ::2] = 4
    a[3, 50:60] = 10000          # set-high (jump > 4095)
    a[3, 61] = 9000
    a[3, 62] = 9001
    a[3, 70:80] = 200
    a[4, :] = 0
    a[5, 0:5000 % w] = 7
    a[6, 1:] = np.arange(1, w) % 3
    a[7, 299] = 32767
    return a.astype(np.int16)


def img_plio_long():
    """One 9000-pixel row with 4095 zeros then a single pixel (cfitsio's PN overflow case) and 8190."""
    a = np.zeros((2, 9000), np.int32)
    a[0, 0:3] = 5
    a[0, 3 + 4095] = 6          # 4095 zeros then one pixel
    a[0, 4099:4102] = 2
    a[1, 8190] = 9              # 8190 zeros then one pixel
    a[1, 8191:8195] = 1
    return a.astype(np.int16)


def img_plio32():
    h, w = 6, 300
    a = ((np.arange(h * w).reshape(h, w) // 17) % 5).astype(np.int64) * 3000000
    a[1, :] = 16777215
    a[2, 7:9] = 4096
    return a.astype(np.int32)


images = {
    "i16": img_i16(),
    "i32": img_i32(),
    "u8": img_u8(),
    "f32": img_f32(),
    "mask": img_mask(),
    "plio_long": img_plio_long(),
    "plio32": img_plio32(),
}
# astropy 5.2.1's own quantizer mishandles NaN (whole rows come back NaN or garbage), so its
# float case uses an image without nulls
images["f32_nonull"] = np.nan_to_num(images["f32"], nan=7.0, posinf=7.0, neginf=7.0)


def write_plain(name, arr):
    p = os.path.join(TMP, name + ".fits")
    fits.PrimaryHDU(arr).writeto(p, overwrite=True)
    return p


plain = {k: write_plain(k, v) for k, v in images.items()}


# ------------------------------------------------------------------------------------------
# Cases

def add_case(case, image_key, fz, tool, hdu_index=1, note=None):
    orig = images[image_key]
    keys, tiles, blob, tform = extract(fz, hdu_index)
    ref = fits.open(fz)[hdu_index].data  # astropy (cfitsio) decoding
    entry = {
        "image": image_key,
        "tool": tool,
        "keywords": keys,
        "columns": tform,
        "shape": list(orig.shape),
        "tiles": tiles,
        "tilesFile": f"{case}.tiles.bin",
    }
    if note:
        entry["note"] = note
    with open(os.path.join(OUT, entry["tilesFile"]), "wb") as f:
        f.write(blob)
    # reference pixels: funpack (cfitsio) is the reference; astropy 5.2.1 is compared to it
    out = os.path.join(TMP, case + ".funpack.fits")
    if os.path.exists(out):
        os.remove(out)
    run(["funpack", "-O", out, fz])
    fun = np.asarray(fits.getdata(out))
    if orig.dtype.kind == "f":
        # astropy 5.2.1 decodes tile by tile with cfitsio but ignores the ZBLANK keyword (nulls come
        # back as dequantized NULL_VALUE); funpack maps them to NaN. The astropy values are the
        # reference for every pixel; funpack's are kept when they differ.
        funarr = fun.astype(np.float32)
        astarr = np.asarray(ref, dtype=np.float32)
        entry["pixelsFile"] = write_bin(f"{case}.pixels.bin", astarr.astype("<f4"))
        entry["pixelsType"] = "float32"
        nulls = ~np.isfinite(orig)
        if same_pixels(funarr, astarr):
            entry["funpackVsAstropy"] = "identical"
        else:
            entry["funpackPixelsFile"] = write_bin(f"{case}.funpack.bin", funarr.astype("<f4"))
            if same_pixels(funarr[~nulls], astarr[~nulls]) and bool(np.all(np.isnan(funarr[nulls]))):
                entry["funpackVsAstropy"] = "identical except at nulls (funpack NaN, astropy ignores ZBLANK keyword)"
            else:
                entry["funpackVsAstropy"] = "differ"
                print(f"NOTE: {case}: funpack output differs from astropy beyond the nulls", file=sys.stderr)
    else:
        astarr = np.asarray(ref).astype(np.int64)
        if np.array_equal(fun.astype(np.int64), orig.astype(np.int64)):
            entry["pixelsFile"] = f"{image_key}.orig.bin"  # lossless: decoded == original
        else:
            entry["pixelsFile"] = write_bin(f"{case}.pixels.bin", fun.astype(np.int64).astype("<i4"))
        entry["pixelsType"] = "int32"
        entry["funpackVsAstropy"] = "identical" if np.array_equal(fun.astype(np.int64), astarr) else "differ"
        if entry["funpackVsAstropy"] != "identical":
            print(f"WARNING: {case}: funpack and astropy disagree", file=sys.stderr)
    if orig.dtype.kind != "f":
        entry["lossless"] = bool(np.array_equal(np.asarray(ref).astype(np.int64), orig.astype(np.int64)))
    manifest["cases"][case] = entry
    print(f"{case}: {len(tiles)} tiles, {len(blob)} bytes")


def fpack_case(case, image_key, args, **kw):
    fz = os.path.join(TMP, case + ".fits.fz")
    if os.path.exists(fz):
        os.remove(fz)
    run(["fpack", *args, "-O", fz, plain[image_key]])
    add_case(case, image_key, fz, "fpack " + " ".join(args), **kw)
    return fz


def astropy_case(case, image_key, **params):
    fz = os.path.join(TMP, case + ".fits.fz")
    hdu = fits.CompImageHDU(images[image_key], **params)
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(fz, overwrite=True)
    add_case(case, image_key, fz, "astropy CompImageHDU(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")")
    return fz


# originals for the encoder tests
for key, arr in images.items():
    if arr.dtype.kind == "f":
        write_bin(f"{key}.orig.bin", arr.astype("<f4"))
    else:
        write_bin(f"{key}.orig.bin", arr.astype(np.int64).astype("<i4"))

# RICE_1, integers (row tiles and 2-D tiles whose size is not a multiple of the block size)
fpack_case("rice_i16", "i16", ["-r"])
fpack_case("rice_i16_t", "i16", ["-r", "-t", "37,5"])
fpack_case("rice_i32", "i32", ["-r"])
fpack_case("rice_u8", "u8", ["-r"])
astropy_case("rice_i16_astropy", "i16", compression_type="RICE_1", tile_size=(45, 7))  # (ZTILE1, ZTILE2)
# GZIP_2 (byte shuffling); the test inflates with node:zlib
fpack_case("gzip2_i16", "i16", ["-g2"])
fpack_case("gzip2_i32", "i32", ["-g2"])
fpack_case("gzip2_f32", "f32", ["-g2", "-q", "0"], note="lossless float32 GZIP_2 (no quantization)")
# PLIO_1
fpack_case("plio_mask", "mask", ["-p"])
fpack_case("plio_long", "plio_long", ["-p"], note="row 0 has 4095 zeros then one pixel: cfitsio's PN word overflows")
fpack_case("plio32", "plio32", ["-p"])
# HCOMPRESS_1
fpack_case("hcomp_i16", "i16", ["-h", "-t", "64,12"])
fpack_case("hcomp_i16_lossy", "i16", ["-h", "-s", "2.5", "-t", "64,12"])
astropy_case("hcomp_i16_smooth", "i16", compression_type="HCOMPRESS_1", tile_size=(64, 12),
             hcomp_scale=2.5, hcomp_smooth=1)
fpack_case("hcomp_i32", "i32", ["-h", "-t", "50,12"])
fpack_case("hcomp_u8", "u8", ["-h", "-t", "130,5"])
fpack_case("hcomp_mask_whole", "mask", ["-h", "-w"])
# Quantized float32
fpack_case("rice_f32_d1", "f32", ["-r", "-q42", "4"])
fpack_case("rice_f32_d2", "f32", ["-r", "-qz77", "4"])
fpack_case("rice_f32_nodither", "f32", ["-r", "-q0", "4"])
fpack_case("rice_f32_abs", "f32", ["-r", "-q9999", "-0.01"])
fpack_case("rice_f32_2d", "f32", ["-r", "-q3", "2", "-t", "40,4"],
           note="funpack (cfitsio 4.2) mis-decodes this file: 2-D float tiles with nulls; astropy is right")
fpack_case("hcomp_f32", "f32", ["-h", "-q42", "4", "-t", "160,4"])
astropy_case("rice_f32_astropy", "f32_nonull", compression_type="RICE_1", quantize_level=16.0,
             quantize_method=1, dither_seed=1234)

# Real DECam tiles (a few rows of each product)
DECAM_ROWS = [0, 1, 2, 57, 186, 300, 373, 374]
for case, fname in (("decam_ooi", "c4d_130105_065255_ooi_r_a1-N15.fits.fz"),
                    ("decam_ood", "c4d_130105_065255_ood_r_a1-N15.fits.fz")):
    path = os.path.join(DECAM, fname)
    keys, tiles, blob, tform = extract(path, 1, DECAM_ROWS)
    ref = fits.open(path)[1].data
    nx = keys["ZTILE1"]
    rows = np.stack([np.asarray(ref[r]) for r in DECAM_ROWS])
    with open(os.path.join(OUT, f"{case}.tiles.bin"), "wb") as f:
        f.write(blob)
    entry = {
        "tool": f"real file {fname} (legacysurvey/legacypipe@3fdb3281, NOIRLab DECam), sha256 {sha256(path)}",
        "keywords": keys,
        "columns": tform,
        "tiles": tiles,
        "tilesFile": f"{case}.tiles.bin",
        "rowLength": nx,
        "note": "pixels file holds the decoded rows listed in tiles[].index, in that order (astropy)",
    }
    if rows.dtype.kind == "f":
        entry["pixelsFile"] = write_bin(f"{case}.pixels.bin", rows.astype("<f4"))
        entry["pixelsType"] = "float32"
    else:
        entry["pixelsFile"] = write_bin(f"{case}.pixels.bin", rows.astype(np.int64).astype("<i4"))
        entry["pixelsType"] = "int32"
    out = os.path.join(TMP, case + ".funpack.fits")
    run(["funpack", "-O", out, path])
    fun = fits.getdata(out)
    entry["funpackVsAstropy"] = "identical" if same_pixels(np.asarray(fun)[DECAM_ROWS].astype(rows.dtype), rows) else "differ"
    manifest["cases"][case] = entry
    print(f"{case}: {len(tiles)} tiles, {len(blob)} bytes")

# Random sequence check value from the standard
manifest["randomCheck"] = {"seed10000": 1043618065}

# keep any cross-check results recorded by crosscheck.py in an earlier run
mpath = os.path.join(OUT, "manifest.json")
if os.path.exists(mpath):
    with open(mpath) as f:
        old = json.load(f)
    if "crossCheck" in old:
        manifest["crossCheck"] = old["crossCheck"]
with open(mpath, "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")

total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
print(f"wrote {len(manifest['cases'])} cases, {total} bytes in {OUT}")
