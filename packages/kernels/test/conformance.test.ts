// One conformance suite, run against every CPU backend: each kernel x edge cases (NaN, masked
// pixels, 1x1 and odd sizes, strides, borders, single rows, huge kernels, empty masks) must match the
// `ts` oracle within FLOAT_TOL (float32 rounding: the oracle accumulates in float64), masks, counts
// and footprints exactly; wasm results must be bit-identical across runs and thread counts. The
// same cases run on webgpu in conformance-webgpu.test.ts.
import { type Backend, createTsBackend, createWasmBackend } from "@skystack/kernels";
import { describe, expect, it } from "vitest";
import { type Case, cases, oracle } from "./cases.js";
import { planesIdentical } from "./helpers.js";

const candidates: [string, () => Promise<Backend | string>][] = [
  ["ts", async () => createTsBackend()],
  ["wasm/1 thread", () => createWasmBackend({ threads: 1 })],
  ["wasm/3 threads", () => createWasmBackend({ threads: 3 })],
];
const started = await Promise.all(
  candidates.map(async ([n, f]) => [n, await f().catch((e: unknown) => `failed to start: ${String(e)}`)] as const),
);

it("the wasm backend starts (it must in CI)", () => {
  const w = started.find(([n]) => n === "wasm/1 thread")![1];
  expect(typeof w === "string" ? w : "ok").toBe("ok");
});

const byKernel = new Map<string, Case[]>();
for (const c of cases) byKernel.set(c.kernel, [...(byKernel.get(c.kernel) ?? []), c]);

for (const [bname, backend] of started) {
  if (typeof backend === "string") continue;
  describe(`backend ${bname}`, () => {
    for (const [kernel, list] of byKernel) {
      it(`${kernel}: ${list.length} cases match the ts oracle${backend.native.has(kernel) ? "" : " (falls back to ts)"}`, async () => {
        const failures: string[] = [];
        for (const [k, c] of list.entries()) {
          const ref = await c.run(oracle, false);
          const inArena = k % 2 === 0;
          let got: unknown;
          try {
            got = await c.run(backend, inArena);
          } catch (e) {
            failures.push(`${c.name}: threw ${String(e)}`);
            continue;
          }
          const d = c.compare(ref, got);
          if (d) failures.push(`${c.name}${inArena ? " (arena input)" : ""}: ${d}`);
        }
        expect(failures).toEqual([]);
      });
    }
  });
}

describe("determinism", () => {
  const w1 = started.find(([n]) => n === "wasm/1 thread")![1];
  const w3 = started.find(([n]) => n === "wasm/3 threads")![1];
  it("wasm results are bit-identical across runs and thread counts (1 vs 3)", async () => {
    if (typeof w1 === "string" || typeof w3 === "string") throw new Error(`wasm unavailable: ${String(w1)}`);
    let checked = 0;
    for (const c of cases) {
      if (!c.planes) continue;
      const a = c.planes(await c.run(w1, true));
      const b = c.planes(await c.run(w1, false));
      const d = c.planes(await c.run(w3, true));
      expect(planesIdentical(a, b), `${c.kernel} ${c.name}: two runs differ`).toBe(true);
      expect(planesIdentical(a, d), `${c.kernel} ${c.name}: 1 vs 3 threads differ`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
  it("ts oracle is deterministic", async () => {
    for (const c of cases.slice(0, 40)) expect(c.compare(await c.run(oracle, false), await c.run(oracle, false))).toBeNull();
  });
});
