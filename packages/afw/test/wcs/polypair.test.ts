// The compiled polynomial pair (new Function) and its fallback when code generation is disallowed
// (browser CSP without 'unsafe-eval', node --disallow-code-generation-from-strings) agree with the
// Horner evaluation of Poly2D, values and gradients.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Poly2D } from "../../src/wcs/poly.js";
import { PolyPair } from "../../src/wcs/polypair.js";

const SCRIPT = `
import { PolyPair } from ${JSON.stringify(join(import.meta.dirname, "../../src/wcs/polypair.ts"))};
import { Poly2D } from ${JSON.stringify(join(import.meta.dirname, "../../src/wcs/poly.ts"))};
const a = new Poly2D(3, Float64Array.from({ length: 16 }, (_, i) => (i + 1) * 1e-3), Float64Array.of(0.1, 0.01, 0.001, 1e-4));
const b = new Poly2D(3, Float64Array.from({ length: 16 }, (_, i) => (i - 4) * 2e-3));
const pp = new PolyPair(a, b);
const o = new Float64Array(6);
const out = [];
for (const [x, y] of [[0.3, -0.7], [0, 0], [-1.5, 2.25]]) { pp.evalDeriv(x, y, o); out.push(...o); }
console.log(JSON.stringify({ interpreted: pp.eval.toString().includes("evalTerms"), out }));
`;

function run(flags: string[]): { interpreted: boolean; out: number[] } {
  const r = spawnSync(
    process.execPath,
    [...flags, "--conditions=source", "--import", "tsx", "--input-type=module", "-e", SCRIPT],
    {
      encoding: "utf8",
      cwd: join(import.meta.dirname, "../../../.."),
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { interpreted: boolean; out: number[] };
}

describe("PolyPair", () => {
  it("compiled and fallback evaluations agree with Poly2D (values and gradients)", () => {
    const a = new Poly2D(
      3,
      Float64Array.from({ length: 16 }, (_, i) => (i + 1) * 1e-3),
      Float64Array.of(0.1, 0.01, 0.001, 1e-4),
    );
    const b = new Poly2D(
      3,
      Float64Array.from({ length: 16 }, (_, i) => (i - 4) * 2e-3),
    );
    const o = new Float64Array(6);
    const pp = new PolyPair(a, b);
    const expected: number[] = [];
    for (const [x, y] of [
      [0.3, -0.7],
      [0, 0],
      [-1.5, 2.25],
    ] as const) {
      pp.evalDeriv(x, y, o);
      expected.push(...o);
      const h = 1e-6;
      // values against Poly2D, gradients against central differences of Poly2D
      const r = Math.hypot(x, y);
      const rad = (p: Poly2D, xx: number, yy: number) => p.eval(xx, yy);
      expect(o[0]).toBeCloseTo(rad(a, x, y), 12);
      expect(o[3]).toBeCloseTo(rad(b, x, y), 12);
      if (r > 0) {
        expect(o[1]).toBeCloseTo((rad(a, x + h, y) - rad(a, x - h, y)) / (2 * h), 6);
        expect(o[2]).toBeCloseTo((rad(a, x, y + h) - rad(a, x, y - h)) / (2 * h), 6);
      }
      expect(o[4]).toBeCloseTo((rad(b, x + h, y) - rad(b, x - h, y)) / (2 * h), 6);
    }
    const compiled = run([]);
    const fallback = run(["--disallow-code-generation-from-strings"]);
    expect(compiled.interpreted).toBe(false);
    expect(fallback.interpreted).toBe(true);
    for (let i = 0; i < expected.length; i++) {
      expect(compiled.out[i]).toBe(expected[i]);
      expect(fallback.out[i]).toBeCloseTo(expected[i]!, 13);
    }
  });
});
