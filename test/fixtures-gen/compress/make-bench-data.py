#!/usr/bin/python3
"""Make the RICE decode benchmark input (not committed): a 2112 x 4644 int16 image of Gaussian
noise (sigma 5 around 1000), fpacked with RICE_1 in 2112 x 1 tiles, plus its tiles extracted to
raw files for bench-rice.ts.

    /usr/bin/python3 test/fixtures-gen/compress/make-bench-data.py [OUTDIR]   # default /tmp/skystack-rice-bench
    time funpack -O OUTDIR/out.fits OUTDIR/image.fits.fz
    npx tsx test/fixtures-gen/compress/bench-rice.ts [OUTDIR]
"""
import os
import subprocess
import sys

import numpy as np
from astropy.io import fits

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/skystack-rice-bench"
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(1)
img = np.round(rng.normal(1000.0, 5.0, (4644, 2112))).astype(np.int16)
plain = os.path.join(out, "image.fits")
fz = os.path.join(out, "image.fits.fz")
fits.PrimaryHDU(img).writeto(plain, overwrite=True)
if os.path.exists(fz):
    os.remove(fz)
subprocess.run(["fpack", "-r", "-O", fz, plain], check=True)
with fits.open(fz, disable_image_compression=True) as h:
    col = h[1].data["COMPRESSED_DATA"]
    lengths = np.array([len(col[i]) for i in range(len(col))], dtype="<u4")
    blob = b"".join(np.asarray(col[i]).astype(np.uint8).tobytes() for i in range(len(col)))
with open(os.path.join(out, "tiles.bin"), "wb") as f:
    f.write(blob)
lengths.tofile(os.path.join(out, "lengths.bin"))
img.astype("<i2").tofile(os.path.join(out, "pixels.i16"))
print(f"{len(lengths)} tiles, {len(blob)} compressed bytes, {os.path.getsize(fz)} bytes .fz in {out}")
