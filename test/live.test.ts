import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLiveScenario } from "../live/live-scenario.js";
import type { LiveSession } from "../live/live-session.js";
import { runLive } from "../live/live-run.js";
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

/** UDP sockets this process holds open, as Node counts its handles. */
const udpHandles = () => process.getActiveResourcesInfo().filter((r) => r === "UDPWrap").length;

describe("a live run on UDP sockets", () => {
  it("runs Bamboo's own code on the loopback address: lookups find the true owner, the usual files and the live ones are written, and nothing stays open", async () => {
    const s = scenario({ ...SHORT, protocol: { name: "bamboo" } });
    const dir = join(tempDir(), "run");
    let session: LiveSession | null = null;
    const before = udpHandles();
    const { summary } = await runLive(s, PROTOCOLS.bamboo, dir, { onSession: (x) => (session = x) });
    const live = summary as unknown as Record<string, number>;
    console.log(
      `live bamboo 30 nodes: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, latency p50 ${summary.latency_ms.p50} ms, ` +
        `${live.live_datagrams_sent} datagrams, process CPU ${live.live_process_cpu_s} s, loop lag p99 ${live.live_loop_lag_ms_p99} ms, wall ${summary.wall_s.toFixed(1)} s`,
    );
    // It took the scenario's time on the wall clock, not a simulator's fraction of it.
    expect(summary.wall_s).toBeGreaterThanOrEqual(30);
    expect(summary.lookups).toBeGreaterThan(100);
    expect(summary.consistent_fraction).toBeGreaterThan(0.95);
    // Latency includes the modelled one-way delays: King-like medians are tens of ms per hop.
    expect(summary.latency_ms.p50).toBeGreaterThan(20);
    expect(live.live_datagrams_sent).toBeGreaterThan(1000);
    expect(live.live_datagrams_received).toBeGreaterThan(0.99 * live.live_datagrams_sent);
    for (const file of ["summary.json", "scenario.json", "lookups.csv", "wire.csv", "cpu.csv"]) expect(readFileSync(join(dir, file), "utf8").length).toBeGreaterThan(0);
    const wire = readFileSync(join(dir, "wire.csv"), "utf8").trim().split("\n");
    expect(wire[0]).toBe("message_type,messages,declared_bytes_mean,encoded_bytes_mean,encoded_over_declared");
    expect(wire.slice(1).map((l) => l.split(",")[0])).toEqual(expect.arrayContaining(["route", "ack", "leafset", "ping", "pong"]));
    expect((session as unknown as LiveSession).openHandles).toEqual({ timers: 0, sockets: 0 });
    // The system finishes closing a socket a moment after Node reports it closed.
    for (let i = 0; i < 100 && udpHandles() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(udpHandles()).toBe(before);
  }, 120_000);

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
