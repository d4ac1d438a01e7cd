#!/usr/bin/python3
"""File-level cross-check of OUR encoders: build compressed FITS files whose tiles are the bytes
written by encode-ours.ts, decode them with funpack and with astropy, compare with the original
images, and record the result under "crossCheck" in the fixtures' manifest.json.

    /usr/bin/python3 test/fixtures-gen/compress/gen.py
    npx tsx test/fixtures-gen/compress/encode-ours.ts /tmp/skystack-compress-ours.json
    /usr/bin/python3 test/fixtures-gen/compress/crosscheck.py /tmp/skystack-compress-ours.json

Each file is made from fpack's own output for the same image (same header and table layout), with
the COMPRESSED_DATA (and ZSCALE/ZZERO) column replaced by ours. Tiles our quantizer refused are
taken from fpack's GZIP_COMPRESSED_DATA column (cfitsio refused the same tiles).
"""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from astropy.io import fits

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIX = os.path.join(ROOT, "packages", "afw", "test", "compress", "fixtures")
ours_path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/skystack-compress-ours.json"
TMP = tempfile.mkdtemp(prefix="skystack-compress-crosscheck-")

with open(os.path.join(FIX, "manifest.json")) as f:
    manifest = json.load(f)
with open(ours_path) as f:
    ours = json.load(f)


def load_orig(c):
    shape = tuple(c["shape"])
    if int(c["keywords"]["ZBITPIX"]) < 0:
        return np.fromfile(os.path.join(FIX, f"{c['image']}.orig.bin"), "<f4").reshape(shape)
    return np.fromfile(os.path.join(FIX, f"{c['image']}.orig.bin"), "<i4").reshape(shape)


def fits_dtype(zbitpix):
    return {8: np.uint8, 16: np.int16, 32: np.int32, -32: np.float32}[zbitpix]


results = {}
for name, entry in ours.items():
    c = manifest["cases"][name]
    orig = load_orig(c)
    zbitpix = int(c["keywords"]["ZBITPIX"])
    plain = os.path.join(TMP, name + ".fits")
    fits.PrimaryHDU(orig.astype(fits_dtype(zbitpix))).writeto(plain, overwrite=True)
    args = c["tool"].split()[1:]
    template = os.path.join(TMP, name + ".fpack.fz")
    subprocess.run(["fpack", *args, "-O", template, plain], check=True)
    with fits.open(template, disable_image_compression=True) as h:
        hdu = h[1]
        hdr = hdu.header.copy()
        data = hdu.data
        names = [col.name for col in hdu.columns]
        plio = hdu.columns["COMPRESSED_DATA"].format.startswith("1PI")
        cd, gz, zs, zz = [], [], [], []
        for k, t in enumerate(entry["tiles"]):
            assert t["index"] == k
            if t.get("fallback"):
                cd.append(np.zeros(0, np.int16 if plio else np.uint8))
                gz.append(np.asarray(data["GZIP_COMPRESSED_DATA"][k]).astype(np.uint8))
                zs.append(float(data["ZSCALE"][k]))
                zz.append(float(data["ZZERO"][k]))
                continue
            raw = bytes.fromhex(t["hex"])
            cd.append(np.frombuffer(raw, ">i2").astype(np.int16) if plio else np.frombuffer(raw, np.uint8))
            gz.append(np.zeros(0, np.uint8))
            zs.append(t.get("ZSCALE", 0.0))
            zz.append(t.get("ZZERO", 0.0))
    cols = [fits.Column(name="COMPRESSED_DATA", format="1PI()" if plio else "1PB()",
                        array=np.array(cd + [np.zeros(0)], dtype=object)[:-1])]
    if "GZIP_COMPRESSED_DATA" in names:
        cols.append(fits.Column(name="GZIP_COMPRESSED_DATA", format="1PB()",
                                array=np.array(gz + [np.zeros(0)], dtype=object)[:-1]))
    if "ZSCALE" in names:
        cols.append(fits.Column(name="ZSCALE", format="1D", array=np.array(zs)))
        cols.append(fits.Column(name="ZZERO", format="1D", array=np.array(zz)))
    table = fits.BinTableHDU.from_columns(cols)
    for key in hdr:
        if key.startswith("Z") or key in ("BZERO", "BSCALE"):
            table.header[key] = hdr[key]
    # ZIMAGE must precede the other Z keywords for some readers; re-order by rewriting
    zkeys = [(k, hdr[k]) for k in hdr if k.startswith("Z")]
    for k, _ in zkeys:
        del table.header[k]
    for k, v in zkeys:
        table.header[k] = v
    out = os.path.join(TMP, name + ".ours.fz")
    fits.HDUList([fits.PrimaryHDU(), table]).writeto(out, overwrite=True)
    unpacked = os.path.join(TMP, name + ".ours.funpack.fits")
    r = subprocess.run(["funpack", "-O", unpacked, out], capture_output=True, text=True)
    fun = fits.getdata(unpacked) if r.returncode == 0 else None
    ast = fits.open(out)[1].data
    res = {"funpackRc": r.returncode}
    if zbitpix < 0:
        # floats: compare with the decoding of fpack's own file (same quantization expected)
        ref_unpacked = os.path.join(TMP, name + ".fpack.funpack.fits")
        subprocess.run(["funpack", "-O", ref_unpacked, template], check=True)
        ref = fits.getdata(ref_unpacked).astype(np.float32)
        ref_ast = np.asarray(fits.open(template)[1].data, np.float32)

        def eq(a, b):
            return bool(np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(a[~np.isnan(a)], b[~np.isnan(b)]))

        res["funpackEqualsFpackFile"] = fun is not None and eq(np.asarray(fun, np.float32), ref)
        res["astropyEqualsFpackFile"] = eq(np.asarray(ast, np.float32), ref_ast)
    else:
        res["funpackLossless"] = fun is not None and bool(np.array_equal(np.asarray(fun).astype(np.int64), orig.astype(np.int64)))
        res["astropyLossless"] = bool(np.array_equal(np.asarray(ast).astype(np.int64), orig.astype(np.int64)))
    results[name] = res
    print(name, res)

manifest["crossCheck"] = {
    "how": "tiles from encode-ours.ts put into fpack's table layout; decoded by funpack and astropy (crosscheck.py)",
    "results": results,
}
with open(os.path.join(FIX, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")
bad = [k for k, v in results.items() if not all(x is True or x == 0 for x in v.values())]
print("all good" if not bad else f"FAILED: {bad}")
sys.exit(1 if bad else 0)
