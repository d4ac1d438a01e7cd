#!/usr/bin/python3
"""Writes test/fixtures/header-text.json: astropy's reading of the CADC header dumps in
test/data/real/cfht-megacam-headers/ (per HDU: number of cards and a few values)."""
import json
import os
import warnings

from astropy.io import fits

warnings.simplefilter("ignore")
ROOT = os.path.join(os.path.dirname(__file__), "..", "data", "real", "cfht-megacam-headers")
KEYS = ["EXTNAME", "NAXIS1", "ZNAXIS1", "DATASEC", "BSECA", "GAINA", "RDNOISEB", "EXPTIME", "FILTER", "MJD-OBS", "CRVAL1"]
out = {}
for name in sorted(os.listdir(ROOT)):
    text = open(os.path.join(ROOT, name), encoding="latin-1").read()
    hdus = []
    for chunk in text.split("\nEND" + " " * 77)[:-1]:
        block = chunk.lstrip("\n") + "\nEND" + " " * 77
        h = fits.Header.fromstring(block, sep="\n")
        hdus.append({"ncards": len(h.cards), **{k: h[k] for k in KEYS if k in h}})
    out[name] = hdus
json.dump(out, open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "header-text.json"), "w"), indent=0)
