// The conformance cases on the webgpu backend (software Vulkan in CI: Mesa lavapipe). Each attempt
// runs in its own process (test/webgpu-cases.ts) because Dawn on lavapipe has crashed processes
// (README, "WebGPU"); a crashed attempt is retried twice and reported, never counted as a pass.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

interface Outcome {
  status: "ok" | "unavailable";
  reason?: string;
  failures?: Record<string, string[]>;
  checked?: Record<string, number>;
}

function attempt(env: Record<string, string>): { outcome: Outcome | null; why: string } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(import.meta.dirname, "webgpu-cases.ts")],
    {
      encoding: "utf8",
      timeout: 180_000,
      env: { ...process.env, ...env },
    },
  );
  const last = r.stdout?.trim().split("\n").pop();
  if (r.status === 0 && last) return { outcome: JSON.parse(last) as Outcome, why: "" };
  const err = (r.stderr ?? "")
    .split("\n")
    .filter((l) => l && !l.startsWith("Warning:"))
    .slice(-2)
    .join(" | ");
  return { outcome: null, why: `exit ${r.status ?? "-"} signal ${r.signal ?? "-"}: ${err}` };
}

const crashes: string[] = [];
let outcome: Outcome | null = null;
for (let i = 0; i < 3 && !outcome; i++) {
  const a = attempt({});
  outcome = a.outcome;
  if (!outcome) crashes.push(a.why);
}

if (outcome?.status === "unavailable") {
  it.skip(`webgpu unavailable here: ${outcome.reason}`, () => {});
} else {
  it(`webgpu native kernels match the ts oracle (crashed attempts: ${crashes.length})`, () => {
    expect(outcome, `every attempt crashed: ${crashes.join(" ; ")}`).not.toBeNull();
    for (const [kernel, f] of Object.entries(outcome!.failures ?? {})) expect(f, kernel).toEqual([]);
    expect(outcome!.checked?.convolveSeparable ?? 0).toBeGreaterThan(50);
  });
}
