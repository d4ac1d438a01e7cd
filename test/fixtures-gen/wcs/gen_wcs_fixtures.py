#!/usr/bin/python3
"""Expected pixel -> sky values for the WCS tests, computed with astropy.wcs (wcslib).

Run with Debian's python (astropy 5.2.1, wcslib 7.12):
    /usr/bin/python3 test/fixtures-gen/wcs/gen_wcs_fixtures.py
Writes packages/afw/test/wcs/fixtures/wcs-real.json and wcs-synthetic.json.

Pixels are LSST 0-based (astropy origin=0). Real files: a 9x9 grid over each image, corners and edges
included ([-0.5, N-0.5]). MegaCam TAN+PV headers are evaluated with CTYPE rewritten to TPV (wcslib
ignores PV under plain TAN). TNX (wcslib has no TNX) is evaluated independently here: the IRAF
gsurfit Chebyshev series with numpy.polynomial.chebyshev.chebval2d on (xi, eta) = CD.(p - CRPIX) in
degrees, then wcslib's TAN for the corrected (xi, eta).
"""
import json, os, re, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning
from numpy.polynomial import chebyshev as C

warnings.simplefilter("ignore", FITSFixedWarning)
warnings.simplefilter("ignore")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REAL = os.path.join(ROOT, "test", "data", "real")
OUT = os.path.join(ROOT, "packages", "afw", "test", "wcs", "fixtures")

REAL_FILES = [
    ("ccdproc/sip-wcs.fit", 0, None),
    ("wcs-galsim/sipsample.fits", 0, None),
    ("wcs-galsim/tpv.fits", 0, None),
    ("cfht-megacam-ossos/cutout-1616687p.fits", 0, "TPV"),
    ("cfht-megacam-ossos/cutout-1616690p.fits", 0, "TPV"),
    ("cfht-megacam-ossos/cutout_1200_2400_1350_2300-1616681p.fits", 0, "TPV"),
    ("decam-cp-legacypipe/c4d_130105_065255_ooi_r_a1-N15.fits.fz", 1, None),
    ("decam-cp-legacypipe/c4d_130105_065255_ood_r_a1-N15.fits.fz", 1, None),
    ("decam-cp-legacypipe/c4d_130105_065255_oow_r_a1-N15.fits.fz", 1, None),
    ("decam-cp-legacypipe/c4d_150329_083320_ooi_r_v1.fits.fz", 1, None),
    ("sdss-dr8-tractor/frame-r-001000-1-0100.fits.bz2", 0, None),
    ("sdss-dr7-obs_sdss/fpC-005754-r3-0280.fit.gz", 0, None),
    ("sdss-reprojected-astropy/reprojected_sdss_g.fits.bz2", 0, None),
    ("sdss-reprojected-astropy/reprojected_sdss_r.fits.bz2", 0, None),
    ("sdss-reprojected-astropy/reprojected_sdss_i.fits.bz2", 0, None),
]


def grid(nx, ny, n=9):
    xs = np.linspace(-0.5, nx - 0.5, n)
    ys = np.linspace(-0.5, ny - 0.5, n)
    X, Y = np.meshgrid(xs, ys)
    return X.ravel(), Y.ravel()


def tnx_eval(h, x, y):
    """Independent TNX: IRAF Chebyshev corrections (numpy chebval2d) + wcslib TAN."""
    def wat(axis):
        s, n = "", 1
        while "WAT%d_%03d" % (axis, n) in h:
            v = str(h["WAT%d_%03d" % (axis, n)])
            nxt = "WAT%d_%03d" % (axis, n + 1)
            s += v.ljust(68) if nxt in h else v
            n += 1
        return s
    def surface(axis, name):
        m = re.search(name + r'\s*=\s*"([^"]*)"', wat(axis))
        v = [float(t) for t in m.group(1).split()]
        typ, xo, yo, xt = (int(t) for t in v[:4])
        assert typ == 1 and xt == 2, "only Chebyshev half-cross here"
        xmin, xmax, ymin, ymax = v[4:8]
        c = np.zeros((xo, yo))
        k = 8
        for j in range(yo):
            for i in range(min(xo - 1, max(xo, yo) - 1 - j) + 1):
                c[i, j] = v[k]; k += 1
        assert k == len(v)
        return lambda X, Y: C.chebval2d((2 * X - xmax - xmin) / (xmax - xmin), (2 * Y - ymax - ymin) / (ymax - ymin), c)
    cd = np.array([[h["CD1_1"], h["CD1_2"]], [h["CD2_1"], h["CD2_2"]]])
    u = x + 1 - h["CRPIX1"]; v = y + 1 - h["CRPIX2"]
    X = cd[0, 0] * u + cd[0, 1] * v
    Y = cd[1, 0] * u + cd[1, 1] * v
    xi = X + surface(1, "lngcor")(X, Y)
    eta = Y + surface(2, "latcor")(X, Y)
    t = fits.Header()
    for k, val in dict(CTYPE1="RA---TAN", CTYPE2="DEC--TAN", CRPIX1=0.0, CRPIX2=0.0, CRVAL1=h["CRVAL1"], CRVAL2=h["CRVAL2"],
                       CD1_1=1.0, CD1_2=0.0, CD2_1=0.0, CD2_2=1.0).items():
        t[k] = val
    return WCS(t).wcs_pix2world(np.c_[xi, eta], 1)


def real_cases():
    cases = []
    for rel, hdu, override in REAL_FILES:
        with fits.open(os.path.join(REAL, rel)) as hl:
            h = hl[hdu].header.copy()
        nx, ny = h["NAXIS1"], h["NAXIS2"]
        if override:
            h["CTYPE1"] = "RA---" + override
            h["CTYPE2"] = "DEC--" + override
        x, y = grid(nx, ny)
        w = WCS(h)
        rd = w.all_pix2world(np.c_[x, y], 0)
        cases.append(dict(name=rel, file=rel, hdu=hdu, ctype=override, naxis=[nx, ny], x=x.tolist(), y=y.tolist(),
                          ra=rd[:, 0].tolist(), dec=rd[:, 1].tolist()))
    # TNX, independent evaluation
    rel = "wcs-galsim/tnx.fits"
    with fits.open(os.path.join(REAL, rel)) as hl:
        h = hl[0].header.copy()
    x, y = grid(h["NAXIS1"], h["NAXIS2"])
    rd = tnx_eval(h, x, y)
    cases.append(dict(name=rel, file=rel, hdu=0, ctype=None, naxis=[h["NAXIS1"], h["NAXIS2"]], x=x.tolist(), y=y.tolist(),
                      ra=rd[:, 0].tolist(), dec=rd[:, 1].tolist(), oracle="numpy chebval2d + wcslib TAN"))
    return cases


def synth_headers():
    base = dict(NAXIS1=400, NAXIS2=300, CRPIX1=180.5, CRPIX2=140.25)
    cd = dict(CD1_1=-2.1e-3, CD1_2=4.0e-4, CD2_1=3.5e-4, CD2_2=2.0e-3)
    out = []
    for code in ["TAN", "SIN", "ARC", "STG", "ZEA", "CAR", "CEA", "MER", "SFL", "AIT", "MOL", "PAR"]:
        for crval in [(150.25, 2.2), (359.8, -45.0), (12.0, 88.9)]:
            h = dict(base, CTYPE1="RA---" + code, CTYPE2="DEC--" + code, CRVAL1=crval[0], CRVAL2=crval[1], **cd)
            out.append(("%s@%g,%g" % (code, crval[0], crval[1]), h))
    # all-sky scale for the whole-sky projections (degrees per pixel large)
    for code in ["CAR", "AIT", "MOL", "SFL", "PAR", "ZEA", "ARC", "STG"]:
        h = dict(NAXIS1=360, NAXIS2=180, CRPIX1=180.5, CRPIX2=90.5, CTYPE1="RA---" + code, CTYPE2="DEC--" + code,
                 CRVAL1=0.0, CRVAL2=0.0, CDELT1=-0.8, CDELT2=0.8)
        out.append(("%s all-sky" % code, h))
    out.append(("CEA lambda=0.7", dict(base, CTYPE1="RA---CEA", CTYPE2="DEC--CEA", CRVAL1=30.0, CRVAL2=10.0, PV2_1=0.7, **cd)))
    out.append(("CAR crval2!=0 LATPOLE", dict(base, CTYPE1="RA---CAR", CTYPE2="DEC--CAR", CRVAL1=30.0, CRVAL2=40.0, LATPOLE=-10.0, **cd)))
    out.append(("TAN LONPOLE=170", dict(base, CTYPE1="RA---TAN", CTYPE2="DEC--TAN", CRVAL1=30.0, CRVAL2=40.0, LONPOLE=170.0, **cd)))
    out.append(("TAN PC+CDELT", dict(base, CTYPE1="RA---TAN", CTYPE2="DEC--TAN", CRVAL1=30.0, CRVAL2=-40.0, CDELT1=-1e-3, CDELT2=1.2e-3,
                                     PC1_1=0.9, PC1_2=0.1, PC2_1=-0.2, PC2_2=1.1)))
    out.append(("TAN CROTA2", dict(base, CTYPE1="RA---TAN", CTYPE2="DEC--TAN", CRVAL1=30.0, CRVAL2=-40.0, CDELT1=-1e-3, CDELT2=1.2e-3, CROTA2=23.0)))
    out.append(("TAN arcsec units", dict(base, CTYPE1="RA---TAN", CTYPE2="DEC--TAN", CRVAL1=30.0 * 3600, CRVAL2=-40.0 * 3600, CUNIT1="arcsec",
                                         CUNIT2="arcsec", CDELT1=-0.4, CDELT2=0.4)))
    out.append(("TAN lat first", dict(base, CTYPE1="DEC--TAN", CTYPE2="RA---TAN", CRVAL1=-40.0, CRVAL2=30.0, CD1_1=1e-4, CD1_2=2e-3,
                                      CD2_1=-2e-3, CD2_2=1e-4)))
    out.append(("TPV synthetic radial", dict(base, CTYPE1="RA---TPV", CTYPE2="DEC--TPV", CRVAL1=200.0, CRVAL2=-30.0, CD1_1=-2e-4, CD1_2=1e-6,
                                             CD2_1=2e-6, CD2_2=2e-4, PV1_0=1e-4, PV1_1=1.01, PV1_2=0.002, PV1_3=0.003, PV1_4=0.01, PV1_7=-0.02,
                                             PV1_11=0.05, PV1_17=0.3, PV1_23=0.1, PV1_31=2.0, PV1_39=1.0,
                                             PV2_0=-2e-4, PV2_1=0.99, PV2_2=-0.001, PV2_3=0.002, PV2_5=0.02, PV2_10=0.01, PV2_11=-0.03,
                                             PV2_24=0.5, PV2_39=-1.0)))
    out.append(("TAN-SIP synthetic order 4", dict(base, CTYPE1="RA---TAN-SIP", CTYPE2="DEC--TAN-SIP", CRVAL1=10.0, CRVAL2=60.0,
                                                  CD1_1=-1e-4, CD1_2=0.0, CD2_1=0.0, CD2_2=1e-4, A_ORDER=4, B_ORDER=4, A_2_0=2e-5,
                                                  A_1_1=-1e-5, A_0_3=3e-8, A_4_0=1e-10, B_0_2=-2e-5, B_2_1=5e-8, B_1_3=-2e-10)))
    return out


def synth_cases():
    cases = []
    for name, cards in synth_headers():
        h = fits.Header()
        for k, v in cards.items():
            h[k] = v
        x, y = grid(cards["NAXIS1"], cards["NAXIS2"], 6)
        w = WCS(h)
        rd = w.all_pix2world(np.c_[x, y], 0)[:, [w.wcs.lng, w.wcs.lat]]  # (ra, dec) whatever the axis order
        ok = np.isfinite(rd).all(axis=1)
        cases.append(dict(name=name, header=cards, x=x[ok].tolist(), y=y[ok].tolist(), ra=rd[ok, 0].tolist(), dec=rd[ok, 1].tolist()))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    import astropy, astropy.wcs
    meta = dict(generator="test/fixtures-gen/wcs/gen_wcs_fixtures.py", astropy=astropy.__version__,
                wcslib=astropy.wcs._wcs.__version__)
    with open(os.path.join(OUT, "wcs-real.json"), "w") as f:
        json.dump(dict(meta=meta, cases=real_cases()), f, separators=(",", ":"))
    with open(os.path.join(OUT, "wcs-synthetic.json"), "w") as f:
        json.dump(dict(meta=meta, cases=synth_cases()), f, separators=(",", ":"))


if __name__ == "__main__":
    main()
