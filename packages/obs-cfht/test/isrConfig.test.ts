import { IsrConfig, isrOptionsFromConfig } from "@skystack/isr";
import { describe, expect, it } from "vitest";
import { isElixirProcessed, megacamFilterLabel, megacamIsrConfigOverrides, megacamIsrOptions } from "../src/index.js";
import { realHeaders } from "./helpers.js";

describe("obs_cfht ISR defaults", () => {
  it("recognises Elixir-processed p frames from their IMRED_OP card (real headers)", () => {
    const p = realHeaders("1257365p");
    const o = realHeaders("1257365o");
    for (let i = 1; i <= 36; i++) {
      expect(isElixirProcessed(p[i]!)).toBe(true);
      expect(isElixirProcessed(o[i]!)).toBe(false);
    }
    expect(String(p[1]!.get("IMRED_OP"))).toContain("OVERSCAN + BIAS + FLAT-FIELD");
  });
  it("p frames skip the steps Elixir did; o frames fringe only in i/z", () => {
    const pOpts = megacamIsrOptions(megacamFilterLabel("i.MP9702"), true);
    expect([pOpts.doOverscan, pOpts.doBias, pOpts.doFlat, pOpts.doFringe]).toEqual([false, false, false, false]);
    expect(megacamIsrOptions(megacamFilterLabel("i.MP9702"), false).doFringe).toBe(true);
    expect(megacamIsrOptions(megacamFilterLabel("z.MP9801"), false).doFringe).toBe(true);
    expect(megacamIsrOptions(megacamFilterLabel("r.MP9601"), false).doFringe).toBe(false);
    expect(megacamIsrOptions(megacamFilterLabel("i.MP9702"), false).fringe?.small).toBe(1);
  });
  it("as IsrTask config overrides: valid, and the same runIsr options as megacamIsrOptions", () => {
    for (const [phys, elixir] of [
      ["i.MP9702", false],
      ["z.MP9801", false],
      ["r.MP9601", false],
      ["i.MP9702", true],
    ] as const) {
      const f = megacamFilterLabel(phys);
      const c = IsrConfig.freeze(IsrConfig.applyData(IsrConfig.defaults(), megacamIsrConfigOverrides(f, elixir), "obs-cfht"));
      expect([phys, elixir, isrOptionsFromConfig(c)]).toMatchObject([phys, elixir, megacamIsrOptions(f, elixir)]);
    }
  });
});
