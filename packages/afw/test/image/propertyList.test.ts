import { describe, expect, it } from "vitest";
import { isoStringToMjd, mjdToIsoString, OrderedPropertyList } from "../../src/image/index.js";

describe("OrderedPropertyList", () => {
  it("keeps insertion order and replaces values in place", () => {
    const pl = new OrderedPropertyList();
    pl.set("SIMPLE", true);
    pl.set("EXPTIME", 30, "exposure time [s]");
    pl.set("OBJECT", "M31");
    pl.set("EXPTIME", 45);
    expect(pl.keys()).toEqual(["SIMPLE", "EXPTIME", "OBJECT"]);
    expect(pl.get("EXPTIME")).toBe(45);
    expect(pl.getEntry("EXPTIME")).toEqual({ key: "EXPTIME", value: 45, comment: "exposure time [s]" });
    pl.set("EXPTIME", 50, "new comment");
    expect(pl.getEntry("EXPTIME")?.comment).toBe("new comment");
    expect(pl.has("OBJECT")).toBe(true);
    expect(pl.get("MISSING")).toBeUndefined();
    expect(pl.getNumber("EXPTIME")).toBe(50);
    expect(pl.getString("OBJECT")).toBe("M31");
    expect(pl.getBoolean("SIMPLE")).toBe(true);
    expect(pl.getNumber("OBJECT")).toBeUndefined();
  });

  it("supports repeated keys (COMMENT/HISTORY), null and bigint values", () => {
    const pl = new OrderedPropertyList();
    pl.add("HISTORY", "step 1");
    pl.set("BIG", 2n ** 62n);
    pl.add("HISTORY", "step 2");
    pl.set("UNDEF", null);
    expect(pl.size).toBe(4);
    expect(pl.get("HISTORY")).toBe("step 2");
    expect(pl.getAll("HISTORY")).toEqual(["step 1", "step 2"]);
    expect(pl.keys()).toEqual(["HISTORY", "BIG", "UNDEF"]);
    expect(pl.get("BIG")).toBe(2n ** 62n);
    expect(pl.getNumber("BIG")).toBe(2 ** 62);
    expect(pl.get("UNDEF")).toBeNull();
    // set on a repeated key keeps the first position and removes the repeats
    pl.set("HISTORY", "only");
    expect(pl.getAll("HISTORY")).toEqual(["only"]);
    expect(pl.entries()[0]).toEqual({ key: "HISTORY", value: "only" });
    expect(pl.remove("HISTORY")).toBe(true);
    expect(pl.remove("HISTORY")).toBe(false);
    expect(pl.keys()).toEqual(["BIG", "UNDEF"]);
  });

  it("clones independently and merges with update", () => {
    const pl = OrderedPropertyList.fromObject({ A: 1, B: "x" });
    const c = pl.clone();
    c.set("A", 2);
    expect(pl.get("A")).toBe(1);
    const other = new OrderedPropertyList();
    other.set("B", "y");
    other.add("COMMENT", "a");
    other.add("COMMENT", "b");
    pl.update(other);
    expect(pl.keys()).toEqual(["A", "B", "COMMENT"]);
    expect(pl.get("B")).toBe("y");
    expect(pl.getAll("COMMENT")).toEqual(["a", "b"]);
    expect(pl.toString()).toBe('PropertyList(A=1, B="y", COMMENT="a", COMMENT="b")');
  });
});

describe("MJD <-> ISO strings", () => {
  it("matches known epochs", () => {
    expect(mjdToIsoString(0)).toBe("1858-11-17T00:00:00.000000");
    expect(mjdToIsoString(51544.5)).toBe("2000-01-01T12:00:00.000000");
    expect(mjdToIsoString(60000.25)).toBe("2023-02-25T06:00:00.000000");
    expect(isoStringToMjd("2000-01-01T12:00:00")).toBe(51544.5);
    expect(isoStringToMjd("2023-02-25T06:00:00.000000000")).toBe(60000.25);
    expect(isoStringToMjd("1970-01-01")).toBe(40587);
    expect(isoStringToMjd("2000-01-01T12:00:00Z")).toBe(51544.5);
  });

  it("round-trips to a microsecond and carries over midnight", () => {
    for (const mjd of [59000.123456789, 60345.999999999, 51544.000001]) {
      const back = isoStringToMjd(mjdToIsoString(mjd));
      expect(Math.abs(back - mjd) * 86400).toBeLessThan(1e-6);
    }
    expect(mjdToIsoString(60345.9999999999)).toBe("2024-02-05T23:59:59.999991");
    expect(mjdToIsoString(1.9999999999999)).toBe("1858-11-19T00:00:00.000000");
  });

  it("rejects malformed input", () => {
    expect(() => isoStringToMjd("yesterday")).toThrow(RangeError);
    expect(() => isoStringToMjd("2020-01-01T00:00:00+02:00")).toThrow(RangeError);
    expect(() => mjdToIsoString(Number.NaN)).toThrow(RangeError);
  });
});
