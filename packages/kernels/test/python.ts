// Runs a Python snippet (numpy/scipy) as an independent implementation for cross-checks.
import { spawnSync } from "node:child_process";

function probe(py: string, mods: string): boolean {
  return spawnSync(py, ["-c", `import ${mods}`], { stdio: "ignore" }).status === 0;
}

/** A Python with the modules, or null (tests then skip with this reason). */
export function findPython(mods: string): string | null {
  for (const py of ["/usr/bin/python3", "python3"]) if (probe(py, mods)) return py;
  return null;
}

/** Runs `code` with JSON `input` bound to the variable `inp`; the code must set `out`. */
export function runPython(py: string, code: string, input: unknown): unknown {
  const script = `import json, sys\nimport numpy as np\ninp = json.loads(sys.stdin.read())\n${code}\nprint(json.dumps(out))\n`;
  const r = spawnSync(py, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
