#!/usr/bin/python3
"""Prints, as JSON, what astropy decodes from a FITS file: per HDU the dtype, the shape (FITS
order) and a sha256 of the pixels as little-endian bytes. Used by tests to compare skystack's
output with an independent reader."""
import hashlib
import json
import sys
import warnings

import numpy as np
from astropy.io import fits

warnings.simplefilter("ignore")
out = []
with fits.open(sys.argv[1], memmap=False) as hl:
    for hdu in hl:
        entry = {"name": hdu.name, "kind": type(hdu).__name__}
        if isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)) and hdu.data is not None:
            a = np.array(hdu.data)
            if len(sys.argv) > 2 and sys.argv[2] and a.dtype.kind == "f":
                a.ravel()[[int(i) for i in sys.argv[2].split(",")]] = np.nan
            le = a.astype(a.dtype.newbyteorder("<"), copy=False)
            entry.update(dtype=le.dtype.str, shape=list(reversed(a.shape)), sha256=hashlib.sha256(le.tobytes()).hexdigest())
        out.append(entry)
print(json.dumps(out))
