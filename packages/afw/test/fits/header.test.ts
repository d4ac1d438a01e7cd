import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FitsError, FitsFile, formatFitsFloat, Header, parseCard } from "../../src/index.js";

const pad = (s: string): string => s.padEnd(80);
const headerBytes = (cards: string[]): Uint8Array => {
  const text = [...cards, "END"].map(pad).join("");
  const n = Math.ceil(text.length / 2880) * 2880;
  const out = new Uint8Array(n).fill(0x20);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
};

describe("card parsing", () => {
  it("reads every value type", () => {
    expect(parseCard(pad("SIMPLE  =                    T / conforms")).value).toBe(true);
    expect(parseCard(pad("FLAG    =                    F")).value).toBe(false);
    expect(parseCard(pad("NAXIS1  =                 2048 / length")).value).toBe(2048);
    expect(parseCard(pad("NEG     =                  -17")).value).toBe(-17);
    expect(parseCard(pad("BZERO   =  9223372036854775808")).value).toBe(9223372036854775808n);
    expect(parseCard(pad("EXPTIME =                287.5 / s")).value).toBe(287.5);
    expect(parseCard(pad("SMALL   =           1.25D-03")).value).toBe(1.25e-3);
    expect(parseCard(pad("EXP     =              -1.E+05")).value).toBe(-1e5);
    expect(parseCard(pad("CPLX    = (1.5, -2.0) / complex")).value).toEqual({ re: 1.5, im: -2 });
    expect(parseCard(pad("UNDEF   =                      / nothing")).value).toBe(null);
    const s = parseCard(pad("OBJECT  = 'it''s a  ' / the target"));
    expect(s.value).toBe("it's a");
    expect(s.comment).toBe("the target");
    expect(parseCard(pad("EMPTY   = ''")).value).toBe("");
    expect(parseCard(pad("LEADING = '  x'")).value).toBe("  x");
  });

  it("keeps integers and reals apart", () => {
    expect(parseCard(pad("A       =                    1")).isInteger).toBe(true);
    expect(parseCard(pad("B       =                  1.0")).isInteger).toBe(false);
  });

  it("reads HIERARCH and commentary cards", () => {
    const h = parseCard(pad("HIERARCH ESO DET CHIP NAME = 'CCD-44' / chip"));
    expect(h.keyword).toBe("ESO DET CHIP NAME");
    expect(h.hierarch).toBe(true);
    expect(h.value).toBe("CCD-44");
    const c = parseCard(pad("COMMENT   Amplifier A on the left"));
    expect(c.commentary).toBe(true);
    expect(c.value).toBe("  Amplifier A on the left");
    // A keyword without "= " in columns 9-10 is commentary, as the standard says.
    expect(parseCard(pad("ESO-LOG 000000> 11-MAY-1992 23:51:59")).commentary).toBe(true);
  });

  it("keeps unparsable values without failing until they are asked for", () => {
    const c = parseCard(pad("WEIRD   = 12abc / broken"));
    expect(c.unparsed).toBe("12abc");
    const h = Header.parse(headerBytes(["SIMPLE  =                    T", "WEIRD   = 12abc / broken"])).header;
    expect(() => h.getNumber("WEIRD")).toThrow(FitsError);
  });

  it("rejects non-printable bytes with a typed error naming the card", () => {
    const bytes = headerBytes(["SIMPLE  =                    T", "OBJECT  = 'a'"]);
    bytes[80 + 12] = 0x07;
    try {
      Header.parse(bytes, { file: "x.fits", hdu: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FitsError);
      expect((e as FitsError).code).toBe("BAD_CARD");
      expect((e as FitsError).message).toMatch(/x\.fits: HDU 0: card #2/);
    }
  });
});

describe("Header", () => {
  it("merges CONTINUE long strings and writes them back", () => {
    const long = `${"abcdefghij".repeat(15)}'quoted'`;
    const h = new Header();
    h.set("LONG", long, { comment: "a long comment ".repeat(6).trim() });
    const images = h.toCardImages();
    expect(images.length).toBeGreaterThan(3);
    expect(images.some((c) => c.startsWith("CONTINUE  '"))).toBe(true);
    expect(images.some((c) => c.startsWith("LONGSTRN= 'OGIP 1.0'"))).toBe(true);
    const back = Header.parse(h.toBytes()).header;
    expect(back.get("LONG")).toBe(long);
    expect(back.comment("LONG")).toBe("a long comment ".repeat(6).trim());
  });

  it("typed accessors name file, HDU and keyword", () => {
    const h = Header.parse(headerBytes(["SIMPLE  =                    T", "NAXIS   = 'two'"]), { file: "f.fits", hdu: 3 }).header;
    expect(() => h.requireInt("NAXIS")).toThrow(/f\.fits: HDU 3: card NAXIS: expected an integer/);
    expect(() => h.requireInt("BITPIX")).toThrow(/card BITPIX: required keyword is missing/);
    expect(h.getInt("BITPIX")).toBeUndefined();
  });

  it("sets, inserts and removes cards keeping order and comments", () => {
    const h = Header.parse(
      headerBytes(["SIMPLE  =                    T / std", "BITPIX  =                   16", "OBJECT  = 'M31'   / target"]),
    ).header;
    h.set("OBJECT", "M33");
    expect(h.comment("OBJECT")).toBe("target");
    h.set("EXPTIME", 30, { after: "BITPIX", comment: "s" });
    expect(h.keys()).toEqual(["SIMPLE", "BITPIX", "EXPTIME", "OBJECT"]);
    expect(h.remove("BITPIX")).toBe(1);
    expect(h.keys()).toEqual(["SIMPLE", "EXPTIME", "OBJECT"]);
    h.add("HISTORY", "edited");
    expect(h.history()).toEqual(["edited"]);
  });

  it("formats floats so FITS readers see reals", () => {
    expect(formatFitsFloat(1)).toBe("1.0");
    expect(formatFitsFloat(1.5e-20)).toBe("1.5E-20");
    expect(formatFitsFloat(6.02e23)).toBe("6.02E+23");
    expect(formatFitsFloat(-0)).toBe("-0.0");
    expect(() => formatFitsFloat(Number.NaN)).toThrow(FitsError);
    for (const x of [0.1, 1 / 3, 123456.789, 2 ** -1074, Number.MAX_VALUE]) expect(Number(formatFitsFloat(x))).toBe(x);
  });

  it("rewrites every real header byte for byte", async () => {
    const root = join(import.meta.dirname, "..", "..", "..", "..", "test", "data", "real");
    let checked = 0;
    for (const set of readdirSync(root, { withFileTypes: true })) {
      if (!set.isDirectory()) continue;
      for (const name of readdirSync(join(root, set.name))) {
        if (!name.includes(".fit") || name.endsWith(".gz") || name.endsWith(".bz2") || name.endsWith(".header")) continue;
        const path = join(root, set.name, name);
        const raw = readFileSync(path);
        const f = await FitsFile.open(path);
        for (const h of await f.hdus()) {
          const original = raw.subarray(h.headerOffset, h.dataOffset);
          expect(Buffer.from(h.header.toBytes()).equals(original), `${name} HDU ${h.index}`).toBe(true);
          checked++;
        }
        await f.close();
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
