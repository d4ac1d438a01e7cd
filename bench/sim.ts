// Shared helpers for benchmarks: tool detection and deterministic simulated frames.
import { spawnSync } from "node:child_process";

/** True when a command is on PATH. */
export function haveCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Deterministic normal deviates (xorshift + Box-Muller). */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A simulated sky frame: background + Poisson-like noise + Gaussian stars (+ bias/overscan columns). */
export function simulateFrame(nx: number, ny: number, sky: number, noise: number, seed: number, overscan = 0): Float32Array {
  const g = gaussian(seed);
  const out = new Float32Array(nx * ny);
  for (let i = 0; i < out.length; i++) out[i] = sky + noise * g();
  const r = gaussian(seed + 1);
  for (let k = 0; k < 400; k++) {
    const cx = Math.abs(r() * 1e6) % nx;
    const cy = Math.abs(r() * 1e6) % ny;
    const flux = 200 * Math.exp(Math.abs(r()) * 3);
    const s2 = 2 * 1.8 * 1.8;
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(ny, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(nx, cx + 8); x++) {
        out[y * nx + x]! += (flux / (Math.PI * s2)) * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / s2);
      }
    }
  }
  // Overscan strips at both ends of each row, at the bias level (MegaCam: 32 columns per side).
  if (overscan > 0) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < overscan; x++) {
        out[y * nx + x] = 1000 + 4 * g();
        out[y * nx + nx - 1 - x] = 1000 + 4 * g();
      }
    }
  }
  return out;
}
