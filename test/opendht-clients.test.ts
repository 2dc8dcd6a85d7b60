import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../protocols/index.js";
import { RootAdmission } from "../service/admission/root-admission.js";
import { createAdmission } from "../service/admission/algorithms.js";
import { spaceTimeLimits } from "../service/admission/space-time-limits.js";
import type { ClientsSummary } from "../sim/metrics/client-metrics.js";
import { usFromMs } from "../sim/engine/sim-time.js";
import { layersFor } from "../sim/experiments/layers.js";
import type { AdmissionVerdict, NodeRuntime } from "../sim/runtime/index.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { run, scenario, tempDir } from "./helpers.js";

/**
 * OpenDHT's clients and fair admission at the roots of a running DHT: 10 static Bamboo nodes whose roots can take
 * about 10 KB/s of 2-minute puts in all (1 KB/s each); ten light clients ask 2 KB/s, one greedy client 20 KB/s.
 */
function overuse(algorithm: string) {
  return {
    name: "overuse",
    nodes: 10,
    duration: "5m",
    warmup: "2m",
    joinPhase: "1m",
    churn: { process: "none" },
    workload: { lookupInterval: "60s" },
    protocol: { name: "bamboo" },
    storage: {
      replication: "bamboo",
      maxTtl: "2m",
      admission: { algorithm },
      clients: {
        groups: [
          { name: "light", count: 10, putInterval: "5s", getInterval: "10s", ttl: "2m" },
          { name: "greedy", count: 1, putInterval: "50ms", ttl: "2m" },
        ],
      },
      workload: { ttl: "2m", removeFraction: 0 },
    },
  };
}

const clientsOf = (summary: { storage?: { clients?: ClientsSummary } }) => summary.storage?.clients as ClientsSummary;

describe("clients through gateways, with admission control at the roots", () => {
  it("fair queueing on space-time gives light clients all they ask and holds the greedy one to the rest", () => {
    const r = run(overuse("fairSpaceTime"));
    const { light, greedy } = clientsOf(r.summary).groups;
    // Not quite all: the virtual clock counts a light client as above its share for a while after a put of its
    // was served, and a refusal then is CAP (94% measured here; 99.2% at 40 nodes in scenarios/opendht-overuse.json).
    expect(light.put_ok_fraction).toBeGreaterThan(0.9);
    expect(light.get_complete_fraction).toBeGreaterThan(0.95);
    expect(greedy.put_ok_fraction).toBeLessThan(0.7);
    expect(greedy.put_cap_fraction).toBeGreaterThan(0.3);
    // The greedy client gets what the light ones leave: well above their share, and the roots are kept busy.
    expect(greedy.accepted_per_client_s).toBeGreaterThan(4);
    expect(clientsOf(r.summary).max_min_deviation).toBeLessThan(0.15);
    // One row per client per window; every put of a row has exactly one outcome.
    const rows = r.read("clients.csv").trim().split("\n");
    expect(rows[0]).toBe("time_s,client,group,gateway,puts,puts_ok,puts_again,puts_cap,puts_failed,puts_timeout,bytes_accepted,space_time_accepted_byte_s,stored_bytes,gets,gets_complete");
    expect(rows.length - 1).toBe(11 * 5);
    for (const row of rows.slice(1)) {
      const c = row.split(",");
      expect(Number(c[4])).toBe(Number(c[5]) + Number(c[6]) + Number(c[7]) + Number(c[8]) + Number(c[9]));
    }
  });

  it("the 2004 simulator's random control lets the greedy client crowd the light ones out; no admission accepts all", () => {
    const randomRun = clientsOf(run(overuse("random")).summary);
    const random = randomRun.groups;
    expect(random.light.put_ok_fraction).toBeLessThan(0.8);
    expect(randomRun.max_min_deviation).toBeGreaterThan(0.3);
    const none = clientsOf(run({ ...overuse("none"), duration: "3m" }).summary).groups;
    expect(none.light.put_ok_fraction).toBe(1);
    expect(none.greedy.put_ok_fraction).toBe(1);
  });

  it("lets every client operation end, all its tries included, however long its tries outlast the workload's timeout", () => {
    // AGAIN is frequent when a root frees a 1-KB put's room only every 4 s; clients wait 40 s before trying again.
    const doc = overuse("fairSpaceTime");
    doc.storage.admission = { algorithm: "fairSpaceTime", rate: "256B" } as never;
    Object.assign(doc.storage.clients, { againDelay: "40s", attempts: 3 });
    const { light } = clientsOf(run({ ...doc, duration: "4m" }).summary).groups;
    expect(light.put_again_fraction).toBeGreaterThan(0);
  });

  it("writes byte-identical client rows for the same scenario and seed", () => {
    const doc = { ...overuse("fairSpaceTime"), duration: "3m" };
    expect(run(doc).read("clients.csv")).toBe(run(doc).read("clients.csv"));
  });

  it("a client whose gateway departs hears nothing, moves to another gateway after gatewayTimeout, and its puts get through", () => {
    const s = scenario({
      name: "failover",
      nodes: 12,
      duration: "5m",
      warmup: "1m",
      joinPhase: "1m",
      churn: { process: "none" },
      workload: { lookupInterval: "60s" },
      protocol: { name: "bamboo" },
      storage: {
        replication: "bamboo",
        clients: { gateway: "random", gatewayTimeout: "5s", groups: [{ name: "one", count: 1, putInterval: "2s", getInterval: "4s" }] },
      },
    });
    const dir = tempDir();
    const sim = new Simulation(s, PROTOCOLS.bamboo, dir, { check: true, ...layersFor(s) });
    const client = sim.storage?.clients?.clients[0];
    sim.scheduler.schedule(usFromMs(150_000), () => sim.kill(client?.gateway as number, false));
    const summary = sim.run();
    const one = clientsOf(summary).groups.one;
    expect(one.put_ok_fraction).toBe(1);
    expect(one.get_complete_fraction).toBe(1);
    const gateways = new Set(readFileSync(join(dir, "clients.csv"), "utf8").trim().split("\n").slice(1).map((row) => row.split(",")[3]));
    expect(gateways.size).toBe(2);
  });
});

describe("a root's admission control on the node's clock", () => {
  /** A runtime with only a clock and timers, run by hand. */
  function clock() {
    let now = 0;
    const timers: { at: number; fn: (a: any) => void; arg: unknown; handle: number }[] = [];
    let next = 0;
    const rt = {
      now: () => now,
      setTimer: (ms: number, fn: (a: any) => void, arg?: unknown) => {
        timers.push({ at: now + ms, fn, arg, handle: next });
        return next++;
      },
      cancelTimer: (h: number) => {
        const i = timers.findIndex((t) => t.handle === h);
        if (i >= 0) timers.splice(i, 1);
      },
    } as unknown as NodeRuntime;
    const runUntil = (ms: number) => {
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.handle - b.handle);
        const t = timers[0];
        if (t === undefined || t.at > ms) break;
        timers.shift();
        now = t.at;
        t.fn(t.arg);
      }
      now = ms;
    };
    return { rt, runUntil };
  }

  it("passes on the verdicts a queueing algorithm gives at the end of its period, each exactly once", () => {
    const { rt, runUntil } = clock();
    const limits = spaceTimeLimits({ rateBytesPerS: 100, maxTtlS: 60, maxSizeBytes: 1000 });
    const admission = new RootAdmission(rt, createAdmission("fairSpaceTime", { next: () => 0.5 } as never, { periodS: 1, limits }));
    const verdicts: AdmissionVerdict[][] = [[], [], []];
    // Room for 7,000 byte-seconds... of 1,000-byte puts for 60 s: one fits now, the others must wait.
    for (const [i, client] of [3, 4, 4].entries()) admission.offer(client, 1000, 60_000, (v) => verdicts[i].push(v));
    expect(verdicts.flat()).toEqual([]);
    runUntil(1000);
    expect(verdicts.map((v) => v.length)).toEqual([1, 1, 1]);
    expect(verdicts[0]).toEqual(["ok"]);
    expect(verdicts.flat().filter((v) => v === "ok").length).toBeLessThan(3);
    runUntil(10_000);
    expect(verdicts.map((v) => v.length)).toEqual([1, 1, 1]);
  });
});
