import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../test/helpers.js";
import type { SummaryRow } from "./read-summary.js";
import { writeReport } from "./report.js";

/** A report of one metric at two grid points, with `seeds` seeds each (the first point may have fewer). */
function report(seeds: number, firstPoint = seeds): { md: string; html: string } {
  const dir = tempDir();
  const scenario = { name: "few", description: "", protocol: {}, nodes: 10, duration: "1h", warmup: "10m", churn: {}, network: {}, workload: {}, sweep: { grid: { "churn.tMed": ["1m", "9m"] }, seeds } };
  writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario, runs: [] }));
  const row = (tMed: string, n: number): SummaryRow => ({ point: { "churn.tMed": tMed }, metric: "latency_mean_ms", n, mean: 200, low: n > 1 ? 100 : null, high: n > 1 ? 300 : null });
  writeReport(dir, ["churn.tMed"], [row("1m", firstPoint), row("9m", seeds)], []);
  return { md: readFileSync(join(dir, "report.md"), "utf8"), html: readFileSync(join(dir, "report.html"), "utf8") };
}

describe("sweep reports", () => {
  it("warn that intervals from fewer than three seeds mean little", () => {
    const two = report(2);
    expect(two.md).toContain("> **Few seeds.** Every grid point has only 2 seeds: intervals from so few seeds mean little");
    expect(two.html).toContain('<p class="note"><strong>Few seeds.</strong> Every grid point has only 2 seeds: intervals from so few seeds mean little');
    expect(report(5, 2).md).toContain("Some grid points have only 2 seeds");
    expect(report(1).md).toContain("Every grid point has a single seed: no confidence interval there");
  });

  it("say nothing of it from three seeds on", () => {
    for (const seeds of [3, 5]) {
      const { md, html } = report(seeds);
      expect(md).not.toContain("Few seeds");
      expect(html).not.toContain("Few seeds");
    }
  });

  it("show the grid's values, not the base values it overrides, in the scenario table", () => {
    const dir = tempDir();
    const scenario = {
      name: "swept",
      description: "",
      protocol: { name: "bamboo", recovery: "periodic" },
      nodes: 100,
      duration: "1h",
      warmup: "10m",
      churn: { process: "replacement", tMed: "5m" },
      network: {},
      workload: {},
      sweep: { grid: { "churn.tMed": ["1.4m", "23m"], "protocol.recovery": ["periodic", "reactive"], nodes: [50, 200] }, seeds: 3 },
    };
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario, runs: [] }));
    writeReport(dir, ["churn.tMed"], [], []);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain('| churn | `{"process":"replacement","tMed":"(swept: see Grid)"}` |');
    expect(md).toContain('| protocol | `{"name":"bamboo","recovery":"(swept: see Grid)"}` |');
    expect(md).toContain("| nodes | `(swept: see Grid)` |");
    expect(md).not.toContain('"5m"');
    expect(md).toContain("| `churn.tMed` | `1.4m`, `23m` |");
  });
});
