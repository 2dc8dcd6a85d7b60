import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLiveScenario } from "../live/live-scenario.js";
import { checkRealTime, estimateRealTime } from "../live/real-time-budget.js";
import { runLive } from "../live/live-run.js";
import { liveVsSim } from "../live/live-vs-sim.js";
import { writeComparison } from "../analysis/live/comparison.js";
import { PROTOCOLS } from "../protocols/index.js";
import { InputError } from "../sim/scenario/errors.js";
import { scenario, tempDir } from "./helpers.js";

/** A short live run: 30 Bamboo nodes joining over 5 s, then 25 s with lookups, on the modelled King-like delays. */
const SHORT = {
  name: "live-short",
  nodes: 30,
  joinPhase: "5s",
  warmup: "15s",
  duration: "30s",
  workload: { lookupInterval: "2s", lookupTimeout: "10s", probeInterval: "5s", probeSize: 3 },
  metrics: { window: "10s" },
};

/** UDP sockets and timers this process holds open, as Node counts its resources. */
const udpHandles = () => process.getActiveResourcesInfo().filter((r) => r === "UDPWrap").length;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("a live run on UDP sockets", () => {
  it("runs Bamboo's own code on the loopback address: lookups find the true owner as in simulation, the usual files and the live ones are written, and nothing stays open", async () => {
    const s = scenario({ ...SHORT, protocol: { name: "bamboo" } });
    const out = tempDir();
    const before = { udp: udpHandles(), timers: timers() };
    // The comparison in its quick form: one seed, simulated then live.
    const pairs = await liveVsSim(PROTOCOLS.bamboo, out, { scenarioFor: () => s, seeds: [s.seed] });
    const rows = writeComparison(out, { name: s.name, protocol: "bamboo", nodes: s.nodes, durationMs: s.durationMs, warmupMs: s.warmupMs, churn: s.churn.process }, pairs);
    const dir = join(out, `live-${s.seed}`);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    console.log(
      `live bamboo 30 nodes: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, latency p50 ${summary.latency_ms.p50} ms, ` +
        `${summary.live_datagrams_sent} datagrams, process CPU ${summary.live_process_cpu_s} s, wake-up lateness p99 ${summary.live_loop_lag_ms_p99} ms, wall ${summary.wall_s.toFixed(1)} s`,
    );
    // It took the scenario's time on the wall clock, not a simulator's fraction of it.
    expect(summary.wall_s).toBeGreaterThanOrEqual(30);
    expect(summary.lookups).toBeGreaterThan(100);
    expect(summary.consistent_fraction).toBeGreaterThan(0.95);
    // Latency includes the modelled one-way delays: King-like medians are tens of ms per hop.
    expect(summary.latency_ms.p50).toBeGreaterThan(20);
    expect(summary.live_datagrams_sent).toBeGreaterThan(1000);
    expect(summary.live_datagrams_received).toBeGreaterThan(0.99 * summary.live_datagrams_sent);
    expect(summary.live_wire_types_unexplained).toBe(0);
    for (const file of ["summary.json", "scenario.json", "lookups.csv", "wire.csv", "cpu.csv"]) expect(readFileSync(join(dir, file), "utf8").length).toBeGreaterThan(0);
    const wire = readFileSync(join(dir, "wire.csv"), "utf8").trim().split("\n");
    expect(wire[0]).toBe("message_type,messages,declared_bytes_mean,encoded_bytes_mean,cost_model_bytes_mean,cost_model_over_declared,note");
    expect(wire.slice(1).map((l) => l.split(",")[0])).toEqual(expect.arrayContaining(["route", "ack", "leafset", "ping", "pong"]));
    // Simulated and live, the same churn and lookups: the same consistency, latency within a few ms per hop.
    const row = (metric: string) => rows.find((r) => r.metric === metric) as (typeof rows)[number];
    expect(Math.abs(row("consistent_fraction").difference.mean as number)).toBeLessThan(0.03);
    expect(Math.abs(row("latency_p50_ms").difference.mean as number)).toBeLessThan(0.2 * (row("latency_p50_ms").simulated.mean as number));
    expect(readFileSync(join(out, "comparison.md"), "utf8")).toContain("| median lookup latency (ms) |");
    // The system finishes closing a socket a moment after Node reports it closed.
    for (let i = 0; i < 100 && udpHandles() > before.udp; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(udpHandles()).toBe(before.udp);
    expect(timers()).toBeLessThanOrEqual(before.timers);
  }, 180_000);

  it.each(["chord", "kademlia"])("runs %s's own code too", async (name) => {
    const s = scenario({ ...SHORT, nodes: 20, protocol: { name } });
    const { summary } = await runLive(s, PROTOCOLS[name], join(tempDir(), "run"));
    console.log(`live ${name} 20 nodes: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, latency p50 ${summary.latency_ms.p50} ms`);
    expect(summary.lookups).toBeGreaterThan(50);
    expect(summary.consistent_fraction).toBeGreaterThan(0.9);
  }, 120_000);
});

describe("what a live run refuses", () => {
  const refusal = (doc: Record<string, unknown>) => {
    const s = scenario({ ...SHORT, ...doc });
    try {
      checkLiveScenario(s, PROTOCOLS[s.protocol.name], "x.json");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return "accepted";
  };

  it("names the field and why, for everything it cannot do", () => {
    expect(refusal({ protocol: { name: "bamboo" } })).toBe("accepted");
    expect(refusal({ protocol: { name: "bamboo" }, storage: { replication: "bamboo" } })).toMatch(/^x\.json: \/storage: a live run carries the lookup layer only/);
    expect(refusal({ protocol: { name: "chord", timeouts: "oracle" } })).toMatch(/^x\.json: \/protocol\/timeouts: oracle timeouts need true round-trip times/);
    expect(refusal({ protocol: { name: "chord" }, start: "converged" })).toMatch(/^x\.json: \/start: /);
    expect(refusal({ protocol: { name: "bamboo" }, nodes: 5000 })).toMatch(/^x\.json: \/nodes: .*at most 2000 nodes, got 5000/);
    expect(refusal({ protocol: { name: "bamboo" }, duration: "5h" })).toMatch(/^x\.json: \/duration: .*at most 4 h/);
  });
});

describe("the real-time budget", () => {
  it("estimates a small run's load from a short simulation of it", () => {
    const s = scenario({ ...SHORT, protocol: { name: "bamboo" } });
    const estimate = estimateRealTime(s, PROTOCOLS.bamboo);
    // 30 Bamboo nodes send some 150 messages/s (the live run above sends ~170/s over its 30 s).
    expect(estimate.messagesPerS).toBeGreaterThan(50);
    expect(estimate.messagesPerS).toBeLessThan(500);
    expect(() => checkRealTime(estimate, s, "x.json")).not.toThrow();
  });

  it("refuses a run that would not keep up with the clock, saying how many nodes would", () => {
    const s = scenario({ ...SHORT, nodes: 1000, protocol: { name: "bamboo" } });
    expect(() => checkRealTime({ messagesPerS: 14_000, coreShare: 1.4 }, s, "x.json")).toThrow(
      /^x\.json: \/nodes: a live run of 1000 nodes would send about 14,000 messages\/s, about 1\.40 of a core .* use about 500 nodes or fewer, or npm run sim$/,
    );
  });
});
