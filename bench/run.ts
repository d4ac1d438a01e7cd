// `npm run bench [-- --json] [-- --filter NAME] [-- --runs N] [-- --out FILE]`
// (`npm run -s bench -- --json` keeps npm's banner off stdout; --out appends the JSON lines to FILE.)
//
// Runs each benchmark in a fresh child process (so its peak memory is its own), next to the peer
// tool on the same input in the same run. With --json, prints one JSON object per line:
// {"bench", "backend", "threads", "median_ms", "peak_mb", "peer", "peer_median_ms", ...}.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCHMARKS, type BenchResult } from "./benchmarks.js";

const { values } = parseArgs({
  options: { json: { type: "boolean" }, filter: { type: "string" }, runs: { type: "string" }, out: { type: "string" } },
  allowPositionals: true,
});
const runs = Math.max(1, Number(values.runs ?? 5));
const workDir = join(import.meta.dirname, ".work");
mkdirSync(workDir, { recursive: true });

const selected = BENCHMARKS.filter((b) => !values.filter || b.name.includes(values.filter));
if (selected.length === 0) {
  process.stderr.write(`no benchmark matches ${values.filter}; have: ${BENCHMARKS.map((b) => b.name).join(", ")}\n`);
  process.exit(2);
}

for (const b of selected) {
  process.stderr.write(`bench ${b.name}: preparing...\n`);
  const childArgs = (mode: string): string[] => [
    "--conditions=source",
    "--import",
    "tsx",
    join(import.meta.dirname, "child.ts"),
    mode,
    b.name,
    workDir,
    String(runs),
  ];
  // Inputs are made in one process, the timed runs happen in another so peak memory is theirs alone.
  const prep = spawnSync(process.execPath, childArgs("prepare"), { stdio: ["ignore", "inherit", "inherit"] });
  if (prep.status !== 0) {
    process.stderr.write(`bench ${b.name}: preparation failed (exit ${prep.status})\n`);
    process.exitCode = 1;
    continue;
  }
  const child = spawnSync(process.execPath, childArgs("run"), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) {
    process.stderr.write(`bench ${b.name} failed (exit ${child.status})\n`);
    process.exitCode = 1;
    continue;
  }
  const result = JSON.parse(child.stdout.trim().split("\n").pop()!) as BenchResult;
  if (values.out) appendFileSync(values.out, `${JSON.stringify(result)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const ratio = result.peer_median_ms ? ` (${(result.peer_median_ms / result.median_ms).toFixed(2)}x ${result.peer})` : "";
    process.stdout.write(
      `${b.name.padEnd(34)} ${result.backend}/${result.threads}t  ${result.median_ms.toFixed(1).padStart(8)} ms  peak ${result.peak_mb.toFixed(0).padStart(5)} MB  ` +
        `${result.peer ? `${result.peer} ${result.peer_median_ms?.toFixed(1)} ms${ratio}` : "no peer"}\n`,
    );
  }
}
