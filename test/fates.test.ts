import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { scenario, silent, tempDir } from "./helpers.js";

const N = 60;
const exponential = { distribution: "exponential", median: "3m" };

/** A trace of N nodes that join at once, then each leaves and returns, twice, at staggered times. */
function traceFile(): string {
  const dir = tempDir();
  const lines = ["time,node,event"];
  for (let i = 0; i < N; i++) lines.push(`0,n${i},join`);
  for (const [leave, join] of [[90, 150], [240, 300]]) {
    for (let i = 0; i < N; i++) lines.push(`${leave + i},n${i},leave`);
    for (let i = 0; i < N; i++) lines.push(`${join + i},n${i},join`);
  }
  writeFileSync(join(dir, "trace.csv"), `${lines.sort((a, b) => Number(a.split(",")[0]) - Number(b.split(",")[0]) || 0).join("\n")}\n`);
  return join(dir, "trace.csv");
}

const CHURN = {
  replacement: () => ({ process: "replacement", tMed: "3m" }),
  lifetime: () => ({ process: "lifetime", sessions: exponential }),
  "lifetime with downtime": () => ({ process: "lifetime", sessions: exponential, downtime: exponential }),
  trace: () => ({ process: "trace", file: traceFile() }),
} as const;

/** Runs to the end under --check; returns the simulation, to read its population. */
function runToEnd(churn: unknown, faults: unknown[], protocol: ProtocolDefinition<any> = silent): Simulation {
  const s = scenario({
    name: "fates",
    nodes: N,
    duration: "8m",
    warmup: "1m",
    joinPhase: "30s",
    churn,
    faults,
    workload: { lookupInterval: "10s", probeSize: 0 },
    protocol: { name: "silent" },
  });
  const sim = new Simulation(s, protocol, tempDir(), { check: true });
  sim.run();
  return sim;
}

describe("one owner of each node's fate", () => {
  for (const [name, churn] of Object.entries(CHURN)) {
    it(`${name} churn: a mass failure's victims never return, and nothing is replaced twice`, () => {
      // 40% fail at 2 min and stay gone: churn keeps its own rhythm among the rest but brings none of them back.
      const gone = runToEnd(churn(), [{ type: "mass-failure", at: "2m", fraction: 0.4 }]);
      const failed = Array.from({ length: N }, (_, a) => gone.node(a)).filter((n) => n.retired && n.label.includes("/") === (name === "trace"));
      // Under the replacement process every departure retires its node; count only the fault's victims there.
      const victims = name === "replacement" || name === "lifetime" ? Math.round(0.4 * N) : failed.length;
      expect(victims).toBeGreaterThan(0);
      if (name === "replacement" || name === "lifetime") expect(gone.liveNodes).toBe(N - victims);
      else expect(gone.liveNodes).toBeLessThanOrEqual(N - victims);
      // With replacements, the population is back to N at most (--check fails a run that exceeds it).
      const replaced = runToEnd(churn(), [{ type: "mass-failure", at: "2m", fraction: 0.4, replaceAfter: "10s" }]);
      if (name === "replacement" || name === "lifetime") expect(replaced.liveNodes).toBe(N);
      else expect(replaced.liveNodes).toBeLessThanOrEqual(N);
    });
  }

  it("nodes started by a fault's replacement churn like every other node", () => {
    const sim = runToEnd(CHURN.lifetime(), [{ type: "mass-failure", at: "1m", fraction: 1, replaceAfter: "1s" }]);
    // Every original node failed at 1 min; with 3 min median sessions, most replacements have departed by 8 min.
    const replacements = Array.from({ length: N }, (_, i) => sim.node(N + i));
    expect(replacements.filter((n) => !n.alive).length).toBeGreaterThan(N / 2);
  });
});

describe("every incarnation its own random stream", () => {
  it("a node that returns draws different numbers from its last session, and the same seed the same ones", () => {
    const draws = () => {
      const firstDraw = new Map<string, number[]>();
      const recorder: ProtocolDefinition<Record<string, never>> = {
        ...silent,
        create: (rt, options) => {
          const key = String(rt.address);
          firstDraw.set(key, [...(firstDraw.get(key) ?? []), rt.random.next()]);
          return silent.create(rt, options);
        },
      };
      runToEnd(CHURN["lifetime with downtime"](), [], recorder);
      return firstDraw;
    };
    const first = draws();
    const returned = [...first.values()].filter((d) => d.length > 1);
    expect(returned.length).toBeGreaterThan(10);
    for (const d of returned) expect(new Set(d).size).toBe(d.length);
    expect([...draws().entries()]).toEqual([...first.entries()]);
  });
});

describe("heavy-tailed sessions", () => {
  it("a session longer than the clock can count (Pareto, α near 1) means the node never departs, not a crash", () => {
    const sim = runToEnd({ process: "lifetime", sessions: { distribution: "pareto", alpha: 1.01, median: "10m" } }, []);
    expect(sim.liveNodes).toBe(N);
  });
});
