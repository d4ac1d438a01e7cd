import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { megacamCamera, readElixirDefects, readElixirMaskRaw } from "../src/index.js";
import { REAL } from "./helpers.js";

const MASK = `${REAL}cfht-megacam-obs_cfht/2004B.mask.0.36.01.fits.gz`;
const truth = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/mask-values.json", import.meta.url)), "utf8")) as Record<
  string,
  { shape: number[]; zeros: number; zeros_in_data: number; bad_x_in_row: Record<string, number[]> }
>;

describe("real Elixir bad-pixel mask (706 MB decompressed, streamed one CCD at a time)", () => {
  it.each(["ccd00", "ccd05"])(
    "%s: defect boxes cover exactly the 0 pixels astropy finds",
    async (name) => {
      const t = truth[name]!;
      const { boxes, width, height } = await readElixirMaskRaw(MASK, name);
      expect([width, height]).toEqual([t.shape[1], t.shape[0]]);
      const area = boxes.reduce((s, b) => s + b.area, 0);
      expect(area).toBe(t.zeros);
      for (const [row, xs] of Object.entries(t.bad_x_in_row)) {
        const y = Number(row);
        const got: number[] = [];
        for (const b of boxes) if (b.min.y <= y && y <= b.max.y) for (let x = b.min.x; x <= b.max.x; x++) got.push(x);
        expect(got.sort((a, b) => a - b).slice(0, 50)).toEqual(xs);
      }
      // in the assembled detector only the data-section part remains
      const det = megacamCamera(36).get(name);
      const assembled = await readElixirDefects(MASK, det);
      expect(assembled.reduce((s, b) => s + b.area, 0)).toBe(t.zeros_in_data);
      for (const b of assembled) expect(det.bbox.contains(b)).toBe(true);
    },
    120_000,
  );
  it("a CCD the file does not have is a typed error naming it", async () => {
    await expect(readElixirMaskRaw(MASK, "ccd41")).rejects.toThrow(/no extension ccd41/);
  }, 120_000);
});
