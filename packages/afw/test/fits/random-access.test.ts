// Random access: one HDU of a big MEF, or a cutout of a tile-compressed image, reads only the
// bytes it needs. A counting byte source measures what was read.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ByteSource, FileSource, FitsFile, FitsWriter, Header, openByteSource } from "../../src/index.js";

class CountingSource implements ByteSource {
  bytesRead = 0;
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number | undefined {
    return this.inner.size;
  }
  get compression(): "none" | "gzip" | "bzip2" {
    return this.inner.compression;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const b = await this.inner.read(offset, length);
    this.bytesRead += b.length;
    this.reads++;
    return b;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const NX = 512;
const NY = 1024;
const NCCD = 36;
const dir = mkdtempSync(join(tmpdir(), "skystack-ra-"));
const mef = join(dir, "mef.fits.fz");
const plain = join(dir, "plain.fits");

function ccd(k: number): Uint16Array {
  const a = new Uint16Array(NX * NY);
  let s = 1234567 + k;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = 1000 + k * 10 + (s >>> 27);
  }
  return a;
}

beforeAll(async () => {
  const w = await FitsWriter.create(mef);
  const p = await FitsWriter.create(plain);
  for (let k = 0; k < NCCD; k++) {
    const h = new Header();
    h.set("CCDNAME", `ccd${String(k).padStart(2, "0")}`);
    await w.writeCompressedImage(ccd(k), [NX, NY], {
      compression: "RICE_1",
      header: h,
      extname: `ccd${String(k).padStart(2, "0")}`,
    });
    if (k < 4) await p.writeImage(ccd(k), [NX, NY], { extname: `ccd${k}` });
  }
  await w.close();
  await p.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("random access", () => {
  it("reads one CCD of a 36-CCD compressed MEF without touching the others' data", async () => {
    const src = new CountingSource(await FileSource.open(mef));
    const f = await FitsFile.fromSource(src);
    const hdu = await f.hdu("ccd20");
    const img = await f.readImage("ccd20");
    await f.close();
    expect(img.data).toEqual(ccd(20));
    const fileSize = statSync(mef).size;
    // Headers of HDUs 0..21 (a few blocks each) plus the data of HDU 21 (ccd20) only.
    const headers = 22 * 4 * 2880 * 2;
    expect(src.bytesRead).toBeLessThan(hdu.dataSize + headers);
    expect(src.bytesRead).toBeLessThan(fileSize / 10);
  });

  it("decodes only the tiles a cutout touches", async () => {
    const src = new CountingSource(await FileSource.open(mef));
    const f = await FitsFile.fromSource(src);
    const hdu = await f.hdu(5);
    const before = src.bytesRead;
    const cut = await f.readImage(5, { section: { start: [100, 300], shape: [50, 20] } });
    const used = src.bytesRead - before;
    await f.close();
    const full = ccd(4);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 50; x++) expect(cut.data[y * 50 + x]).toBe(full[(300 + y) * NX + 100 + x]);
    // 20 of 1024 one-row tiles plus their table rows: about 2% of the HDU.
    expect(used).toBeLessThan(hdu.dataSize * 0.05);
  });

  it("reads a section of a plain image by whole rows only", async () => {
    const src = new CountingSource(await FileSource.open(plain));
    const f = await FitsFile.fromSource(src);
    await f.hdu(2);
    const before = src.bytesRead;
    const cut = await f.readImage(2, { section: { start: [10, 500], shape: [5, 3] } });
    expect(src.bytesRead - before).toBe(3 * NX * 2);
    const full = ccd(2); // HDU 0 holds ccd(0), HDU 2 ccd(2)
    for (let y = 0; y < 3; y++)
      expect([...cut.data.subarray(y * 5, y * 5 + 5)]).toEqual([...full.subarray((500 + y) * NX + 10, (500 + y) * NX + 15)]);
    await f.close();
  });

  it("streams a large gzip file, reading HDUs on the way without keeping the whole file", async () => {
    const gz = join(
      import.meta.dirname,
      "..",
      "..",
      "..",
      "..",
      "test",
      "data",
      "real",
      "cfht-megacam-obs_cfht",
      "2004B.mask.0.36.01.fits.gz",
    );
    const src = await openByteSource(gz, { gzipInMemoryLimit: 1 << 20 });
    expect(src.size).toBeUndefined();
    const f = await FitsFile.fromSource(src);
    const img = await f.readImage(1, { section: { start: [0, 0], shape: [2112, 10] } });
    expect(img.shape).toEqual([2112, 10]);
    expect((await f.hdu(3)).extname).toBe("ccd02");
    // Going back restarts the stream and still gives the same pixels.
    const again = await f.readImage(1, { section: { start: [0, 0], shape: [2112, 10] } });
    expect(again.data).toEqual(img.data);
    await f.close();
  });

  it("streams a multi-member gzip whose trailer understates the size", async () => {
    const raw = readFileSync(plain);
    const multi = join(dir, "multi.fits.gz");
    writeFileSync(
      multi,
      Buffer.concat([gzipSync(raw.subarray(0, raw.length - 2880)), gzipSync(raw.subarray(raw.length - 2880))]),
    );
    const f = await FitsFile.open(multi, { gzipInMemoryLimit: 1 << 20 });
    expect(f.source.size).toBeUndefined();
    expect((await f.readImage(3)).data).toEqual(ccd(3));
    await f.close();
  });
});
