#!/usr/bin/python3
"""Expected pixel <-> sky values for every Paper II projection, computed with astropy.wcs (wcslib).

Run with Debian's python (astropy 5.2.1, wcslib 7.12):
    /usr/bin/python3 packages/afw/test/wcs/fixtures-gen/gen_projection_fixtures.py
Writes packages/afw/test/wcs/fixtures/wcs-projections.json.

Each case is a synthetic header (local scale, three reference points, and an all-sky scale that
reaches outside the projection's domain) with a grid of LSST 0-based pixels (astropy origin=0)
covering the image, corners and edges included. ra/dec are null where wcslib flags the pixel as
outside the projection. xw/yw are wcslib's sky -> pixel of the valid points (null if wcslib refuses).
"""
import json, os, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning

warnings.simplefilter("ignore", FITSFixedWarning)
warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "wcs-projections.json")

LOCAL = dict(NAXIS1=400, NAXIS2=300, CRPIX1=180.5, CRPIX2=140.25, CD1_1=-2.1e-3, CD1_2=4.0e-4, CD2_1=3.5e-4, CD2_2=2.0e-3)
CRVALS = [(150.25, 2.2), (359.8, -45.0), (12.0, 88.9)]

# code -> list of (label, PV2 params, all-sky CDELT or None)
PROJ = {
    "AZP": [("mu=2 gamma=30", dict(PV2_1=2.0, PV2_2=30.0), 0.5), ("mu=0.5", dict(PV2_1=0.5), 0.5), ("default", {}, 0.6)],
    "SZP": [("mu=2 phic=180 thetac=60", dict(PV2_1=2.0, PV2_2=180.0, PV2_3=60.0), 0.5), ("default", {}, 0.6),
            ("mu=0.5 phic=30 thetac=70", dict(PV2_1=0.5, PV2_2=30.0, PV2_3=70.0), 0.5)],
    "SIN": [("slant xi=0.1 eta=-0.2", dict(PV2_1=0.1, PV2_2=-0.2), 0.45)],
    "ZPN": [("cubic", dict(PV2_1=1.0, PV2_3=-0.3), 0.8), ("quadratic", dict(PV2_1=1.0, PV2_2=0.05), 0.8),
            ("quintic", dict(PV2_1=1.0, PV2_2=0.01, PV2_3=-0.05, PV2_5=0.002), 1.0)],
    "AIR": [("default", {}, 0.8), ("thetab=45", dict(PV2_1=45.0), 0.8)],
    "CYP": [("default", {}, 1.0), ("mu=0.5 lambda=0.8", dict(PV2_1=0.5, PV2_2=0.8), 1.0), ("mu=-0.5 lambda=1.2", dict(PV2_1=-0.5, PV2_2=1.2), 1.0)],
    "COP": [("45,10", dict(PV2_1=45.0, PV2_2=10.0), 0.8), ("-30,15", dict(PV2_1=-30.0, PV2_2=15.0), 0.8)],
    "COE": [("45,10", dict(PV2_1=45.0, PV2_2=10.0), 1.0), ("-30,15", dict(PV2_1=-30.0, PV2_2=15.0), 1.0)],
    "COD": [("45,10", dict(PV2_1=45.0, PV2_2=10.0), 1.0), ("-30,0", dict(PV2_1=-30.0), 1.0)],
    "COO": [("45,10", dict(PV2_1=45.0, PV2_2=10.0), 0.8), ("-30,15", dict(PV2_1=-30.0, PV2_2=15.0), 0.8)],
    "BON": [("theta1=45", dict(PV2_1=45.0), 1.0), ("theta1=-30", dict(PV2_1=-30.0), 1.0)],
    "PCO": [("default", {}, 1.0)],
    "TSC": [("default", {}, 2.0)],
    "CSC": [("default", {}, 2.0)],
    "QSC": [("default", {}, 2.0)],
    "HPX": [("default", {}, 1.2), ("H=5 K=4", dict(PV2_1=5.0, PV2_2=4.0), 1.2), ("H=6 K=2", dict(PV2_1=6.0, PV2_2=2.0), 1.2)],
    "XPH": [("default", {}, 1.2)],
}


def grid(nx, ny, n=13, m=11):
    X, Y = np.meshgrid(np.linspace(-0.5, nx - 0.5, n), np.linspace(-0.5, ny - 0.5, m))
    return X.ravel(), Y.ravel()


def headers():
    out = []
    for code, variants in PROJ.items():
        for label, pv, allsky in variants:
            for crval in CRVALS:
                h = dict(LOCAL, CTYPE1="RA---" + code, CTYPE2="DEC--" + code, CRVAL1=crval[0], CRVAL2=crval[1], **pv)
                out.append(("%s %s @%g,%g" % (code, label, crval[0], crval[1]), h))
            if allsky:
                h = dict(NAXIS1=360, NAXIS2=180, CRPIX1=180.5, CRPIX2=90.5, CTYPE1="RA---" + code, CTYPE2="DEC--" + code,
                         CRVAL1=0.0, CRVAL2=0.0, CDELT1=-allsky, CDELT2=allsky, **pv)
                out.append(("%s %s all-sky" % (code, label), h))
    # conic reference point above and below theta_a, explicit LONPOLE/LATPOLE
    out.append(("COE LONPOLE=150 LATPOLE=-20", dict(LOCAL, CTYPE1="RA---COE", CTYPE2="DEC--COE", CRVAL1=40.0, CRVAL2=20.0,
                                                     PV2_1=30.0, PV2_2=5.0, LONPOLE=150.0, LATPOLE=-20.0)))
    out.append(("COD crval2=60>theta_a", dict(LOCAL, CTYPE1="RA---COD", CTYPE2="DEC--COD", CRVAL1=40.0, CRVAL2=60.0, PV2_1=30.0, PV2_2=5.0)))
    out.append(("CYP LATPOLE=-30 crval2=40", dict(LOCAL, CTYPE1="RA---CYP", CTYPE2="DEC--CYP", CRVAL1=30.0, CRVAL2=40.0, LATPOLE=-30.0)))
    out.append(("AZP LONPOLE=120", dict(LOCAL, CTYPE1="RA---AZP", CTYPE2="DEC--AZP", CRVAL1=30.0, CRVAL2=40.0, LONPOLE=120.0, PV2_1=1.5)))
    return out


def nul(a):
    return [None if not np.isfinite(v) else float(v) for v in a]


def cases():
    res = []
    for name, cards in headers():
        h = fits.Header()
        for k, v in cards.items():
            h[k] = v
        w = WCS(h)
        x, y = grid(cards["NAXIS1"], cards["NAXIS2"])
        rd = w.all_pix2world(np.c_[x, y], 0)
        ok = np.isfinite(rd).all(axis=1)
        xw = np.full(x.shape, np.nan)
        yw = np.full(x.shape, np.nan)
        if ok.any():
            p = w.all_world2pix(rd[ok], 0)
            xw[ok] = p[:, 0]
            yw[ok] = p[:, 1]
        rd[~ok] = np.nan
        res.append(dict(name=name, header=cards, x=x.tolist(), y=y.tolist(), ra=nul(rd[:, 0]), dec=nul(rd[:, 1]),
                        xw=nul(xw), yw=nul(yw)))
    return res


def main():
    import astropy, astropy.wcs
    meta = dict(generator="packages/afw/test/wcs/fixtures-gen/gen_projection_fixtures.py", astropy=astropy.__version__,
                wcslib=astropy.wcs._wcs.__version__)
    with open(OUT, "w") as f:
        json.dump(dict(meta=meta, cases=cases()), f, separators=(",", ":"))


if __name__ == "__main__":
    main()
