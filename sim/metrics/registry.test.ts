import { describe, expect, it } from "vitest";
import { describeMetric, METRICS } from "./registry.js";

describe("the metrics registry", () => {
  it("declares each metric once, and describes every declared name and every family member by name", () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    for (const m of METRICS) expect(describeMetric(m.name)?.label).toBe(m.label);
    expect(describeMetric("bytes_per_node_s_leafset")?.label).toBe("leafset bandwidth sent (bytes/s per node)");
    expect(describeMetric("bamboo.suspicions_per_node_h")).toMatchObject({ unit: "1/(node·h)", label: "bamboo: suspicions per node-hour" });
    expect(describeMetric("no_such_metric")).toBeUndefined();
  });
});
