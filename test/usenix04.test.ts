import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asSmokeTest } from "../analysis/claim-checks.js";
import { CLAIMS, checkClaims } from "../analysis/usenix04/claims.js";
import type { Experiment } from "../analysis/usenix04/experiment-data.js";
import { SECTIONS } from "../analysis/usenix04/sections.js";
import { prepareSweep } from "../sim/experiments/run-sweep.js";

const root = new URL("..", import.meta.url).pathname;
const folder = join(root, "scenarios/usenix04");
const files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();

describe("the USENIX'04 study files", () => {
  it("are one sweep per report section, each valid in full and quick form", () => {
    expect(files.map((f) => f.replace(/\.json$/, ""))).toEqual(SECTIONS.map((s) => s.id));
    for (const f of files) {
      expect(prepareSweep(join(folder, f)).runs.length).toBeGreaterThan(0);
      expect(prepareSweep(join(folder, f), true).runs.every((r) => r.document.nodes as number <= 1000)).toBe(true);
    }
  });

  it("say where every swept parameter comes from", () => {
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(folder, f), "utf8"));
      expect(doc.description.length, f).toBeGreaterThan(40);
      for (const key of Object.keys(doc.sweep.grid)) {
        const covered = Object.keys(doc.sources).some((s) => key === s || key.startsWith(`${s}.`));
        expect(covered, `${f}: no source for ${key}`).toBe(true);
      }
    }
  });

  it("share the paper's common setup: 1000 nodes, 1 Mbit/s links, the same workload", () => {
    const docs = files.map((f) => JSON.parse(readFileSync(join(folder, f), "utf8")));
    for (const d of docs) {
      expect(d.nodes).toBe(1000);
      expect(d.network.uplink).toBe("1Mbps");
      expect(d.workload).toEqual(docs[0].workload);
      expect([d.duration, d.warmup]).toEqual([docs[0].duration, docs[0].warmup]);
    }
  });

  it("give each run its own copy of a grid value, so a deeper path cannot leak into other runs", () => {
    const runs = prepareSweep(join(folder, "7b-session-shapes.json")).runs;
    const medians = runs.map((r) => `${(r.document.churn as any).sessions.distribution} ${(r.document.churn as any).sessions.median}`);
    expect(new Set(medians).size).toBe(9);
  });
});

/** A fake experiment: per-run values, replicate i with seed 100 + i at every point (designs share seeds). */
function experiment(id: string, runs: [Record<string, string>, string, number[]][]): Experiment {
  const params = [...new Set(runs.flatMap(([point]) => Object.keys(point)))];
  return {
    id,
    params,
    scenario: {},
    rows: [],
    runs: runs.flatMap(([point, metric, values]) => values.map((value, replicate) => ({ point, metric, replicate, seed: 100 + replicate, value }))),
  };
}

const churn = (tMed: string | null) => JSON.stringify(tMed === null ? { process: "none" } : { process: "replacement", tMed });
/** A run's protocol as its scenario.json holds it: every option, the periods not swept at their defaults. */
const pns = (technique: string, periods: { globalTuningPeriod?: string; localTuningPeriod?: string } = {}) => ({
  protocol: JSON.stringify({ name: "bamboo", pns: technique, globalTuningPeriod: "20s", localTuningPeriod: "10s", ...periods }),
});
/** Three seeds around `m`, `spread` apart. */
const around = (m: number, spread = 0) => [m - spread, m, m + spread];
const times = (xs: number[], k: number) => xs.map((x) => x * k);

type Case = "for" | "against" | "unsure";
type Data = Record<string, Experiment>;

/**
 * For each claim (by the start of its text), synthetic results on the claimed side of its threshold ("for"), on
 * the other side ("against"), and straddling it ("unsure").
 */
const CASES: Record<string, (c: Case) => Data> = {
  "At a 1.4-minute median session": (c) => ({
    "6-headline": experiment("6-headline", [[{ "churn.tMed": "1.4m" }, "consistent_fraction", { for: around(0.996, 0.001), against: around(0.96, 0.01), unsure: around(0.99, 0.01) }[c]]]),
  }),
  "There, Bamboo's maintenance traffic": (c) => ({
    "6-headline": experiment("6-headline", [[{ "churn.tMed": "1.4m" }, "maintenance_bytes_per_node_s", { for: around(610, 10), against: around(1010, 10), unsure: around(900, 100) }[c]]]),
  }),
  "Bamboo keeps at least 99% of lookups consistent at every": (c) => ({
    "2-dhts-under-churn": experiment("2-dhts-under-churn", [
      [{ "protocol.name": "bamboo", churn: churn("23.3m") }, "consistent_fraction", around(0.998, 0.001)],
      [{ "protocol.name": "bamboo", churn: churn("1.4m") }, "consistent_fraction", { for: around(0.996, 0.001), against: around(0.9, 0.01), unsure: around(0.99, 0.01) }[c]],
      // Another protocol's numbers do not count.
      [{ "protocol.name": "pastry", churn: churn("1.4m") }, "consistent_fraction", around(0.5, 0.01)],
    ]),
  }),
  "The reactive pastry baseline degrades": (c) => ({
    "2-dhts-under-churn": experiment("2-dhts-under-churn", [
      [{ "protocol.name": "bamboo", churn: churn("1.4m") }, "latency_mean_ms", around(400, 10)],
      [{ "protocol.name": "pastry", churn: churn("1.4m") }, "latency_mean_ms", { for: times(around(400, 10), 2), against: around(400, 10), unsure: [380, 500, 620] }[c]],
      [{ "protocol.name": "bamboo", churn: churn("1.4m") }, "consistent_fraction", around(0.99)],
      [{ "protocol.name": "pastry", churn: churn("1.4m") }, "consistent_fraction", around(0.99)],
      // Only the shortest sessions count: here pastry is far worse, which must not decide "against".
      [{ "protocol.name": "bamboo", churn: churn("23.3m") }, "latency_mean_ms", around(300, 10)],
      [{ "protocol.name": "pastry", churn: churn("23.3m") }, "latency_mean_ms", around(3000, 10)],
    ]),
  }),
  "Chord completes lookups under churn": (c) => ({
    "2-dhts-under-churn": experiment("2-dhts-under-churn", [
      [{ "protocol.name": "bamboo", churn: churn("1.4m") }, "latency_mean_ms", around(400, 10)],
      [{ "protocol.name": "chord", churn: churn("1.4m") }, "latency_mean_ms", { for: [900, 1000, 1100], against: [290, 300, 310], unsure: [300, 410, 570] }[c]],
      [{ "protocol.name": "chord", churn: churn("1.4m") }, "failed_fraction", around(0.01, 0.001)],
    ]),
  }),
  "Periodic recovery costs less": (c) => ({
    "3-recovery": experiment("3-recovery", [
      [{ "protocol.recovery": "periodic", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", around(500, 10)],
      [{ "protocol.recovery": "reactive", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", { for: around(700, 10), against: around(300, 10), unsure: [450, 520, 560] }[c]],
    ]),
  }),
  "Periodic recovery's bandwidth grows less": (c) => ({
    "3-recovery": experiment("3-recovery", [
      [{ "protocol.recovery": "periodic", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", around(500)],
      [{ "protocol.recovery": "periodic", churn: churn("46.7m") }, "maintenance_bytes_per_node_s", around(400)],
      [{ "protocol.recovery": "reactive", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", { for: around(900, 30), against: around(300, 30), unsure: [300, 375, 600] }[c]],
      [{ "protocol.recovery": "reactive", churn: churn("46.7m") }, "maintenance_bytes_per_node_s", around(300)],
      [{ "protocol.recovery": "reactive", churn: churn(null) }, "maintenance_bytes_per_node_s", around(100)],
    ]),
  }),
  "With limited access links, reactive recovery collapses": (c) => ({
    "7c-bandwidth": experiment("7c-bandwidth", [
      [{ "protocol.recovery": "periodic", "network.uplink": "16kbps" }, "latency_mean_ms", around(1000)],
      [{ "protocol.recovery": "reactive", "network.uplink": "16kbps" }, "latency_mean_ms", { for: around(3000, 100), against: around(1000, 50), unsure: [1500, 2000, 2600] }[c]],
      // A wider link where reactive does collapse: the claim is tested at the narrowest, not at whichever suits it.
      [{ "protocol.recovery": "periodic", "network.uplink": "1Mbps" }, "latency_mean_ms", around(300)],
      [{ "protocol.recovery": "reactive", "network.uplink": "1Mbps" }, "latency_mean_ms", around(900)],
    ]),
  }),
  "Past the paper: a per-message processing cost": (c) => ({
    "7d-processing": experiment("7d-processing", [
      [{ "protocol.recovery": "periodic", "network.processing": "60ms" }, "latency_mean_ms", around(1000)],
      [{ "protocol.recovery": "reactive", "network.processing": "60ms" }, "latency_mean_ms", { for: around(3000, 100), against: around(1100, 50), unsure: [1500, 2000, 2600] }[c]],
      // The largest processing time decides, whatever a smaller one shows.
      [{ "protocol.recovery": "periodic", "network.processing": "0ms" }, "latency_mean_ms", around(300)],
      [{ "protocol.recovery": "reactive", "network.processing": "0ms" }, "latency_mean_ms", { for: around(300), against: around(900), unsure: around(300) }[c]],
    ]),
  }),
  "TCP-style timeouts give lower": (c) => ({
    "4-timeouts": experiment("4-timeouts", [
      [{ "protocol.timeouts": "tcp", churn: churn("1.4m") }, "latency_mean_ms", around(400, 10)],
      [{ "protocol.timeouts": "fixed", churn: churn("1.4m") }, "latency_mean_ms", { for: around(900, 10), against: around(300, 10), unsure: [350, 420, 450] }[c]],
    ]),
  }),
  "Virtual-coordinate timeouts do about as well": (c) => ({
    "4-timeouts": experiment("4-timeouts", [
      [{ "protocol.timeouts": "tcp", churn: churn("1.4m") }, "latency_mean_ms", around(400)],
      [{ "protocol.timeouts": "vivaldi", churn: churn("1.4m") }, "latency_mean_ms", { for: around(420, 10), against: around(600, 10), unsure: [440, 500, 560] }[c]],
    ]),
  }),
  "Proximity neighbour selection lowers": (c) => ({
    "5-pns": experiment("5-pns", [
      [pns("off"), "latency_mean_ms", around(500)],
      [pns("both", { globalTuningPeriod: "20s", localTuningPeriod: "20s" }), "latency_mean_ms", { for: around(350, 10), against: around(500, 10), unsure: [400, 450, 500] }[c]],
      // A better technique elsewhere does not decide the claim.
      [pns("all", { globalTuningPeriod: "5s", localTuningPeriod: "5s" }), "latency_mean_ms", around(200)],
    ]),
  }),
  "Global sampling alone gives most": (c) => ({
    "5-pns": experiment("5-pns", [
      [pns("off"), "latency_mean_ms", around(500)],
      [pns("both", { globalTuningPeriod: "20s", localTuningPeriod: "20s" }), "latency_mean_ms", around(300)],
      [pns("global", { globalTuningPeriod: "80s" }), "latency_mean_ms", { for: around(350, 5), against: around(480, 5), unsure: [360, 400, 440] }[c]],
    ]),
  }),
  "Maintenance bandwidth grows slowly": (c) => ({
    "7a-scale": experiment("7a-scale", [
      [{ nodes: "1000", "churn.tMed": "23.3m" }, "maintenance_bytes_per_node_s", around(300)],
      [{ nodes: "10000", "churn.tMed": "23.3m" }, "maintenance_bytes_per_node_s", around(390, 3)],
      [{ nodes: "1000", "churn.tMed": "1.4m" }, "maintenance_bytes_per_node_s", around(600)],
      // Only the harshest churn differs between the cases: both levels are checked.
      [{ nodes: "10000", "churn.tMed": "1.4m" }, "maintenance_bytes_per_node_s", { for: around(800, 10), against: around(1800, 10), unsure: [900, 1200, 1500] }[c]],
    ]),
  }),
  "The conclusions survive heavy-tailed sessions": (c) => ({
    "7b-session-shapes": experiment("7b-session-shapes", [
      [{ "churn.sessions": JSON.stringify({ distribution: "exponential" }), "churn.sessions.median": "1.4m" }, "consistent_fraction", around(0.997, 0.001)],
      [{ "churn.sessions": JSON.stringify({ distribution: "pareto", alpha: 1.1 }), "churn.sessions.median": "1.4m" }, "consistent_fraction", { for: around(0.996, 0.001), against: around(0.95, 0.01), unsure: around(0.99, 0.01) }[c]],
    ]),
  }),
};

describe("the claims table", () => {
  it("has a test for every claim", () => {
    for (const c of CLAIMS) expect(Object.keys(CASES).filter((k) => c.claim.startsWith(k)), c.claim).toHaveLength(1);
    expect(Object.keys(CASES)).toHaveLength(CLAIMS.length);
  });

  for (const [start, build] of Object.entries(CASES)) {
    it(`"${start}…": supported, not supported or inconclusive as the paired interval lies`, () => {
      const verdictOf = (c: Case) => {
        const found = checkClaims(build(c)).find((r) => r.claim.startsWith(start));
        expect(found?.evidence, start).not.toMatch(/^not measured/);
        return found?.verdict;
      };
      expect(verdictOf("for")).toBe("supported");
      expect(verdictOf("against")).toBe("not supported");
      expect(verdictOf("unsure")).toBe("inconclusive");
    });
  }

  it("gives no verdict from one seed, and prints no interval from it", () => {
    const one = { "6-headline": experiment("6-headline", [[{ "churn.tMed": "1.4m" }, "consistent_fraction", [0.999]]]) };
    const r = checkClaims(one).find((c) => c.claim.startsWith("At a 1.4-minute"));
    expect(r?.verdict).toBe("inconclusive");
    expect(r?.evidence).toContain("1 seed, no interval");
    expect(r?.evidence).not.toContain("CI");
  });

  it("pairs designs seed by seed: a difference hidden by the spread across seeds is found", () => {
    // Reactive costs exactly 20 more at every seed, while seeds differ by 300: unpaired means could not tell.
    const e = experiment("3-recovery", [
      [{ "protocol.recovery": "periodic", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", [200, 500, 800]],
      [{ "protocol.recovery": "reactive", churn: churn("1.4m") }, "maintenance_bytes_per_node_s", [220, 520, 820]],
    ]);
    const r = checkClaims({ "3-recovery": e }).find((c) => c.claim.startsWith("Periodic recovery costs less"));
    expect(r?.verdict).toBe("supported");
    expect(r?.evidence).toContain("+20 bytes/s per node (95% CI +20 to +20, 3 seeds)");
  });

  it("turns every verdict of a quick run into a smoke test", () => {
    const results = asSmokeTest(checkClaims(CASES["At a 1.4-minute median session"]("for")));
    expect(results.find((c) => c.claim.startsWith("At a 1.4-minute"))?.verdict).toBe("smoke test");
    expect(new Set(results.map((c) => c.verdict))).toEqual(new Set(["smoke test", "no data"]));
  });

  it("says no data, with what is missing, for experiments not run", () => {
    const results = checkClaims({});
    expect(results.every((c) => c.verdict === "no data")).toBe(true);
    expect(results[0].evidence).toMatch(/^not measured: /);
  });
});
