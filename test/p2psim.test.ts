import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../protocols/index.js";
import type { Summary } from "../sim/metrics/metrics.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { InputError } from "../sim/scenario/errors.js";
import { parseScenario } from "../sim/scenario/load-scenario.js";
import { checkProtocolOptions } from "../sim/scenario/protocol-options.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { run, scenario, tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const p2psim = (file: string) => JSON.parse(readFileSync(join(root, "scenarios", file), "utf8")) as Record<string, any>;

/** A p2psim scenario without churn, from converged tables, lookups from the first minute: every lookup counts. */
function convergedWithoutChurn(file: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...doc } = p2psim(file);
  return { ...doc, start: "converged", joinPhase: "1m", warmup: "1m", churn: { process: "none" }, ...overrides };
}

/** Lookups of the first window (from the first minute) and their consistent fraction, from timeseries.csv. */
function firstWindow(read: (file: string) => string): { lookups: number; consistent: number } {
  const [, row] = read("timeseries.csv").trim().split("\n");
  const cells = row.split(",");
  return { lookups: Number(cells[5]), consistent: Number(cells[8]) };
}

// Whole runs of 1,024 nodes: on a loaded machine they take minutes rather than seconds.
describe("converged start (p2psim's initstate)", () => {
  it("Chord at p2psim's 144 s timers, without churn, returns the true owner for at least 99.9% of lookups from the first minute", () => {
    const timers = { stabilize: "144s", fixFingers: "144s", checkPredecessor: "144s" };
    const doc = p2psim("p2psim-chord.json");
    const { summary, read } = run(
      convergedWithoutChurn("p2psim-chord.json", { duration: "20m", workload: { ...doc.workload, lookupInterval: "1m" }, protocol: { ...doc.protocol, ...timers } }),
    );
    const first = firstWindow(read);
    console.log(`chord, converged start, 1,024 nodes, 144 s timers: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, first window ${first.consistent}`);
    expect(summary.lookups).toBeGreaterThan(15_000);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    expect(summary.failed_fraction).toBe(0);
    // From the first minute, before one stabilisation period has passed at any node.
    expect(first.lookups).toBeGreaterThan(5000);
    expect(first.consistent).toBeGreaterThanOrEqual(0.999);
    // Every node started at time 0, already in the ring: no join traffic.
    expect(summary.bytes_per_node_s_by_category.join).toBeUndefined();
  }, 300_000);

  it("Chord joining at the same timers is far from that in its first minutes (what the converged start skips)", () => {
    const timers = { stabilize: "144s", fixFingers: "144s", checkPredecessor: "144s" };
    const doc = p2psim("p2psim-chord.json");
    const { read } = run(
      convergedWithoutChurn("p2psim-chord.json", { start: "join", duration: "12m", workload: { ...doc.workload, lookupInterval: "1m" }, protocol: { ...doc.protocol, ...timers } }),
    );
    expect(firstWindow(read).consistent).toBeLessThan(0.99);
  }, 300_000);

  it("Kademlia (p2psim's setting), without churn, returns the true owner for at least 99.9% of lookups from the first minute", () => {
    const { summary, read } = run(
      convergedWithoutChurn("p2psim-kademlia.json", {
        nodes: 256,
        duration: "11m",
        workload: { lookupInterval: "15s", lookupTimeout: "60s", probeSize: 0 },
        network: { ...p2psim("p2psim-kademlia.json").network, latency: { model: "synthetic", hosts: 256 } },
      }),
    );
    const first = firstWindow(read);
    console.log(`kademlia, converged start, 256 nodes: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, first window ${first.consistent}`);
    expect(summary.lookups).toBeGreaterThan(8000);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    expect(first.consistent).toBeGreaterThanOrEqual(0.999);
    expect(summary.bytes_per_node_s_by_category.join).toBeUndefined();
  }, 300_000);

  it("lets nodes that arrive under churn join as usual, and gives the same run for the same seed", () => {
    const doc = {
      name: "converged-churn",
      nodes: 200,
      start: "converged",
      joinPhase: "1m",
      duration: "20m",
      warmup: "5m",
      churn: { process: "lifetime", sessions: { distribution: "exponential", median: "5m" }, downtime: { distribution: "exponential", median: "5m" } },
      workload: { lookupInterval: "1m" },
      protocol: { name: "chord", stabilize: "10s", fixFingers: "10s", checkPredecessor: "10s", timeouts: "oracle" },
    };
    const a = run(doc);
    const b = run(doc);
    expect(a.read("lookups.csv")).toBe(b.read("lookups.csv"));
    expect(a.read("timeseries.csv")).toBe(b.read("timeseries.csv"));
    // Returning nodes join through a bootstrap node: join traffic, and the ring still finds owners.
    expect(a.summary.bytes_per_node_s_by_category.join?.sent ?? 0).toBeGreaterThan(0);
    expect(a.summary.consistent_fraction).toBeGreaterThan(0.95);
  }, 300_000);

  it("is a scenario error, naming the field, for a protocol without it, with trace churn or with a storage section", () => {
    const base = { name: "x", nodes: 10, start: "converged" };
    const reason = (doc: Record<string, unknown>) => {
      try {
        scenario(doc);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(reason({ ...base, protocol: { name: "bamboo" } })).toBe('test-scenario.json: /start: protocol "bamboo" cannot start from converged tables; expected "join"');
    expect(reason({ ...base, protocol: { name: "chord" }, churn: { process: "trace", file: "t.csv" } })).toMatch(/^test-scenario\.json: \/start: a trace brings its own arrivals/);
    expect(reason({ ...base, protocol: { name: "chord" }, storage: { replication: "dhash" } })).toMatch(/^test-scenario\.json: \/start: not offered with a storage section/);
    expect(reason({ ...base, protocol: { name: "chord" }, start: "warm" })).toBe('test-scenario.json: /start: expected one of "join", "converged"');
    expect(reason({ ...base, protocol: { name: "kademlia" } })).toBe("accepted");
    // Absent, it stays absent from scenario.json, as before the field existed.
    expect(scenario({ name: "x", protocol: { name: "chord" } }).document).not.toHaveProperty("start");
  });

  it("exits with status 2 on the command line", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", "scenarios/kazaa.json", "--set", "start=converged", "--out", join(tempDir(), "out")], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/start: protocol "bamboo" cannot start from converged tables; expected "join"');
  });
});

/**
 * A single node owns every key; its lookups of a key fail (report no owner, 10 ms after the ask) the first
 * `failures` times and then answer with itself, so p2psim's retries can be followed attempt by attempt.
 */
function flaky(failures: number): ProtocolDefinition<Record<string, never>> {
  return {
    name: "flaky",
    description: "test double",
    ownership: "ring",
    optionsSchema: { type: "object", additionalProperties: false },
    parseOptions: () => ({}),
    create: (rt) => {
      const asked = new Map<string, number>();
      return {
        join: () => rt.reportJoined(),
        receive: () => {},
        lookup: (key, handle) => {
          const n = asked.get(key) ?? 0;
          asked.set(key, n + 1);
          rt.setTimer(10, () => rt.reportLookup(handle, n < failures ? null : rt.id, 1));
        },
      };
    },
  };
}

function runWith(protocol: ProtocolDefinition<any, any>, doc: Record<string, unknown>): { summary: Summary; lookups: string[][] } {
  const registry = { ...PROTOCOLS, [protocol.name]: protocol };
  const s = parseScenario({ ...doc, protocol: { name: protocol.name } }, "test.json", {}, (name, options) => checkProtocolOptions(registry, name, options));
  const dir = tempDir();
  const summary = new Simulation(s, protocol, dir, { check: true }).run();
  // Lookups started in the last 5 s may have been cut short by the end of the run (no retry starts after it).
  const lookups = readFileSync(join(dir, "lookups.csv"), "utf8").trim().split("\n").map((l) => l.split(","))
    .filter((row, i) => i === 0 || Number(row[0]) < s.durationMs - 5000);
  return { summary, lookups };
}

describe("p2psim's retried lookups and latency to the owner", () => {
  const doc = { name: "retries", nodes: 1, joinPhase: "0s", warmup: "0s", duration: "10m", workload: { lookupInterval: "10s", probeSize: 0 } };
  const retry = { every: "100ms", until: "4s" };

  it("asks a failed lookup again every 100 ms, and counts it correct once an attempt is", () => {
    const { summary, lookups } = runWith(flaky(2), { ...doc, workload: { ...doc.workload, retry } });
    const [header, ...rows] = lookups;
    expect(header.slice(-2)).toEqual(["attempts", "latency_to_owner_ms"]);
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) {
      expect(row[11]).toBe("3");
      // Three attempts of 10 ms and two waits of 100 ms; the owner is the source, so no return leg to subtract.
      expect(Number(row[7])).toBeCloseTo(230, 6);
      expect(Number(row[12])).toBeCloseTo(230, 6);
      expect(row[10]).toBe("1");
    }
    expect(summary.consistent_fraction).toBe(1);
    expect(summary.p2psim).toMatchObject({ retry_every_ms: 100, retry_until_ms: 4000, correct_fraction: 1, failed_fraction: 0, attempts_mean: 3, retried_fraction: 1 });
    expect(summary.p2psim?.latency_to_owner_ms.p50).toBeCloseTo(230, 6);
  });

  it("gives up when no retry may start within 4 s of the lookup's start, and counts the lookup failed", () => {
    const { summary, lookups } = runWith(flaky(1000), { ...doc, workload: { ...doc.workload, retry } });
    const rows = lookups.slice(1);
    // Attempts start at 0, 110, 220, … ms: the last at 3,960 ms, the 37th.
    for (const row of rows) {
      expect(row[11]).toBe("37");
      expect(row[8]).toBe("failed");
      expect(row[12]).toBe("");
    }
    expect(summary.p2psim?.correct_fraction).toBe(0);
    expect(summary.p2psim?.latency_to_owner_ms.mean).toBeNull();
  });

  it("without the option, asks once and adds nothing to lookups.csv or summary.json", () => {
    const { summary, lookups } = runWith(flaky(2), doc);
    expect(lookups[0]).toEqual(["start_ms", "end_ms", "source", "key", "owner", "oracle_owner", "hops", "latency_ms", "status", "probe_group", "consistent"]);
    expect(summary.failed_fraction).toBeGreaterThan(0.6);
    expect(summary).not.toHaveProperty("p2psim");
  });

  it("measures Chord's latency to the owner as its latency less the owner's one-way delay back", () => {
    const { summary, read } = run({
      name: "to-owner",
      nodes: 100,
      start: "converged",
      joinPhase: "0s",
      warmup: "0s",
      duration: "5m",
      workload: { lookupInterval: "10s", probeSize: 0, retry },
      protocol: { name: "chord", stabilize: "10s", timeouts: "oracle" },
    });
    const p = summary.p2psim!;
    expect(p.correct_fraction).toBe(1);
    expect(p.latency_ms.mean).toBeCloseTo(summary.latency_ms.mean!, 6);
    expect(p.latency_to_owner_ms.mean!).toBeLessThan(p.latency_ms.mean!);
    expect(p.latency_to_owner_ms.mean!).toBeGreaterThan(0);
    // Row by row: the owner's one-way delay is half the direct round trip, never more than the latency.
    const rows = read("lookups.csv").trim().split("\n").slice(1).map((l) => l.split(","));
    for (const row of rows) expect(Number(row[12])).toBeLessThanOrEqual(Number(row[7]));
    expect(rows.some((row) => Number(row[12]) < Number(row[7]))).toBe(true);
  });

  it("rejects a retry period that is not positive, naming the field", () => {
    expect(() => scenario({ name: "x", protocol: { name: "chord" }, workload: { retry: { every: "0s", until: "4s" } } })).toThrow(
      "test-scenario.json: /workload/retry/every: expected a duration greater than zero",
    );
    expect(() => scenario({ name: "x", protocol: { name: "chord" }, workload: { retry: { every: "100ms" } } })).toThrow('/workload/retry: missing required key "until"');
  });
});
