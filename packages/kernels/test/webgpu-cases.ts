// Runs the conformance cases on the webgpu backend in its own process (Dawn on lavapipe can crash
// the process; see README "WebGPU on lavapipe"). Prints one JSON line:
// {"status": "ok"|"unavailable", "reason"?, "failures": {kernel: [..]}, "checked": {kernel: n}}.
import { createWebGpuBackend } from "@skystack/kernels";
import { cases, runCases } from "./cases.js";

const b = await createWebGpuBackend();
// SKYSTACK_WEBGPU_EXPERIMENTAL=1 also checks resampling and stacking.
if (typeof b === "string") {
  process.stdout.write(`${JSON.stringify({ status: "unavailable", reason: b })}\n`);
} else {
  const only = process.env.SKYSTACK_CASES;
  const res = await runCases(b, (c) => b.native.has(c.kernel) && (!only || c.kernel === only));
  const checked: Record<string, number> = {};
  for (const c of cases) if (b.native.has(c.kernel)) checked[c.kernel] = (checked[c.kernel] ?? 0) + 1;
  process.stdout.write(`${JSON.stringify({ status: "ok", failures: Object.fromEntries(res), checked })}\n`);
}
