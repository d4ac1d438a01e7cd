/**
 * Starting Node workers (threads or processes) on a module that may be TypeScript source: when
 * skystack runs from source (tests, `scripts/skystack-dev.ts`), `.ts` entry points are loaded
 * through tsx with the "source" export condition; from the build, plain Node runs the `.js` files.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** True when this module itself runs from TypeScript source. */
export const FROM_SOURCE = import.meta.url.endsWith(".ts");

/** URL of a sibling module of this package by base name (".ts" from source, ".js" when built). */
export function moduleUrl(relative: string): URL {
  return new URL(`${relative}${FROM_SOURCE ? ".ts" : ".js"}`, import.meta.url);
}

function tsxUrl(spec: string): string {
  const req = createRequire(import.meta.url);
  // require.resolve gives the CommonJS build; the ESM one sits beside it as .mjs.
  return pathToFileURL(req.resolve(spec).replace(/\.cjs$/, ".mjs")).href;
}

/** Node arguments (before the script) needed to run `entry` in a child process. */
export function nodeArgsFor(entry: string | URL): string[] {
  const path = typeof entry === "string" ? entry : fileURLToPath(entry);
  if (!path.endsWith(".ts")) return [];
  return ["--conditions=source", "--import", tsxUrl("tsx")];
}

/** Starts a worker thread on `entry` (a .ts file is loaded through tsx). */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, options);
  const code = `import(${JSON.stringify(tsxUrl("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true, execArgv: [...(options.execArgv ?? []), "--conditions=source"] });
}
