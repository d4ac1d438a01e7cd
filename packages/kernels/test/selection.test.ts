// Backend registry: priorities, SKYSTACK_BACKEND, setBackend, and typed errors for bad arguments.
import {
  BACKEND_PRIORITY,
  createTsBackend,
  getBackend,
  KernelError,
  makePlanes,
  registeredBackends,
  setBackend,
  tryBackend,
} from "@skystack/kernels";
import { afterEach, describe, expect, it } from "vitest";

afterEach(() => {
  setBackend(null);
  delete process.env.SKYSTACK_BACKEND;
});

describe("backend selection", () => {
  it("lists the built-in backends by priority and picks wasm automatically here", async () => {
    expect(registeredBackends()).toEqual(["wasm", "ts", "webgpu"]);
    expect(BACKEND_PRIORITY.wasm).toBeGreaterThan(BACKEND_PRIORITY.ts);
    const w = await tryBackend("wasm");
    expect(typeof w === "string" ? w : w.name).toBe("wasm");
    expect((await getBackend()).name).toBe("wasm");
  });

  it("SKYSTACK_BACKEND overrides, setBackend overrides the environment", async () => {
    process.env.SKYSTACK_BACKEND = "ts";
    expect((await getBackend()).name).toBe("ts");
    setBackend("wasm");
    expect((await getBackend()).name).toBe("wasm");
  });

  it("unknown names are typed errors naming the setting", async () => {
    process.env.SKYSTACK_BACKEND = "cuda";
    await expect(getBackend()).rejects.toThrow(/SKYSTACK_BACKEND: unknown backend "cuda"/);
    expect(() => setBackend("nope" as never)).toThrow(KernelError);
  });
});

describe("argument errors name the field", () => {
  const ts = createTsBackend();
  it("rejects bad geometry, kernels and options", async () => {
    const p = makePlanes(4, 3);
    await expect(ts.convolveSeparable({ ...p, stride: 2 }, [1], [1])).rejects.toMatchObject({ field: "src.stride" });
    await expect(ts.convolveSeparable(p, [], [1])).rejects.toMatchObject({ field: "kx" });
    await expect(ts.convolveSeparable(p, [1, -1], [1])).rejects.toMatchObject({ field: "kx" });
    await expect(ts.statistics(p, { box: { x0: 2, y0: 0, width: 5, height: 1 } })).rejects.toMatchObject({ field: "region.box" });
    await expect(ts.statistics(p, undefined, { numIter: 0 })).rejects.toMatchObject({ field: "numIter" });
    await expect(ts.stack([p, makePlanes(5, 3)])).rejects.toMatchObject({ field: "inputs[1]" });
    await expect(ts.stack([p], { weights: [0] })).rejects.toMatchObject({ field: "weights" });
    await expect(
      ts.resample(p, { kind: "coords", width: 2, height: 2, x: new Float64Array(3), y: new Float64Array(4) }),
    ).rejects.toMatchObject({ field: "grid.x/y" });
    await expect(ts.histogram(p, { nbins: 0, min: 0, max: 1 })).rejects.toMatchObject({ field: "nbins" });
    await expect(ts.detect(p, { threshold: Number.NaN })).rejects.toMatchObject({ field: "threshold" });
  });
});
