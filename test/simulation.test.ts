import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../protocols/index.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { run, scenario, silent, tempDir } from "./helpers.js";

describe("a whole run", () => {
  it("with the onehop protocol and no churn, every lookup finds the true owner in one hop", () => {
    const { summary } = run({
      name: "static",
      nodes: 150,
      duration: "8m",
      warmup: "4m",
      joinPhase: "1m",
      workload: { lookupInterval: "20s" },
      protocol: { name: "onehop" },
    });
    expect(summary.lookups).toBeGreaterThan(1000);
    expect(summary.failed_fraction).toBe(0);
    expect(summary.consistent_fraction).toBe(1);
    expect(summary.majority_consistent_fraction).toBe(1);
    expect(summary.hops_mean).toBeLessThanOrEqual(1);
    // A one-hop lookup is a request and its reply: about one round trip on King-like delays.
    expect(summary.latency_ms.p50).toBeGreaterThan(60);
    expect(summary.latency_ms.p50).toBeLessThan(250);
    const m = summary.messages;
    expect(m.delivered.messages + m.in_flight.messages).toBe(m.sent.messages);
  });

  it("accounts for every message under churn, loss and full queues", () => {
    const { summary, read } = run({
      name: "accounting",
      nodes: 100,
      duration: "6m",
      warmup: "2m",
      joinPhase: "1m",
      network: { uplink: "64kbps", queue: "2KB", loss: 0.02 },
      churn: { process: "replacement", tMed: "1m" },
      protocol: { name: "onehop" },
    });
    const m = summary.messages;
    expect(m.dropped_queue.messages).toBeGreaterThan(0);
    expect(m.dropped_loss.messages).toBeGreaterThan(0);
    expect(m.lost_to_dead_nodes.messages).toBeGreaterThan(0);
    for (const unit of ["messages", "bytes"] as const) {
      expect(m.delivered[unit] + m.dropped_queue[unit] + m.dropped_loss[unit] + m.lost_to_dead_nodes[unit] + m.in_flight[unit]).toBe(m.sent[unit]);
    }
    // Every lookup row has a final status.
    const statuses = new Set(read("lookups.csv").trim().split("\n").slice(1).map((l) => l.split(",")[8]));
    for (const s of statuses) expect(["ok", "failed", "timeout"]).toContain(s);
  });

  it("brings back a departed node only when its departure said it might return", () => {
    const s = scenario({ name: "returns", nodes: 3, duration: "1m", warmup: "30s", joinPhase: "10s", protocol: { name: "onehop" } });
    const sim = new Simulation(s, PROTOCOLS.onehop, tempDir(), { check: true });
    // Messages to a node gone for good are lost as they are sent: bringing it back would contradict that.
    const gone = sim.spawn();
    sim.kill(gone, false);
    expect(() => sim.revive(gone)).toThrow(/revived after departing for good/);
    const away = sim.spawn();
    sim.kill(away, true);
    sim.revive(away);
    expect(sim.node(away).alive).toBe(true);
  });

  it("replays a p2psim churn file, so the same churn runs in both simulators", () => {
    const dir = tempDir();
    const lines = Array.from({ length: 30 }, (_, i) => `${i + 1} ${i < 25 ? "alive" : "dead"} ${60_000 + i * 1000} ${120_000 + i * 1000}`);
    writeFileSync(join(dir, "churn.txt"), `${lines.join("\n")}\n`);
    const { read, summary } = run({
      name: "p2psim-trace",
      duration: "4m",
      warmup: "30s",
      churn: { process: "trace", format: "p2psim", file: join(dir, "churn.txt") },
      metrics: { window: "1m" },
      protocol: { name: "chord" },
    });
    const rows = read("timeseries.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
    // 25 start alive; from 60 s all 30 flip (25 leave, 5 join); from 120 s they flip back.
    expect(rows.map((r) => [r[3], r[4]])).toEqual([[25, 0], [5, 25], [25, 5], [0, 0]]);
    expect(summary.lookups).toBeGreaterThan(0);
  });

  it("replays a churn trace: nodes join, leave and rejoin under the same identity", () => {
    const dir = tempDir();
    const lines = ["time,node,event"];
    for (let i = 0; i < 20; i++) lines.push(`${i},n${i},join`);
    lines.push("110,n3,leave", "160,n3,join", "210,n4,leave");
    writeFileSync(join(dir, "trace.csv"), `${lines.join("\n")}\n`);
    const { read } = run({
      name: "trace",
      duration: "5m",
      warmup: "1m",
      joinPhase: "30s",
      churn: { process: "trace", file: join(dir, "trace.csv") },
      metrics: { window: "50s" },
      protocol: { name: "silent" },
    });
    const rows = read("timeseries.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
    // Windows of 50 s: 20 arrivals in the first, then a departure, a return and a departure in windows 3 to 5.
    expect(rows.map((r) => [r[3], r[4]])).toEqual([[20, 0], [0, 0], [0, 1], [1, 0], [0, 1], [0, 0]]);
    expect(rows[5][2]).toBe(19);
  });
});

describe("a protocol's own statistics", () => {
  /** Every node ticks every 10 s from half a second after it starts, counting each tick and sampling its index. */
  const ticker: ProtocolDefinition<Record<string, never>> = {
    ...silent,
    name: "ticker",
    create: (rt) => {
      const ticks = rt.counter("ticks");
      const index = rt.sample("node_index");
      const tick = () => {
        ticks.add();
        index.record(rt.address);
        rt.setTimer(10_000, tick);
      };
      return {
        join: () => {
          rt.reportJoined();
          rt.setTimer(500, tick);
        },
        receive: () => {},
        lookup: (_key, handle) => rt.reportLookup(handle, rt.id, 0),
      };
    },
  };

  it("count only the statistics period, per node-hour of live time in it", () => {
    // 10 nodes start 1 s apart and never leave; the period [1 min, 4 min) holds 18 ticks of each: 180 ticks in
    // 10 × 3 min = 0.5 node-hours, 360 per node-hour (a tick every 10 s); indices 0–9 equally often, so the
    // 90th percentile falls a tenth of the way from the last 8 (sorted position 161) to the first 9.
    const s = scenario({ name: "ticker", nodes: 10, duration: "4m", warmup: "1m", joinPhase: "10s", protocol: { name: "silent" } });
    const summary = new Simulation(s, ticker, tempDir(), { check: true }).run();
    expect(summary.protocol_stats).toEqual({
      ticker: {
        ticks: { total: 180, per_node_per_hour: 360 },
        node_index: { n: 180, mean: 4.5, p50: 4.5, p90: expect.closeTo(8.1, 9), p99: 9 },
      },
    });
  });

  it("refuse a name that is not a CSV-safe word, or a counter's name for a sample", () => {
    const s = scenario({ name: "names", nodes: 1, duration: "1m", warmup: "0s", joinPhase: "1s", protocol: { name: "silent" } });
    const sim = new Simulation(s, silent, tempDir());
    expect(() => sim.counter("Leaf-set changes")).toThrow(/lowercase/);
    sim.counter("ticks");
    expect(() => sim.sample("ticks")).toThrow(/already a counter/);
  });
});
