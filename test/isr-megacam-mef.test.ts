// A complete simulated 36-CCD MegaCam raw MEF (bias exposure, to keep it quick): primary + 36
// RICE_1 extensions in CCD order, each header's section/electrical cards equal to the real raw
// 1257365o's, fitsverify-clean, and the formatter reads the last CCD by scanning headers only.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile, openByteSource } from "@skystack/afw";
import { megacamCamera, parseHeaderText, readMegacamRaw, simulateMegacamRaw } from "@skystack/obs-cfht";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitsverify, HAVE_FITSVERIFY } from "./helpers/tools.js";

const dir = mkdtempSync(join(tmpdir(), "megacam-mef-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RAW = join(dir, "2100000o.fits.fz");

beforeAll(async () => {
  await simulateMegacamRaw(RAW, {
    camera: megacamCamera(36),
    bias: true,
    instrument: { fringes: false },
    visit: { expnum: 2100000, filter: "filter_name", exptime: 0, darktime: 0, mjdObs: 55503.1, ra: 0, dec: 0, obstype: "BIAS" },
  });
}, 300_000);

describe("36-CCD simulated raw MEF", () => {
  const real = parseHeaderText(
    readFileSync(new URL("./data/real/cfht-megacam-headers/1257365o.fits.header", import.meta.url), "latin1"),
  );
  it("has the real structure and cards", async () => {
    const f = await FitsFile.open(RAW);
    const hdus = await f.hdus();
    await f.close();
    expect(hdus.length).toBe(37);
    expect(hdus[0]!.header.get("NEXTEND")).toBe(36);
    for (let i = 1; i <= 36; i++) {
      const h = hdus[i]!.header;
      expect(hdus[i]!.type).toBe("compressed-image");
      expect([h.get("EXTNAME"), h.get("ZCMPTYPE"), h.get("ZTILE1"), h.get("ZTILE2"), h.get("BZERO")]).toEqual([
        `ccd${String(i - 1).padStart(2, "0")}`,
        "RICE_1",
        2112,
        1,
        32768,
      ]);
      for (const k of [
        "DETSEC",
        "DETSECA",
        "DETSECB",
        "DATASEC",
        "BSECA",
        "BSECB",
        "DSECA",
        "DSECB",
        "CSECA",
        "CSECB",
        "GAINA",
        "GAINB",
        "RDNOISEA",
        "RDNOISEB",
        "CCDNAME",
      ]) {
        expect([i, k, h.get(k)]).toEqual([i, k, real[i]!.get(k)]);
      }
    }
  });
  it.skipIf(!HAVE_FITSVERIFY)("passes fitsverify", () => {
    const v = fitsverify(RAW);
    expect(v.errors, v.report).toBe(0);
  });
  it("reads ccd35 decoding only its extension; a bias reads as the bias level + read noise", async () => {
    const src = await openByteSource(RAW);
    let bytes = 0;
    const counting = {
      name: src.name,
      size: src.size,
      compression: src.compression,
      read: async (o: number, n: number) => {
        bytes += n;
        return src.read(o, n);
      },
      close: () => src.close(),
    };
    const f = await FitsFile.fromSource(counting);
    const raw = await readMegacamRaw(f, 35);
    await f.close();
    expect(bytes).toBeLessThan(0.1 * statSync(RAW).size);
    expect(raw.visitInfo!.observationType).toBe("bias");
    // overscan of amp A: bias level 1000 + 11·(35 mod 7) ADU (sim default) with a 6 ADU drift; noise = 4 e⁻ / 1.62
    const os = raw.amplifierImages.get("A")!.raw.subimage(raw.detector.amplifier("A").rawHorizontalOverscanBBox);
    let s = 0;
    let s2 = 0;
    let n = 0;
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 32; x++) {
        const v = os.get(x, y);
        s += v;
        s2 += v * v;
        n++;
      }
    const mean = s / n;
    expect(Math.abs(mean - 1000)).toBeLessThan(1);
    expect(Math.abs(Math.sqrt(s2 / n - mean * mean) / Math.sqrt(4 ** 2 / 1.62 ** 2 + 1 / 12) - 1)).toBeLessThan(0.05);
  });
});
