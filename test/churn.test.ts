import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

const base = { nodes: 400, duration: "3h", warmup: "10m", joinPhase: "1m", protocol: { name: "silent" }, workload: { probeSize: 0, lookupInterval: "10m" } };

describe("churn processes", () => {
  it("the replacement process gives exponential sessions with the requested median and rate N·ln2/tMed", () => {
    const { summary } = run({ ...base, name: "replacement", churn: { process: "replacement", tMed: "5m" } });
    const departuresPerSecond = (400 * Math.LN2) / 300;
    console.log(`replacement: median session ${summary.session_time_median_s?.toFixed(1)} s (model 300), mean ${summary.session_time_mean_s?.toFixed(1)} s (model ${(300 / Math.LN2).toFixed(1)}), ${summary.departures_per_s?.toFixed(3)} departures/s (model ${departuresPerSecond.toFixed(3)})`);
    expect(summary.session_time_median_s).toBeGreaterThan(300 * 0.93);
    expect(summary.session_time_median_s).toBeLessThan(300 * 1.07);
    expect(summary.session_time_mean_s).toBeGreaterThan((300 / Math.LN2) * 0.93);
    expect(summary.session_time_mean_s).toBeLessThan((300 / Math.LN2) * 1.07);
    expect(summary.departures_per_s).toBeGreaterThan(departuresPerSecond * 0.95);
    expect(summary.departures_per_s).toBeLessThan(departuresPerSecond * 1.05);
  });

  it("the lifetime process draws sessions from the preset's heavy-tailed fit, starting in equilibrium", () => {
    const { summary, read } = run({ ...base, name: "lifetime", churn: { process: "lifetime", preset: "kazaa", shape: "heavy-tailed" } });
    // Weibull k = 0.487 with the Kazaa median of 144 s: far fewer departures per second than exponential sessions.
    console.log(`lifetime/kazaa heavy-tailed: median session ${summary.session_time_median_s?.toFixed(1)} s (model 144), ${summary.departures_per_s?.toFixed(3)} departures/s`);
    expect(summary.session_time_median_s).toBeGreaterThan(144 * 0.9);
    expect(summary.session_time_median_s).toBeLessThan(144 * 1.1);
    // In equilibrium from the start, the departure rate does not drift: compare the first and last hour.
    const rows = read("timeseries.csv").trim().split("\n").slice(1).map((l) => l.split(","));
    const departures = rows.map((r) => Number(r[4]));
    const firstHour = departures.slice(1, 61).reduce((a, b) => a + b, 0);
    const lastHour = departures.slice(-60).reduce((a, b) => a + b, 0);
    expect(Math.abs(firstHour - lastHour) / lastHour).toBeLessThan(0.15);
  });

  it("keeps the population at N under the replacement process", () => {
    const { read } = run({ ...base, name: "population", duration: "30m", churn: { process: "replacement", tMed: "1m" } });
    const rows = read("timeseries.csv").trim().split("\n").slice(1).map((l) => l.split(","));
    for (const r of rows.slice(2)) expect(Number(r[1])).toBeCloseTo(400, 0);
  });
});
