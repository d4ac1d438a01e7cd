// One benchmark in its own process: `child.ts prepare|run NAME WORKDIR RUNS`.
import { spawnSync } from "node:child_process";
import { BENCHMARKS, type BenchResult } from "./benchmarks.js";

const [mode, name, workDir, runsText] = process.argv.slice(2) as [string, string, string, string];
const bench = BENCHMARKS.find((b) => b.name === name);
if (!bench) throw new Error(`unknown benchmark ${name}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

if (mode === "prepare") {
  await bench.prepare(workDir);
} else {
  const runs = Number(runsText);
  const ctx = await bench.inputs(workDir);
  await bench.run(ctx); // warm-up (JIT, page cache)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await bench.run(ctx);
    times.push(performance.now() - t0);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  let peer: string | null = null;
  let peerMedian: number | null = null;
  const cmd = bench.peer?.(ctx);
  if (cmd?.selfTimed) {
    const r = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const last = r.status === 0 ? r.stdout.trim().split("\n").pop() : undefined;
    if (last) {
      peer = cmd.name;
      peerMedian = (JSON.parse(last) as { median_ms: number }).median_ms;
    }
  } else if (cmd) {
    const probe = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), { stdio: "ignore" });
    if (probe.status === 0) {
      const peerTimes: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        spawnSync(cmd.argv[0]!, cmd.argv.slice(1), { stdio: "ignore" });
        peerTimes.push(performance.now() - t0);
      }
      peer = cmd.name;
      peerMedian = median(peerTimes);
    }
  }
  const result: BenchResult = {
    bench: bench.name,
    backend: bench.backend,
    threads: bench.threads ?? 1,
    median_ms: median(times),
    peak_mb: peakMb,
    peer,
    peer_median_ms: peerMedian,
    runs,
    note: bench.note,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
