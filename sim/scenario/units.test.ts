import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseRate, parseSize } from "./units.js";

describe("units", () => {
  it("parses durations as scenario files write them", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("2.4m")).toBeCloseTo(144_000);
    expect(parseDuration("1.4h")).toBeCloseTo(5_040_000);
    expect(parseDuration("1d")).toBe(86_400_000);
  });

  it("parses rates in decimal and sizes in binary units", () => {
    expect(parseRate("1Mbps")).toBe(1e6);
    expect(parseRate("256kbps")).toBe(256_000);
    expect(parseSize("64KB")).toBe(65_536);
  });

  it("rejects what it cannot read, saying what was expected", () => {
    expect(() => parseDuration("10")).toThrow(/expected a number and one of ms, s, m/);
    expect(() => parseDuration("ten s")).toThrow(/not a duration/);
    expect(() => parseRate("1MB")).toThrow(/not a bit rate/);
  });

  it("formats durations compactly", () => {
    expect(formatDuration(5_400_000)).toBe("1.5h");
    expect(formatDuration(1_800_000)).toBe("30m");
    expect(formatDuration(90_000)).toBe("1.5m");
    expect(formatDuration(250)).toBe("250ms");
  });
});
