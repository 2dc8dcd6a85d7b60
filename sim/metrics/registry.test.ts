import { describe, expect, it } from "vitest";
import { describeMetric, FRACTION, METRICS, NON_NEGATIVE, UNBOUNDED } from "./registry.js";

describe("the metrics registry", () => {
  it("declares each metric once, and describes every declared name and every family member by name", () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    for (const m of METRICS) expect(describeMetric(m.name)?.label).toBe(m.label);
    expect(describeMetric("bytes_per_node_s_leafset")?.label).toBe("leafset bandwidth sent (bytes/s per node)");
    expect(describeMetric("bamboo.suspicions_per_node_h")).toMatchObject({ unit: "1/(node·h)", label: "bamboo: suspicions per node-hour" });
    expect(describeMetric("no_such_metric")).toBeUndefined();
  });

  it("declares each metric's possible range, which intervals across seeds are clamped to", () => {
    for (const m of METRICS) expect(m.range).toEqual(m.unit === "fraction" ? FRACTION : NON_NEGATIVE);
    expect(describeMetric("bytes_per_node_s_leafset")?.range).toEqual(NON_NEGATIVE);
    expect(describeMetric("bamboo.suspicions_per_node_h")?.range).toEqual(NON_NEGATIVE);
    expect(describeMetric("bamboo.probe_rtt_p99")?.range).toEqual(UNBOUNDED);
  });
});
