// `skystack wcs pix2sky|sky2pix` (DESIGN.md CLI contract) run as a user would, against wcslib values
// (packages/afw/test/wcs/fixtures/wcs-real.json, from test/fixtures-gen/wcs/gen_wcs_fixtures.py).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const real = join(root, "test", "data", "real");

function skystack(input: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "scripts", "skystack-dev.ts"), ...args],
    {
      encoding: "utf8",
      cwd: root,
      input,
    },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Case {
  name: string;
  file: string;
  hdu: number;
  x: number[];
  y: number[];
  ra: number[];
  dec: number[];
}
const fixture = JSON.parse(readFileSync(join(root, "packages", "afw", "test", "wcs", "fixtures", "wcs-real.json"), "utf8")) as {
  cases: Case[];
};

describe("skystack wcs", () => {
  for (const name of [
    "decam-cp-legacypipe/c4d_130105_065255_ooi_r_a1-N15.fits.fz",
    "cfht-megacam-ossos/cutout-1616687p.fits",
    "wcs-galsim/sipsample.fits",
  ]) {
    it(`pix2sky ${name} agrees with wcslib and sky2pix inverts it`, () => {
      const c = fixture.cases.find((k) => k.name === name)!;
      const input = c.x.map((x, i) => `${x} ${c.y[i]}`).join("\n");
      const r = skystack(`${input}\n`, "wcs", "pix2sky", join(real, c.file), "--hdu", String(c.hdu));
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(c.x.length);
      lines.forEach((line, i) => {
        const [ra, dec] = line.split(" ");
        // full double precision: 17 significant digits
        expect(ra!.replace(/^-/, "").replace(".", "").replace(/^0+/, "")).toHaveLength(17);
        const dra = (Number(ra) - c.ra[i]!) * Math.cos((c.dec[i]! * Math.PI) / 180);
        expect(Math.hypot(dra, Number(dec) - c.dec[i]!)).toBeLessThan(1e-10);
      });
      const back = skystack(r.stdout, "wcs", "sky2pix", join(real, c.file));
      expect(back.status, back.stderr).toBe(0);
      back.stdout
        .trim()
        .split("\n")
        .forEach((line, i) => {
          const [x, y] = line.split(" ").map(Number);
          expect(Math.abs(x! - c.x[i]!)).toBeLessThan(1e-8);
          expect(Math.abs(y! - c.y[i]!)).toBeLessThan(1e-8);
        });
    });
  }

  it("--tan-pv ignore reads MegaCam TAN+PV as plain TAN, which differs by a fraction of an arcsec", () => {
    const file = join(real, "cfht-megacam-ossos", "cutout-1616687p.fits");
    const a = skystack("100 100\n", "wcs", "pix2sky", file).stdout.split(" ").map(Number);
    const b = skystack("100 100\n", "wcs", "pix2sky", file, "--tan-pv", "ignore").stdout.split(" ").map(Number);
    expect(Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!)).toBeGreaterThan(1e-5);
  });

  it("sky2pix reports positions it cannot invert, on stderr, with exit 1", () => {
    const r = skystack("10 10\n", "wcs", "sky2pix", join(real, "wcs-galsim", "tpv.fits"));
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe("nan nan");
    expect(r.stderr).toMatch(/line 1/);
  });

  it("bad input names the line; a file without WCS names the file", () => {
    const r = skystack("1 2\nfoo bar\n", "wcs", "pix2sky", join(real, "wcs-galsim", "tpv.fits"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
    const n = skystack("1 2\n", "wcs", "pix2sky", join(real, "sep-sextractor", "image.fits"));
    expect(n.status).toBe(1);
    expect(n.stderr).toMatch(/image\.fits/);
    expect(skystack("", "wcs", "--help").status).toBe(0);
  });
});
