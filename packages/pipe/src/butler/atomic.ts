/**
 * Atomic file operations the registry is built on. They rely only on POSIX rename(2) (replaces
 * atomically) and link(2) (fails with EEXIST if the name exists, atomically, also on NFS), so
 * they are safe across threads, processes and Slurm jobs on a shared filesystem.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Prefix of every temporary file name (so scans can skip and garbage collection can find them). */
export const TEMP_PREFIX = ".tmp-";

/** A unique temporary path in the same directory as `path` (so a rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}-${basename(path)}`);
}

async function writeSynced(path: string, data: string | Uint8Array, flag: string): Promise<void> {
  const h = await open(path, flag);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes `data` to `path` atomically: temporary file, fsync, rename over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeSynced(tmp, data, "wx");
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Creates `path` with `data` only if it does not exist, atomically and complete: the content is
 * written to a temporary file first, then hard-linked to `path` (EEXIST if another writer won).
 * Returns true if this call created it, false if it already existed.
 */
export async function createExclusive(path: string, data: string | Uint8Array): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeSynced(tmp, data, "wx");
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** SHA-256 of a file, hex, and its size in bytes. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest("hex"), size };
}
