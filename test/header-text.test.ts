// CADC header dumps (80-character cards, one per line) parsed by skystack and by astropy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FitsError, parseHeaderText } from "@skystack/afw";
import { describe, expect, it } from "vitest";

const dir = join(import.meta.dirname, "data", "real", "cfht-megacam-headers");
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "header-text.json"), "utf8")) as Record<
  string,
  Record<string, unknown>[]
>;

describe("parseHeaderText", () => {
  for (const [name, hdus] of Object.entries(fixture)) {
    it(`${name}: same HDUs, cards and values as astropy`, () => {
      const headers = parseHeaderText(readFileSync(join(dir, name), "latin1"), name);
      expect(headers).toHaveLength(hdus.length);
      hdus.forEach((want, i) => {
        const h = headers[i]!;
        expect(h.cards.length, `HDU ${i} card count`).toBe(want.ncards);
        for (const [k, v] of Object.entries(want)) if (k !== "ncards") expect(h.get(k), `HDU ${i} ${k}`).toEqual(v);
      });
    });
  }
  it("names the line of a malformed dump", () => {
    expect(() => parseHeaderText(`SIMPLE  =                    T\n${"X".repeat(81)}\n`, "bad.header")).toThrow(
      /bad\.header: HDU 0: line 2 is 81 characters/,
    );
    expect(() => parseHeaderText("SIMPLE  =                    T\n", "noend.header")).toThrow(FitsError);
  });
});
