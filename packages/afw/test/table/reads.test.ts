// The reader reads only the rows asked for (one read) and the heap span their arrays use (one
// more), and honours THEAP when the heap does not start right after the rows.
import { describe, expect, it, vi } from "vitest";
import { FitsFile } from "../../src/fits/file.js";
import { encodeBinTable, readTable } from "../../src/fits/table/index.js";
import { fitsBytes } from "./helpers.js";

const N = 1000;
const rows = Array.from({ length: N }, (_, i) => Int32Array.from({ length: i % 5 }, (_, k) => i * 10 + k));
const encoded = encodeBinTable([
  { name: "id", data: Int32Array.from({ length: N }, (_, i) => i) },
  { name: "v", data: rows },
  { name: "s", data: Array.from({ length: N }, (_, i) => `row ${i}`) },
]);

describe("what the reader reads", () => {
  it("one read of the row range, one of the heap span", async () => {
    const f = await FitsFile.open(fitsBytes([encoded]));
    const hdu = await f.hdu(1);
    const spy = vi.spyOn(f, "readData");
    const t = await readTable(f, 1, { rowStart: 500, rowCount: 10 });
    const rowBytes = encoded.header.requireInt("NAXIS1");
    expect(spy.mock.calls.map(([, offset, length]) => [offset, length])).toEqual([
      [500 * rowBytes, 10 * rowBytes],
      // Rows 500..509 hold 0+1+2+3+4 elements twice: 20 int32 values, contiguous in the heap.
      [N * rowBytes + 4 * rows.slice(0, 500).reduce((s, r) => s + r.length, 0), 80],
    ]);
    expect(spy.mock.calls.every(([h]) => h === hdu)).toBe(true);
    expect(Array.from(t.column("id").data as Int32Array)).toEqual([500, 501, 502, 503, 504, 505, 506, 507, 508, 509]);
    expect((t.column("v").data as Int32Array[]).map((r) => Array.from(r))).toEqual(
      rows.slice(500, 510).map((r) => Array.from(r)),
    );
    expect(t.column("s").data).toEqual(Array.from({ length: 10 }, (_, i) => `row ${500 + i}`));
    spy.mockClear();
    // Fixed-width columns only: no heap read at all.
    await readTable(f, 1, { columns: ["id"], rowStart: 3, rowCount: 2 });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    await readTable(f, 1, { rowCount: 0 });
    expect(spy).not.toHaveBeenCalled();
  });

  it("a heap after a gap (THEAP > NAXIS1*NAXIS2) reads the same values", async () => {
    const main = encoded.header.requireInt("NAXIS1") * N;
    const gap = 123;
    const header = encoded.header.clone();
    header.set("PCOUNT", header.requireInt("PCOUNT") + gap);
    header.set("THEAP", main + gap, { after: "TFIELDS" });
    const data = new Uint8Array(encoded.data.length + gap).fill(0xee, main, main + gap);
    data.set(encoded.data.subarray(0, main));
    data.set(encoded.data.subarray(main), main + gap);
    const f = await FitsFile.open(fitsBytes([{ header, data }]));
    const t = await readTable(f, 1);
    expect((t.column("v").data as Int32Array[]).map((r) => Array.from(r))).toEqual(rows.map((r) => Array.from(r)));
    // Re-encoding drops the gap.
    const again = encodeBinTable(t.columns, { header: t.header });
    expect(again.header.has("THEAP")).toBe(false);
    expect(Buffer.from(again.data).equals(Buffer.from(encoded.data))).toBe(true);
  });
});
