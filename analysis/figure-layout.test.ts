import { describe, expect, it } from "vitest";
import { axisTitle, categoryLabelAngle, figureTitle, fractionScale, logScale } from "./figure-layout.js";

describe("sweep figure scales", () => {
  it("zoom a fraction's axis to its data, never past 1 nor below 0", () => {
    const near = fractionScale("consistent_fraction", [0.996, 0.999, 1]);
    expect(near?.domain[0]).toBeCloseTo(0.995, 6);
    expect(near?.domain[1]).toBe(1);
    expect(fractionScale("failed_fraction", [0, 0.002])?.domain).toEqual([0, expect.closeTo(0.003, 6)]);
    // One value: a small window around it.
    expect(fractionScale("consistent_fraction", [0.5])?.domain).toEqual([0.499, 0.501]);
  });

  it("leave other metrics' axes alone", () => {
    expect(fractionScale("latency_mean_ms", [100, 200])).toBeUndefined();
  });

  it("end a log axis at the data, not at the next power of ten", () => {
    const { domain } = logScale([1.4, 2.9, 23.3]);
    expect(domain[0]).toBeGreaterThan(1.2);
    expect(domain[0]).toBeLessThan(1.4);
    expect(domain[1]).toBeGreaterThan(23.3);
    expect(domain[1]).toBeLessThan(27);
  });

  it("keep category labels horizontal unless they cannot fit", () => {
    expect(categoryLabelAngle(["periodic", "reactive"])).toBe(0);
    expect(categoryLabelAngle(Array.from({ length: 12 }, (_, i) => `{"name":"bamboo","leafSetSize":${i}}`))).not.toBe(0);
  });

  it("put long titles on two lines", () => {
    expect(axisTitle("mean lookup latency (ms)")).toBe("mean lookup latency (ms)");
    expect(axisTitle("lookups consistent with the true owner (fraction)")).toEqual(["lookups consistent with the true owner", "(fraction)"]);
    expect(figureTitle("performance against cost: mean lookup latency against total bandwidth").text).toEqual([
      "performance against cost: mean lookup latency",
      "against total bandwidth",
    ]);
  });
});

describe("metric labels as axis titles", () => {
  it("fit along a figure's plot: no line of a wrapped label is longer than 40 characters", async () => {
    const { METRICS } = await import("../sim/metrics/registry.js");
    // Vega lays a 13-px bold title out at about 10 px a character against a plot about 400 px high; a longer line
    // sticks out above the plot and pushes the figure's title off the image.
    const long = METRICS.flatMap((m) => [axisTitle(m.label)].flat().filter((line) => line.length > 40).map((line) => `${m.name}: ${line}`));
    expect(long).toEqual([]);
  });
});
