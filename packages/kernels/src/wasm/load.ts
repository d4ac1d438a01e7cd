/** Loads build/kernels.wasm (made by `npm run build:wasm`) in Node or a browser. */

/** URL of the compiled kernels next to this package. */
export const WASM_URL = new URL("../../build/kernels.wasm", import.meta.url);

/** The module's bytes. */
export async function loadWasmBytes(): Promise<Uint8Array> {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node && WASM_URL.protocol === "file:") {
    const { readFile } = await import("node:fs/promises");
    return readFile(WASM_URL);
  }
  const r = await fetch(WASM_URL);
  if (!r.ok) throw new Error(`${WASM_URL.href}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
