import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../sim/metrics/registry.js";
import { tempDir } from "../test/helpers.js";
import { metricTitle } from "./figure-labels.js";
import { readSummary } from "./read-summary.js";
import { summariseSweep } from "./sweep-summary.js";

function fakeRun(dir: string, name: string, tMed: string, latency: number, consistent: number, scenario: Record<string, unknown> = {}) {
  mkdirSync(join(dir, "runs", name), { recursive: true });
  writeFileSync(join(dir, "runs", name, "scenario.json"), JSON.stringify({ ...scenario, churn: { tMed } }));
  writeFileSync(
    join(dir, "runs", name, "summary.json"),
    JSON.stringify({
      latency_ms: { mean: latency, p50: latency, p90: latency, p99: latency },
      failed_fraction: 0,
      consistent_fraction: consistent,
      majority_consistent_fraction: null,
      hops_mean: 2,
      maintenance_bytes_per_node_s: 100,
      total_bytes_per_node_s: 120,
      session_time_median_s: 60,
      departures_per_s: 1,
      bytes_per_node_s_by_category: { leafset: { sent: 80, received: 80 } },
      // A statistic no analysis code knows of: only the protocol names it.
      protocol_stats: { fakeproto: { widget_swaps: { total: 7, per_node_per_hour: latency / 10 }, queue_length: { n: 3, mean: 2, p50: 2, p90: 3, p99: 3 } } },
    }),
  );
}

describe("sweep summaries", () => {
  it("write one tidy row per grid point and metric, with the mean and 95% interval across seeds", () => {
    const dir = tempDir();
    const runs = [
      { id: "churn.tMed=1m,replicate=0", dir: "a" },
      { id: "churn.tMed=1m,replicate=1", dir: "b" },
      { id: "churn.tMed=9m,replicate=0", dir: "c" },
      { id: "churn.tMed=9m,replicate=1", dir: "d" },
    ];
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m", "9m"] } } }, runs: runs.map((r, i) => ({ ...r, seed: i })) }));
    fakeRun(dir, "a", "1m", 100, 0.9);
    fakeRun(dir, "b", "1m", 300, 1);
    fakeRun(dir, "c", "9m", 50, 1);
    // Run d failed: no results.
    expect(summariseSweep(dir)).toEqual({ runs: 3, failed: 1, points: 2 });
    const rows = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("churn.tMed,churn.tMed_s,metric,n,mean,ci95_low,ci95_high");
    // 100 and 300: mean 200, sd 141.42, t(1) = 12.706: half-width 1270.6, clamped at 0 ms.
    expect(rows).toContain("1m,60,latency_mean_ms,2,200,0,1470.6");
    expect(rows).toContain("9m,540,latency_mean_ms,1,50,,");
    expect(rows).toContain("1m,60,bytes_per_node_s_leafset,2,80,80,80");
    expect(rows.some((r) => r.startsWith("1m,60,majority_consistent_fraction"))).toBe(false);
  });

  it("list every metric the registry declares, then the families' members, protocol statistics among them", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m"] } } }, runs: [{ id: "r", dir: "a", seed: 1 }] }));
    fakeRun(dir, "a", "1m", 100, 1);
    summariseSweep(dir);
    const metrics = readFileSync(join(dir, "runs.csv"), "utf8").trim().split("\n").slice(1).map((r) => r.split(",")[4]);
    expect(metrics).toEqual([
      ...METRICS.map((m) => m.name),
      "bytes_per_node_s_leafset",
      "fakeproto.widget_swaps_per_node_h",
      "fakeproto.queue_length_mean",
      "fakeproto.queue_length_p50",
      "fakeproto.queue_length_p90",
      "fakeproto.queue_length_p99",
    ]);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8");
    expect(summary).toContain("1m,60,fakeproto.widget_swaps_per_node_h,1,10,,");
    expect(summary).toContain("1m,60,fakeproto.queue_length_p90,1,3,,");
    // A summary.json from before a metric existed: no value rather than NaN.
    expect(summary).not.toContain("NaN");
    // Figures label them with no declaration per statistic.
    expect(metricTitle("fakeproto.widget_swaps_per_node_h")).toBe("fakeproto: widget swaps per node-hour");
    expect(metricTitle("fakeproto.queue_length_p90")).toBe("fakeproto: queue length (90th percentile)");
    expect(metricTitle("latency_p99_ms")).toBe("99th percentile lookup latency (ms)");
  });

  it("give each numeric swept parameter a column in base units, and sort rows numerically along it", () => {
    const dir = tempDir();
    // Planned in an order where the labels sort as text (11.7m before 2.9m), not as durations.
    const tMeds = ["11.7m", "2.9m", "23m", "1.4m"];
    const grid = { "churn.tMed": tMeds, "network.uplink": ["1Mbps", "32kbps"], "protocol.recovery": ["periodic", "reactive"] };
    const runs = tMeds.flatMap((t) => grid["network.uplink"].flatMap((u) => grid["protocol.recovery"].map((r) => ({ t, u, r }))));
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid } }, runs: runs.map((x, i) => ({ id: `p${i}`, dir: `r${i}`, seed: i })) }));
    runs.forEach((x, i) => fakeRun(dir, `r${i}`, x.t, 100, 1, { network: { uplink: x.u }, protocol: { recovery: x.r } }));
    summariseSweep(dir);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    expect(summary[0]).toBe("churn.tMed,churn.tMed_s,network.uplink,network.uplink_bps,protocol.recovery,metric,n,mean,ci95_low,ci95_high");
    const points = summary.filter((r) => r.includes(",latency_mean_ms,")).map((r) => r.split(",").slice(0, 5).join(","));
    expect(points).toEqual(
      [["1.4m", 84], ["2.9m", 174], ["11.7m", 702], ["23m", 1380]].flatMap(([t, s]) =>
        ["32kbps,32000", "1Mbps,1000000"].flatMap((u) => ["periodic", "reactive"].map((r) => `${t},${s},${u},${r}`)),
      ),
    );
    const runRows = readFileSync(join(dir, "runs.csv"), "utf8").trim().split("\n");
    expect(runRows[0]).toBe("churn.tMed,churn.tMed_s,network.uplink,network.uplink_bps,protocol.recovery,run,seed,metric,value");
    expect(runRows[1].startsWith("1.4m,84,32kbps,32000,periodic,")).toBe(true);
    expect(runRows.at(-1)?.startsWith("23m,1380,1Mbps,1000000,reactive,")).toBe(true);
    // Figures and reports still see the swept parameters by their labels.
    const read = readSummary(dir);
    expect(read.params).toEqual(["churn.tMed", "network.uplink", "protocol.recovery"]);
    expect(read.rows[0].point).toEqual({ "churn.tMed": "1.4m", "network.uplink": "32kbps", "protocol.recovery": "periodic" });
    expect(read.rows[0].metric).toBe("latency_mean_ms");
  });

  it("keep only the label of a JSON-valued parameter, and give plain numbers and sizes their own columns", () => {
    const dir = tempDir();
    const sessions = [{ dist: "pareto" }, { dist: "exp" }];
    const grid = { "churn.sessions": sessions, nodes: [1000, 200], "network.buffer": ["64KB", "1MB"] };
    const runs = [0, 1].flatMap((s) => [0, 1].map((n) => ({ s, n })));
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid } }, runs: runs.map((x, i) => ({ id: `p${i}`, dir: `r${i}`, seed: i })) }));
    runs.forEach((x, i) => {
      fakeRun(dir, `r${i}`, "1m", 100, 1, { nodes: grid.nodes[x.n], network: { buffer: grid["network.buffer"][x.n] } });
      const file = join(dir, "runs", `r${i}`, "scenario.json");
      const scenario = JSON.parse(readFileSync(file, "utf8"));
      writeFileSync(file, JSON.stringify({ ...scenario, churn: { sessions: sessions[x.s] } }));
    });
    summariseSweep(dir);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    expect(summary[0]).toBe("churn.sessions,network.buffer,network.buffer_bytes,nodes,nodes_num,metric,n,mean,ci95_low,ci95_high");
    // JSON axes keep the grid's order; numeric ones sort by value.
    expect(summary.filter((r) => r.includes(",latency_mean_ms,")).map((r) => r.split(",latency_mean_ms,")[0])).toEqual([
      '"{""dist"":""pareto""}",64KB,65536,1000,1000',
      '"{""dist"":""pareto""}",1MB,1048576,200,200',
      '"{""dist"":""exp""}",64KB,65536,1000,1000',
      '"{""dist"":""exp""}",1MB,1048576,200,200',
    ]);
  });

  it("clamp every interval to its metric's possible range, give n beside it, and leave it empty for one seed", () => {
    const dir = tempDir();
    const runs = [
      { id: "a", dir: "a", seed: 1 },
      { id: "b", dir: "b", seed: 2 },
      { id: "c", dir: "c", seed: 3 },
    ];
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m", "9m"] } } }, runs }));
    // Two seeds at 1m, as in a quick sweep: the raw t intervals would be 1.0233 (consistent), below 0 (failed, p99).
    const seeds: [string, string, number, number, number][] = [["a", "1m", 100, 0.995, 0], ["b", "1m", 900, 1, 0.0005], ["c", "9m", 50, 1, 0]];
    for (const [name, tMed, latency, consistent, failedFraction] of seeds) {
      fakeRun(dir, name, tMed, latency, consistent);
      const file = join(dir, "runs", name, "summary.json");
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), failed_fraction: failedFraction }));
    }
    summariseSweep(dir);
    const rows = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    const row = (metric: string, tMed = "1m") => rows.find((r) => r.startsWith(`${tMed},`) && r.split(",")[2] === metric)?.split(",").slice(3);
    const [n, mean, low, high] = row("consistent_fraction") ?? [];
    expect([n, mean, high]).toEqual(["2", "0.9975", "1"]);
    expect(Number(low)).toBeCloseTo(0.9975 - 0.0317, 3);
    expect(row("failed_fraction")?.slice(0, 3)).toEqual(["2", "0.00025", "0"]);
    expect(Number(row("failed_fraction")?.[3])).toBeGreaterThan(0.00025);
    expect(row("latency_p99_ms")?.slice(0, 3)).toEqual(["2", "500", "0"]);
    for (const r of rows.slice(1)) {
      const [low, high] = r.split(",").slice(5).map((x) => (x === "" ? null : Number(x)));
      if (r.split(",")[2].endsWith("_fraction") && high !== null) expect(high).toBeLessThanOrEqual(1);
      if (low !== null) expect(low).toBeGreaterThanOrEqual(0);
    }
    // One seed: n = 1 and no interval (empty cells, not 0).
    expect(row("latency_p99_ms", "9m")).toEqual(["1", "50", "", ""]);
  });

  it("leave a parameter a run's scenario lacks empty, with no numeric column", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sweep.json"), JSON.stringify({ scenario: { sweep: { grid: { "churn.tMed": ["1m"], nodes: [100] } } }, runs: [{ id: "r", dir: "a", seed: 1 }] }));
    fakeRun(dir, "a", "1m", 100, 1);
    summariseSweep(dir);
    const rows = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("churn.tMed,churn.tMed_s,nodes,metric,n,mean,ci95_low,ci95_high");
    expect(rows[1]).toBe("1m,60,,latency_mean_ms,1,100,,");
  });
});
