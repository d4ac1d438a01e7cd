#!/usr/bin/python3
"""Expected values for the FITS table tests (packages/afw/test/table), from astropy.

Run from the repository root with Debian's python (astropy 5.2.1, numpy 1.24):

    /usr/bin/python3 test/fixtures-gen/table/gen_table_fixtures.py

Writes, under packages/afw/test/table/fixtures/:

- real-tables.json: for every column of every table HDU of the real files in test/data/real/
  (SDSS fpM/psField/photoObj/tsField, the bzip2 SDSS frame's HDUs 2 and 3, obs_cfht ccd00.fits,
  the table of a DECam tile-compressed image):
  TFORM, TUNIT, TDIM, astropy's dtype and shape, a sha256 of the column's canonical bytes
  (see `canon` below) and the first/last values, written exactly (ints as decimal strings,
  floats as Python's shortest round-trip repr of the double value).
- all-tforms.fits: a file written by astropy with every TFORM (L with a NUL "undefined" byte,
  X of 3/13/16 bits, B, I, J, K, A with TDIM, E, D with NaN payloads, C, M, PJ/PE/PD/PA/PC/PI/QD
  variable-length arrays, the TZERO unsigned conventions, TSCAL/TZERO scaling, TNULL), a
  zero-row table, and an ASCII table (fits.TableHDU) with a TNULL field, a blank field, D
  exponents, an I field beyond 32 bits and TSCAL/TZERO.
- all-tforms.json: astropy's values for every column of all-tforms.fits, with the documented
  differences of skystack's representation applied (each listed in the column's "notes").

Canonical bytes (the TypeScript test computes the same):
- numbers: the flattened (C order = FITS order) values in the column's dtype, big-endian;
- logicals and bits: one signed byte per value (1, 0; -1 for an undefined logical);
- strings: each string's latin-1 bytes followed by a NUL;
- variable-length columns: per row, the element count as 8 bytes big-endian, then the row's
  bytes as above (for PA/QA the string's characters, without NUL).
"""
import hashlib
import json
import os
import sys
import warnings

import numpy as np
from astropy.io import fits

warnings.simplefilter("ignore")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REAL = os.path.join(ROOT, "test", "data", "real")
OUT = os.path.join(ROOT, "packages", "afw", "test", "table", "fixtures")
EDGE = 3  # values kept at each end of a column
ROW_EDGE = 6  # values kept from the start of a variable-length row

REAL_FILES = [
    ("sdss-dr8-tractor/fpM-001000-r1-0100.fit", None),
    ("sdss-dr8-tractor/psField-001000-1-0100.fit", None),
    ("sdss-dr8-tractor/photoObj-001000-1-0100.fits", None),
    ("sdss-dr8-tractor/frame-r-001000-1-0100.fits.bz2", [2, 3]),
    ("sdss-dr7-obs_sdss/fpM-005754-r3-0280.fit", None),
    ("sdss-dr7-obs_sdss/tsField-005754-3-40-0280.fit", None),
    ("cfht-megacam-obs_cfht/ccd00.fits", None),
    # A tile-compressed image's table (COMPRESSED_DATA etc.), read as a plain binary table.
    ("decam-cp-legacypipe/c4d_130105_065255_ood_r_a1-N15.fits.fz", [1]),
]


def dtype_name(a):
    """'f4', 'i2', 'u8', 'c8', 'b1', 'U' ..."""
    if a.dtype.kind in "US":
        return "U"
    if a.dtype.kind == "b":
        return "b1"
    return f"{a.dtype.kind}{a.dtype.itemsize}"


def value_text(x):
    """An exact text for one value: ints as decimal, floats as the double's repr, complex as [re, im]."""
    if isinstance(x, (bytes, np.bytes_)):
        return x.decode("latin1")
    if isinstance(x, str):
        return x.rstrip()  # astropy's chararray drops trailing blanks
    if isinstance(x, (bool, np.bool_)):
        return 1 if x else 0
    if isinstance(x, (np.integer, int)):
        return str(int(x))
    if isinstance(x, (np.complexfloating, complex)):
        return [repr(float(x.real)), repr(float(x.imag))]
    return repr(float(x))


def canon_fixed(a):
    a = np.ascontiguousarray(a)
    if a.dtype.kind in "US":
        return b"".join(str(s).rstrip().encode("latin1") + b"\0" for s in a.ravel())
    if a.dtype.kind == "b":
        return a.astype("i1").tobytes()
    return a.astype(a.dtype.newbyteorder(">")).tobytes()


def canon_var(rows, is_string):
    parts = []
    for r in rows:
        if is_string:
            s = r if isinstance(r, str) else "".join(str(c) for c in np.asarray(r).ravel())
            parts.append(len(s).to_bytes(8, "big") + s.encode("latin1"))
        else:
            r = np.asarray(r)
            parts.append(len(r).to_bytes(8, "big") + canon_fixed(r))
    return b"".join(parts)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def is_var(tform):
    t = tform.strip().upper().lstrip("0123456789")
    return t.startswith("P") or t.startswith("Q")


def describe_fixed(col, a, notes=None):
    flat = np.ascontiguousarray(a).ravel()
    head = [value_text(x) for x in flat[:EDGE]]
    tail = [value_text(x) for x in flat[-EDGE:]] if flat.size > EDGE else []
    d = {
        "name": col["name"],
        "tform": col["tform"],
        "tunit": col["tunit"],
        "tdim": col["tdim"],
        "dtype": dtype_name(a),
        "shape": list(a.shape),
        "sha256": sha(canon_fixed(a)),
        "head": head,
        "tail": tail,
    }
    if notes:
        d["notes"] = notes
    return d


def describe_var(col, rows, is_string, elem_dtype, notes=None):
    def row_text(r, limit=None):
        if is_string:
            t = r if isinstance(r, str) else "".join(str(c) for c in np.asarray(r).ravel())
            return t[:limit]
        return [value_text(x) for x in np.asarray(r).ravel()[:limit]]

    n = len(rows)
    d = {
        "name": col["name"],
        "tform": col["tform"],
        "tunit": col["tunit"],
        "tdim": col["tdim"],
        "dtype": "U" if is_string else elem_dtype,
        "shape": [n],
        "lengths": [len(row_text(r)) if is_string else int(np.asarray(r).size) for r in rows],
        "sha256": sha(canon_var(rows, is_string)),
        # The first ROW_EDGE values of the first and last two rows.
        "headRows": [row_text(r, ROW_EDGE) for r in rows[:2]],
        "tailRows": [row_text(r, ROW_EDGE) for r in rows[-2:]] if n > 2 else [],
    }
    if notes:
        d["notes"] = notes
    return d


def column_cards(hdu, i):
    h = hdu.header
    n = i + 1
    return {
        "name": str(h.get(f"TTYPE{n}", "")).rstrip(),
        "tform": str(h[f"TFORM{n}"]).strip(),
        "tunit": None if h.get(f"TUNIT{n}") is None else str(h[f"TUNIT{n}"]).rstrip(),
        "tdim": None if h.get(f"TDIM{n}") is None else str(h[f"TDIM{n}"]),
    }


def describe_hdu(hdu, index, overrides=None):
    """Every column of a table HDU as astropy reads it; `overrides` maps column index -> dict."""
    cols = []
    data = hdu.data
    nrows = hdu.header["NAXIS2"]
    for i in range(hdu.header["TFIELDS"]):
        col = column_cards(hdu, i)
        if overrides and i in overrides:
            cols.append(overrides[i](col))
            continue
        a = data.field(i) if data is not None else None
        if is_var(col["tform"]):
            is_string = "A" in col["tform"].upper()
            rows = list(a) if a is not None else []
            elem = None
            for r in rows:
                if not is_string:
                    elem = dtype_name(np.asarray(r))
                    break
            cols.append(describe_var(col, rows, is_string, elem))
        else:
            if a is None:
                a = np.zeros((0,), dtype="u1")
            cols.append(describe_fixed(col, np.asarray(a)))
    return {
        "index": index,
        "xtension": hdu.header["XTENSION"].strip(),
        "extname": hdu.header.get("EXTNAME"),
        "nrows": nrows,
        "naxis1": hdu.header["NAXIS1"],
        "pcount": hdu.header.get("PCOUNT", 0),
        "columns": cols,
    }


def real_fixtures():
    files = []
    for rel, only in REAL_FILES:
        path = os.path.join(REAL, rel)
        with fits.open(path, disable_image_compression=True) as hdul:
            hdus = []
            for i, hdu in enumerate(hdul):
                if only is not None and i not in only:
                    continue
                if not isinstance(hdu, (fits.BinTableHDU, fits.TableHDU)):
                    continue
                hdus.append(describe_hdu(hdu, i))
        files.append({"file": rel, "hdus": hdus})
    return {"generator": "test/fixtures-gen/table/gen_table_fixtures.py", "astropy": fits.__version__ if hasattr(fits, "__version__") else None, "files": files}


# ---------------------------------------------------------------------------------------------
# The generated file


def f4_with_payload(bits):
    return np.array([bits], dtype="u4").view("f4")[0]


def f8_with_payload(bits):
    return np.array([bits], dtype="u8").view("f8")[0]


N = 7


def alltypes_hdu():
    rng = np.random.default_rng(20240601)
    e = rng.normal(size=N).astype("f4")
    e[1] = np.nan
    e[2] = np.inf
    e[3] = -0.0
    e[4] = f4_with_payload(0x7FC01234)  # quiet NaN with a payload
    e[5] = np.finfo("f4").tiny / 4  # subnormal
    d = rng.normal(size=(N, 2))
    d[0, 1] = f8_with_payload(0x7FF8000000ABCDEF)
    d[1, 0] = -np.inf
    d[2, 0] = np.finfo("f8").max
    k = np.array([0, 1, -1, 2**63 - 1, -(2**63), 2**53 + 1, -(2**40)], dtype="i8")
    j = np.array([0, 1, -1, 2**31 - 1, -(2**31), 123456789, -42], dtype="i4")
    i2 = np.array([[0, 1], [-1, 32767], [-32768, 5], [7, 8], [9, 10], [11, 12], [-13, 14]], dtype="i2")
    b = np.array([0, 1, 127, 128, 255, 42, 7], dtype="u1")
    l = np.array([True, False, True, True, False, True, False])
    l3 = np.array([[True, False, True]] * N)
    x3 = rng.integers(0, 2, size=(N, 3)).astype(bool)
    x13 = rng.integers(0, 2, size=(N, 13)).astype(bool)
    x16 = rng.integers(0, 2, size=(N, 16)).astype(bool)
    s = np.array(["", "a", "hello", "with space", "  lead", "x" * 10, "end"])
    s_dim = np.array([[f"r{r}c{c}"[: 4 - (c % 2)] for c in range(3)] for r in range(N)])
    c8 = (rng.normal(size=N) + 1j * rng.normal(size=N)).astype("c8")
    m16 = (rng.normal(size=(N, 2)) + 1j * rng.normal(size=(N, 2))).astype("c16")
    cols = [
        fits.Column(name="L", format="L", array=l),
        fits.Column(name="L3", format="3L", array=l3),
        fits.Column(name="X3", format="3X", array=x3),
        fits.Column(name="X13", format="13X", array=x13),
        fits.Column(name="X16", format="16X", array=x16),
        fits.Column(name="B", format="B", array=b),
        fits.Column(name="I2", format="2I", array=i2, unit="count"),
        fits.Column(name="J", format="J", array=j, disp="I11"),
        fits.Column(name="K", format="K", array=k),
        fits.Column(name="A", format="10A", array=s),
        fits.Column(name="ADIM", format="12A", dim="(4,3)", array=s_dim),
        fits.Column(name="E", format="E", array=e, unit="mag"),
        fits.Column(name="D2", format="2D", array=d),
        fits.Column(name="C", format="C", array=c8),
        fits.Column(name="M2", format="2M", array=m16),
        fits.Column(name="E6", format="6E", dim="(3,2)", array=rng.normal(size=(N, 2, 3)).astype("f4")),
    ]
    hdu = fits.BinTableHDU.from_columns(cols, name="ALLTYPES")
    return hdu


VAR_ROWS = [[1, 2, 3], [], [4], [5, 6, 7, 8, 9], [-1], [], [2**31 - 1, -(2**31)]]


def varlen_hdu():
    rows = VAR_ROWS
    rng = np.random.default_rng(7)
    strings = ["abc", "", "hello world", "x", "", "tail", "0123456789abcdef"]
    cols = [
        fits.Column(name="PJ", format="PJ()", array=[np.array(r, dtype="i4") for r in rows]),
        fits.Column(name="PE", format="PE()", array=[rng.normal(size=len(r)).astype("f4") for r in rows]),
        fits.Column(name="PD", format="PD()", array=[rng.normal(size=len(r)) for r in rows]),
        fits.Column(name="PA", format="PA()", array=strings),
        fits.Column(name="PI", format="PI()", array=[np.array([v % 30000 for v in r], dtype="i2") for r in rows]),
        fits.Column(name="PB", format="PB()", array=[np.array([abs(v) % 256 for v in r], dtype="u1") for r in rows]),
        fits.Column(name="PC", format="PC()", array=[(rng.normal(size=len(r)) + 1j).astype("c8") for r in rows]),
        fits.Column(name="QD", format="QD()", array=[rng.normal(size=len(r) * 2) for r in rows]),
        fits.Column(name="PJS", format="PJ()", array=[np.array(r, dtype="i4") for r in rows]),
        fits.Column(name="J", format="J", array=np.arange(N, dtype="i4")),
    ]
    return fits.BinTableHDU.from_columns(cols, name="VARLEN")


def scaled_hdu():
    cols = [
        fits.Column(name="B_I8", format="B", array=np.array([0, 1, 127, 128, 255, 10, 200], dtype="u1")),
        fits.Column(name="I_U16", format="I", array=np.array([-32768, -1, 0, 1, 32767, 100, -100], dtype="i2")),
        fits.Column(name="J_U32", format="J", array=np.array([-(2**31), -1, 0, 1, 2**31 - 1, 5, -5], dtype="i4")),
        fits.Column(name="K_U64", format="K", array=np.array([-(2**63), -1, 0, 1, 2**63 - 1, 7, -7], dtype="i8")),
        fits.Column(name="J_SCALED", format="J", array=np.array([0, 1, -999, 3, 4, -999, 100000], dtype="i4")),
        fits.Column(name="I_SCALED", format="2I", array=np.arange(2 * N, dtype="i2").reshape(N, 2) - 5),
        fits.Column(name="E_SCALED", format="E", array=np.array([0.5, 1.25, -3.0, 1e10, 7.0, 1e-3, 2.0], dtype="f4")),
        fits.Column(name="K_SCALED", format="K", array=np.array([0, 1, 2**60, -(2**60), 5, -1, 123], dtype="i8")),
        fits.Column(name="J_NULL", format="J", array=np.array([1, -99, 3, -99, 5, 6, 7], dtype="i4")),
        fits.Column(name="B_ZERO", format="B", array=np.array([0, 1, 2, 3, 250, 5, 6], dtype="u1")),
    ]
    return fits.BinTableHDU.from_columns(cols, name="SCALED")


# Cards added after writing (astropy 5.2.1 cannot write these columns itself).
SCALED_CARDS = [
    ("TZERO1", -128),
    ("TZERO2", 32768),
    ("TZERO3", 2147483648),
    ("TZERO4", 9223372036854775808),
    ("TSCAL5", 0.5),
    ("TZERO5", 100.0),
    ("TNULL5", -999),
    ("TSCAL6", 2.5),
    ("TZERO6", -1.0),
    ("TSCAL7", 2.0),
    ("TZERO7", 1.0),
    ("TSCAL8", 3.0),
    ("TNULL9", -99),
    ("TZERO10", 10),
]
VARLEN_CARDS = [("TSCAL9", 2.0), ("TZERO9", 1.0), ("TUNIT9", "adu")]


def empty_hdu():
    cols = [
        fits.Column(name="E", format="E", array=np.zeros(0, dtype="f4")),
        fits.Column(name="A", format="8A", array=np.array([], dtype="U8")),
        fits.Column(name="PJ", format="PJ()", array=[]),
    ]
    return fits.BinTableHDU.from_columns(cols, name="EMPTY")


def ascii_hdu():
    cols = [
        fits.Column(name="NAME", format="A8", array=np.array(["alpha", "beta", "", "delta x", "e", "f", "g"])),
        fits.Column(name="COUNT", format="I6", array=np.array([12, -7, 0, 32000, -99, 5, 1]), null="-99"),
        fits.Column(name="BIG", format="I12", array=np.array([1, 5000000000, -3, 0, 7, 8, 9])),
        fits.Column(name="FIX", format="F10.3", array=np.array([1.25, -3.5, 0.0, 1000.125, 2.0, 3.0, 4.0])),
        fits.Column(name="EXP", format="E14.6", array=np.array([1.25e-7, -3.5e20, 0, 1, 2.5, -1e-30, 9.0])),
        fits.Column(name="DBL", format="D25.16", array=np.array([1 / 3, -2.5e-300, 1e300, 0.1, -0.0, 2.0, 3.0])),
        fits.Column(name="SCL", format="I5", array=np.array([1, 2, 3, 4, 5, 6, 7])),
    ]
    return fits.TableHDU.from_columns(cols, name="ASCII")


ASCII_CARDS = [("TSCAL7", 0.5), ("TZERO7", 10.0)]


def patch_cards(path, ext, cards):
    for k, v in cards:
        fits.setval(path, k, value=v, ext=ext)


def data_offset(path, ext):
    with fits.open(path) as hdul:
        return hdul.fileinfo(ext)["datLoc"]


def write_generated():
    path = os.path.join(OUT, "all-tforms.fits")
    hdul = fits.HDUList([fits.PrimaryHDU(), alltypes_hdu(), varlen_hdu(), scaled_hdu(), empty_hdu(), ascii_hdu()])
    hdul.writeto(path, overwrite=True)
    patch_cards(path, 3, SCALED_CARDS)
    patch_cards(path, 2, VARLEN_CARDS)
    patch_cards(path, 5, ASCII_CARDS)
    # Undefined logicals: a NUL byte in row 2 of L (column 1) and row 4, element 1 of 3L.
    raw = bytearray(open(path, "rb").read())
    off = data_offset(path, 1)
    with fits.open(path) as hdul:
        naxis1 = hdul[1].header["NAXIS1"]
        l_off = hdul[1].data.dtype.fields["L"][1]
        l3_off = hdul[1].data.dtype.fields["L3"][1]
    raw[off + 2 * naxis1 + l_off] = 0
    raw[off + 4 * naxis1 + l3_off + 1] = 0
    # ASCII table: a blank COUNT field in row 5 (0-based), and a D exponent is already in DBL.
    aoff = data_offset(path, 5)
    with fits.open(path) as hdul:
        a1 = hdul[5].header["NAXIS1"]
        tb = hdul[5].header["TBCOL2"] - 1
    raw[aoff + 5 * a1 + tb: aoff + 5 * a1 + tb + 6] = b"      "
    open(path, "wb").write(bytes(raw))
    return path


def generated_fixtures(path):
    out = {"file": "all-tforms.fits", "hdus": []}
    with fits.open(path) as hdul:
        # HDU 1: every fixed TFORM. Undefined logicals are -1 in skystack (astropy: False).
        h = hdul[1]
        null_rows = {0: [2], 1: [4 * 3 + 1]}

        def logical(i):
            def f(col):
                a = np.asarray(h.data.field(i)).astype("i1")
                flat = a.reshape(-1)
                for k in null_rows[i]:
                    flat[k] = -1
                return describe_fixed(col, a.reshape(h.data.field(i).shape), ["undefined logicals (NUL bytes) are -1; astropy reads False"])

            return f

        out["hdus"].append(describe_hdu(h, 1, {0: logical(0), 1: logical(1)}))

        # HDU 2: variable-length arrays; PJS has TSCAL/TZERO, which astropy 5.2.1 applies to
        # the first row only, so its expected values are computed from the stored rows.
        h = hdul[2]

        def pjs(col):
            rows = [np.array(r, dtype="f8") * 2.0 + 1.0 for r in VAR_ROWS]
            return describe_var(col, rows, False, "f8", ["TSCAL/TZERO applied with numpy to the stored rows (astropy 5.2.1 scales only the first row)"])

        out["hdus"].append(describe_hdu(h, 2, {8: pjs}))

        # HDU 3: scaling conventions.
        h = hdul[3]
        stored = np.frombuffer(open(path, "rb").read(), dtype=h.data.dtype, count=h.header["NAXIS2"], offset=data_offset(path, 3))

        def b_i8(col):
            a = np.asarray(h.data.field(0)).astype("i1")  # astropy 5.2.1 gives float64 -128..127
            return describe_fixed(col, a, ["B with TZERO=-128 is int8 (astropy 5.2.1 reads float64)"])

        def with_nan(i, null):
            def f(col):
                a = np.array(h.data.field(i), dtype="f8")
                a[stored[h.columns[i].name] == null] = np.nan
                return describe_fixed(col, a, ["stored TNULL values are NaN (astropy 5.2.1 scales them)"])

            return f

        def k_scaled(col):
            a = stored["K_SCALED"].astype("f8") * 3.0
            return describe_fixed(col, a, ["computed with numpy from the stored values"])

        out["hdus"].append(describe_hdu(h, 3, {0: b_i8, 4: with_nan(4, -999), 7: k_scaled}))

        out["hdus"].append(describe_hdu(hdul[4], 4))

        # HDU 5: ASCII table. skystack reads TNULL fields as NaN (astropy: 0) and the blank
        # field as 0 (as astropy); an I column with a null is then float64.
        h = hdul[5]

        def count(col):
            a = np.array(h.data.field(1), dtype="f8")
            a[4] = np.nan
            return describe_fixed(col, a, ["the TNULL field (row 4) is NaN (astropy: 0), so the column is float64"])

        def big(col):
            return describe_fixed(col, np.array(h.data.field(2), dtype="f8"), ["I12 with a value beyond 32 bits is float64 (astropy: int64)"])

        def name(col):
            a = np.array([str(x).rstrip() for x in h.data.field(0)])
            return describe_fixed(col, a, ["trailing blanks removed (astropy keeps them in ASCII tables)"])

        out["hdus"].append(describe_hdu(h, 5, {0: name, 1: count, 2: big}))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    real = real_fixtures()
    with open(os.path.join(OUT, "real-tables.json"), "w") as f:
        json.dump(real, f, separators=(",", ":"))
        f.write("\n")
    path = write_generated()
    gen = generated_fixtures(path)
    with open(os.path.join(OUT, "all-tforms.json"), "w") as f:
        json.dump(gen, f, indent=1)
        f.write("\n")
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
