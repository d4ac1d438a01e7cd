#!/usr/bin/python3
"""Writes test/fixtures/real-fits.json: what astropy reads from every real FITS file in test/data/real.

For each HDU: its kind, EXTNAME, the valued header cards (keyword, value) as astropy parses them,
the number of COMMENT/HISTORY cards, and for images the shape (FITS order), the dtype astropy
decodes to and a sha256 of the decoded pixels as little-endian bytes (so every pixel is compared).
For tile-compressed HDUs the header is astropy's reconstructed image header.

Run with Debian's python3-astropy:  /usr/bin/python3 test/fixtures-gen/real_fits.py
"""
import hashlib
import json
import math
import os
import sys
import warnings

import numpy as np
from astropy.io import fits
from astropy.utils.exceptions import AstropyWarning

ROOT = os.path.join(os.path.dirname(__file__), "..", "data", "real")
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "real-fits.json")


def json_value(v):
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)} if math.isfinite(v) else {"float": str(v)}
    if isinstance(v, complex):
        return {"complex": [repr(v.real), repr(v.imag)]}
    if isinstance(v, str):
        return {"str": v}
    if v is None or type(v).__name__ == "Undefined":
        return {"null": True}
    return {"other": str(v)}


def header_cards(h):
    cards = []
    commentary = 0
    for card in h.cards:
        k = card.keyword
        if k in ("COMMENT", "HISTORY", ""):
            commentary += 1
            continue
        try:
            v = card.value
        except Exception:  # unparsable card: astropy keeps the raw image
            cards.append([k, {"unparsable": True}])
            continue
        cards.append([k, json_value(v)])
    return cards, commentary


def pixel_digest(data):
    a = np.ascontiguousarray(data)
    le = a.astype(a.dtype.newbyteorder("<"), copy=False)
    return hashlib.sha256(le.tobytes()).hexdigest(), le.dtype.str


def main():
    warnings.simplefilter("ignore", AstropyWarning)
    result = {}
    for setname in sorted(os.listdir(ROOT)):
        d = os.path.join(ROOT, setname)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not (".fit" in name):
                continue
            path = os.path.join(d, name)
            rel = f"{setname}/{name}"
            big = name.startswith("2004B.mask")
            hdus = []
            with fits.open(path, memmap=False, lazy_load_hdus=True) as hl:
                for i, hdu in enumerate(hl):
                    kind = "image"
                    if isinstance(hdu, fits.CompImageHDU):
                        kind = "compressed-image"
                    elif isinstance(hdu, fits.BinTableHDU):
                        kind = "bintable"
                    elif isinstance(hdu, fits.TableHDU):
                        kind = "table"
                    cards, ncomm = header_cards(hdu.header)
                    entry = {"index": i, "type": kind, "extname": hdu.header.get("EXTNAME"), "cards": cards, "commentary": ncomm}
                    # The 706 MB bad-pixel mask: check pixels of two HDUs only (others by header).
                    if kind in ("image", "compressed-image") and hdu.header.get("NAXIS", 0) > 0 and (not big or i in (1, 36)):
                        data = hdu.data
                        digest, dtype = pixel_digest(data)
                        entry["shape"] = list(reversed(data.shape))
                        entry["dtype"] = dtype
                        entry["sha256"] = digest
                        finite = np.isfinite(data) if data.dtype.kind == "f" else np.ones(data.shape, bool)
                        entry["sum"] = float(np.sum(data[finite], dtype=np.float64))
                        entry["nan"] = int(data.size - finite.sum())
                        flat = data.ravel()
                        entry["first"] = [float(x) for x in flat[:5]]
                    hdus.append(entry)
            result[rel] = hdus
            print(rel, len(hdus), file=sys.stderr)
    with open(OUT, "w") as f:
        json.dump({"generator": "test/fixtures-gen/real_fits.py", "astropy": __import__("astropy").__version__, "files": result}, f, indent=0)


if __name__ == "__main__":
    main()
