import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defineConfig,
  field,
  type LogRecord,
  memorySink,
  type ProgressEvent,
  Task,
  TaskCancelledError,
} from "../src/index.js";

const SmoothConfig = defineConfig("SmoothConfig", { width: field.int({ doc: "Box width", default: 3, units: "pixel", min: 1 }) });
class SmoothTask extends Task<typeof SmoothConfig> {
  static readonly ConfigSchema = SmoothConfig;
  static readonly defaultName = "smooth";
  /** Box-car mean of `xs` (analytic truth easy to check). */
  run(xs: number[]): Promise<number[]> {
    return this.timed("run", () => {
      const w = this.config.width;
      const out: number[] = [];
      for (let i = 0; i + w <= xs.length; i++) {
        this.checkCancelled();
        let s = 0;
        for (let k = 0; k < w; k++) s += xs[i + k]!;
        out.push(s / w);
        this.progress(i + 1, xs.length - w + 1, "windows");
      }
      this.log.info("smoothed", { n: out.length });
      return out;
    });
  }
}

const MedianConfig = defineConfig("MedianConfig", { half: field.int({ doc: "Half width", default: 1, min: 0 }) });
class MedianTask extends Task<typeof MedianConfig> {
  static readonly ConfigSchema = MedianConfig;
  static readonly defaultName = "median";
  async run(xs: number[]): Promise<number[]> {
    const h = this.config.half;
    return xs.slice(h, xs.length - h).map((_, i) => [...xs.slice(i, i + 2 * h + 1)].sort((a, b) => a - b)[h]!);
  }
}

const OuterConfig = defineConfig("OuterConfig", {
  smooth: field.subtask(SmoothTask, { doc: "Smoothing step" }),
  filter: field.registry(
    { smooth: { config: SmoothConfig, target: SmoothTask }, median: { config: MedianConfig, target: MedianTask } },
    { doc: "Filter", default: "median" },
  ),
  burnCpu: field.int({ doc: "Busy-loop iterations", default: 0, min: 0 }),
});
class OuterTask extends Task<typeof OuterConfig> {
  static readonly ConfigSchema = OuterConfig;
  static readonly defaultName = "outer";
  readonly smooth = this.makeSubtask<SmoothTask>("smooth");
  readonly filter = this.makeSubtask<SmoothTask | MedianTask>("filter");
  run(xs: number[]): Promise<{ smoothed: number[]; filtered: number[] }> {
    return this.timed("run", async () => {
      let acc = 0;
      for (let i = 0; i < this.config.burnCpu; i++) acc += Math.sqrt(i);
      this.metadata.acc = acc;
      return { smoothed: await this.smooth.run(xs), filtered: await this.filter.run(xs) };
    });
  }
}

describe("Task", () => {
  it("builds subtasks from subtask and registry fields with hierarchical names", async () => {
    const records: LogRecord[] = [];
    const t = new OuterTask({ config: OuterConfig.make({ smooth: { width: 2 } }), log: memorySink(records) });
    expect(t.smooth.fullName).toBe("outer.smooth");
    expect(t.filter).toBeInstanceOf(MedianTask);
    const r = await t.run([1, 5, 2, 8, 3]);
    expect(r.smoothed).toEqual([3, 3.5, 5, 5.5]);
    expect(r.filtered).toEqual([2, 5, 3]);
    expect(records).toEqual([
      expect.objectContaining({ level: "info", task: "outer.smooth", message: "smoothed", fields: { n: 4 } }),
    ]);

    const t2 = new OuterTask({ config: OuterConfig.make({ filter: { name: "smooth", smooth: { width: 5 } } }), log: () => {} });
    expect(t2.filter).toBeInstanceOf(SmoothTask);
    expect(await t2.run([1, 2, 3, 4, 5])).toMatchObject({ filtered: [3] });
  });

  it("records timing and memory metadata per method, for the task and its subtasks", async () => {
    const t = new OuterTask({ config: OuterConfig.make({ burnCpu: 3_000_000 }), log: () => {} });
    const before = Date.now();
    await t.run([1, 2, 3, 4]);
    const md = t.fullMetadata();
    expect(Object.keys(md).sort()).toEqual(["outer", "outer.filter", "outer.smooth"]);
    const m = md.outer!;
    expect(Date.parse(m.runStartUtc as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(m.runEndUtc as string)).toBeGreaterThanOrEqual(Date.parse(m.runStartUtc as string));
    expect(m.runEndCpuTime as number).toBeGreaterThan(m.runStartCpuTime as number);
    expect(m.runDuration as number).toBeGreaterThan(0);
    expect(m.runEndMaxResidentSetSize as number).toBeGreaterThan(1e6);
    expect(md["outer.smooth"]!.runDuration).toBeTypeOf("number");
    // the smooth subtask ran inside outer.run
    expect(md["outer.smooth"]!.runDuration as number).toBeLessThanOrEqual(m.runDuration as number);
  });

  it("validates its config at construction, naming the task path", () => {
    const bad = OuterConfig.defaults();
    bad.smooth.width = 0;
    expect(() => new OuterTask({ config: bad })).toThrow(ConfigError);
    expect(() => new OuterTask({ config: bad })).toThrow(/outer.smooth.width = 0: must be >= 1 \(from task outer\)/);
  });

  it("emits progress events and stops when cancelled", async () => {
    const events: ProgressEvent[] = [];
    const ac = new AbortController();
    const t = new SmoothTask({
      signal: ac.signal,
      log: () => {},
      onProgress: (e) => {
        events.push(e);
        if (e.done === 3) ac.abort();
      },
    });
    await expect(t.run([1, 2, 3, 4, 5, 6, 7, 8])).rejects.toBeInstanceOf(TaskCancelledError);
    expect(events.map((e) => [e.done, e.total, e.label])).toEqual([
      [1, 6, "windows"],
      [2, 6, "windows"],
      [3, 6, "windows"],
    ]);
    expect(t.metadata.runEndUtc).toBeTypeOf("string");
  });
});
