import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALGORITHM, checkClaims, churnName, GET_LATENCY, GET_MODE, OVERUSE, PNS, REDIR, REDIR_LEVELS, REDIR_TTL } from "../analysis/opendht/claims.js";
import { type ClientGroupRun, groupValues, readStudyExperiment, type StudyData, type SweepData } from "../analysis/opendht/data.js";
import type { RunValue } from "../analysis/paired.js";
import { prepareSweep } from "../sim/experiments/run-sweep.js";
import { InputError } from "../sim/scenario/errors.js";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const folder = join(root, "scenarios/opendht");

/** Churn values as runs.csv spells them: the grid's objects with the scenario's defaults filled in. */
const NONE = JSON.stringify({ process: "none", shape: "exponential", format: "csv" });
const KAZAA = JSON.stringify({ process: "replacement", preset: "kazaa", shape: "exponential", format: "csv" });
const ALGORITHMS = ["none", "fairSpaceTime", "openDht", "random"];

/** A value per replicate; a single number stands for three replicates that agree. */
type Values = number | number[];
const replicates = (v: Values) => (typeof v === "number" ? [v, v, v] : v);

function sweep(id: string, params: string[], runs: RunValue[], clientGroups: ClientGroupRun[] = []): SweepData {
  return { id, params, rows: [], runs, scenario: {}, clientGroups };
}

/**
 * Fake runs of experiment 2: `metric(algorithm, churn)` gives each metric's values per replicate, `group` each
 * client group's put_ok_fraction. Every algorithm of a churn level has the same seeds, as the sweep's design axis gives.
 */
function overuse(metric: (algorithm: string, churn: string, m: string) => Values, group: (algorithm: string, churn: string, g: string) => Values = () => 1): StudyData {
  const runs: RunValue[] = [];
  const groups: ClientGroupRun[] = [];
  for (const churn of [NONE, KAZAA]) {
    for (const algorithm of ALGORITHMS) {
      const point = { [ALGORITHM]: algorithm, churn };
      for (let replicate = 0; replicate < 3; replicate++) {
        const seed = (churn === NONE ? 100 : 200) + replicate;
        for (const m of ["clients_max_min_deviation", "clients_put_ok_fraction"]) runs.push({ point, replicate, seed, metric: m, value: replicates(metric(algorithm, churnName(churn), m))[replicate] });
        groups.push({ point, seed, replicate, groups: Object.fromEntries(["light", "greedy"].map((g) => [g, { put_ok_fraction: replicates(group(algorithm, churnName(churn), g))[replicate] }])) });
      }
    }
  }
  return { [OVERUSE]: sweep(OVERUSE, ["churn", ALGORITHM], runs, groups) };
}

/** Fake runs of experiment 3: the correct fraction per TTL and levels, per replicate; every point has the same seeds. */
function redir(correct: (ttl: string, levels: string) => Values): StudyData {
  const runs: RunValue[] = [];
  for (const ttl of ["30s", "1m", "5m"]) {
    for (const levels of ["2", "4"]) {
      for (let replicate = 0; replicate < 3; replicate++) {
        runs.push({ point: { [REDIR_TTL]: ttl, [REDIR_LEVELS]: levels }, replicate, seed: 300 + replicate, metric: "redir_correct_fraction", value: replicates(correct(ttl, levels))[replicate] });
      }
    }
  }
  return { [REDIR]: sweep(REDIR, [REDIR_LEVELS, REDIR_TTL], runs) };
}

/** Fake runs of experiment 4: `metric(mode, pns, churn, m)` gives each metric's values per replicate; the modes and PNS settings of a churn level share seeds. */
function getLatency(metric: (mode: string, pns: string, churn: string, m: string) => Values): StudyData {
  const runs: RunValue[] = [];
  for (const churn of [NONE, KAZAA]) {
    for (const mode of ["rootOnly", "quorum", "quorumSync"]) {
      for (const pns of ["both", "off"]) {
        for (let replicate = 0; replicate < 3; replicate++) {
          const seed = (churn === NONE ? 400 : 500) + replicate;
          for (const m of ["get_latency_p50_ms", "get_latency_p99_ms", "get_complete_fraction"]) {
            runs.push({ point: { churn, [GET_MODE]: mode, [PNS]: pns }, replicate, seed, metric: m, value: replicates(metric(mode, pns, churnName(churn), m))[replicate] });
          }
        }
      }
    }
  }
  return { [GET_LATENCY]: sweep(GET_LATENCY, ["churn", PNS, GET_MODE], runs) };
}

const claim = (data: StudyData, start: string) => {
  const c = checkClaims(data).find((x) => x.claim.startsWith(start));
  if (c === undefined) throw new Error(`no claim starting "${start}"`);
  return c;
};

describe("experiment 2's claims (admission at every root)", () => {
  const deviation = (fair: Values, random: Values = 0.7) => (a: string, churn: string, m: string) =>
    m === "clients_put_ok_fraction" ? 1 : a === "random" ? random : a === "fairSpaceTime" && churn === "Kazaa churn" ? fair : 0.05;

  it("fairSpaceTime within 20% of max-min under Kazaa churn: flips past 20%, inconclusive across it", () => {
    const ok = claim(overuse(deviation(0.1)), "Under Kazaa churn, fairSpaceTime at every root");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("largest deviation from max-min under Kazaa churn: 10.00% (95% CI 10.00% to 10.00%, 3 seeds)");
    expect(claim(overuse(deviation(0.3)), "Under Kazaa churn, fairSpaceTime at every root").verdict).toBe("not supported");
    expect(claim(overuse(deviation([0.1, 0.2, 0.3])), "Under Kazaa churn, fairSpaceTime at every root").verdict).toBe("inconclusive");
  });

  it("random further from max-min than fairSpaceTime at every churn level, paired", () => {
    const ok = claim(overuse(deviation(0.1)), "The random control is further");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toContain("no churn: random minus fairSpaceTime +65.00 points (95% CI +65.00 to +65.00, 3 seeds)");
    expect(ok.evidence).toContain("Kazaa churn: random minus fairSpaceTime +60.00 points");
    // Closer to max-min than fairSpaceTime under churn, seed by seed.
    expect(claim(overuse(deviation(0.1, 0.05)), "The random control is further").verdict).toBe("not supported");
    expect(claim(overuse(deviation(0.1, [0.05, 0.1, 0.2])), "The random control is further").verdict).toBe("inconclusive");
  });

  it("every put stored without admission: at least 99.9% at both churn levels", () => {
    const stored = (none: Values) => (a: string, churn: string, m: string) => (m === "clients_max_min_deviation" ? 0 : a === "none" && churn === "Kazaa churn" ? none : a === "none" ? 1 : 0.4);
    const ok = claim(overuse(stored(1)), "With no admission control");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("puts stored without admission: no churn 100.00% (95% CI 100.00% to 100.00%, 3 seeds); Kazaa churn 100.00% (95% CI 100.00% to 100.00%, 3 seeds)");
    expect(claim(overuse(stored(0.99)), "With no admission control").verdict).toBe("not supported");
    expect(claim(overuse(stored([0.998, 0.9995, 1])), "With no admission control").verdict).toBe("inconclusive");
  });

  it("light clients protected from the greedy one under fairSpaceTime and Kazaa churn, read from the client groups", () => {
    const groups = (light: Values, greedy: Values) => (a: string, churn: string, g: string) => (a === "fairSpaceTime" && churn === "Kazaa churn" ? (g === "light" ? light : greedy) : 0.5);
    const data = (light: Values, greedy: Values) => overuse(deviation(0.1), groups(light, greedy));
    const ok = claim(data(1, 0.4), "Under Kazaa churn, fairSpaceTime protects");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("puts stored under fairSpaceTime and Kazaa churn: light clients 100.00% (95% CI 100.00% to 100.00%, 3 seeds); greedy client 40.00% (95% CI 40.00% to 40.00%, 3 seeds)");
    expect(claim(data(0.9, 0.4), "Under Kazaa churn, fairSpaceTime protects").verdict).toBe("not supported");
    expect(claim(data(1, 0.8), "Under Kazaa churn, fairSpaceTime protects").verdict).toBe("not supported");
    expect(claim(data(1, [0.4, 0.6, 0.8]), "Under Kazaa churn, fairSpaceTime protects").verdict).toBe("inconclusive");
  });
});

describe("experiment 3's claims (ReDiR under churn)", () => {
  it("right at least 90% of the time at the shortest TTL (by duration: 30s before 1m), every level count", () => {
    // 1m sorts before 30s as text: a claim reading it as the shortest would see 50% and fail.
    const data = (short: Values) => redir((ttl) => (ttl === "30s" ? short : ttl === "1m" ? 0.5 : 0.8));
    const ok = claim(data(0.95), "With the shortest TTL tried");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("lookups right at TTL 30s: 2 levels 95.00% (95% CI 95.00% to 95.00%, 3 seeds); 4 levels 95.00% (95% CI 95.00% to 95.00%, 3 seeds)");
    expect(claim(data(0.8), "With the shortest TTL tried").verdict).toBe("not supported");
    expect(claim(data([0.85, 0.9, 0.95]), "With the shortest TTL tried").verdict).toBe("inconclusive");
  });

  it("longer TTLs staler: fewer right at the longest TTL than at the shortest, paired", () => {
    const data = (long: Values) => redir((ttl, levels) => (ttl === "5m" && levels === "4" ? long : ttl === "5m" ? 0.7 : 0.95));
    const ok = claim(data(0.8), "Longer TTLs give more stale answers");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("lookups right at TTL 30s minus at 5m: 2 levels +25.00 points (95% CI +25.00 to +25.00, 3 seeds); 4 levels +15.00 points (95% CI +15.00 to +15.00, 3 seeds)");
    expect(claim(data(0.97), "Longer TTLs give more stale answers").verdict).toBe("not supported");
    expect(claim(data([0.9, 0.95, 1]), "Longer TTLs give more stale answers").verdict).toBe("inconclusive");
  });

  it("say no data, naming the experiment, when experiments 2 and 3 have not run", () => {
    const results = checkClaims({}).filter((c) => c.experiment.startsWith("2 ") || c.experiment.startsWith("3 "));
    expect(results).toHaveLength(6);
    expect(results.every((c) => c.verdict === "no data")).toBe(true);
    expect(results[0].evidence).toBe(`not measured: ${OVERUSE}`);
    expect(results[5].evidence).toBe(`not measured: ${REDIR}`);
  });
});

describe("experiment 4's claims (get latency through gateways)", () => {
  /** Medians: rootOnly 200 ms, quorumSync 205, quorum 300; PNS off adds 50 ms; p99 40 s under churn, 500 ms + 100 for quorum without. */
  const base = (mode: string, pns: string, churn: string, m: string): Values => {
    if (m === "get_complete_fraction") return mode === "rootOnly" && churn === "Kazaa churn" ? 0.95 : 1;
    if (m === "get_latency_p99_ms") return churn === "Kazaa churn" ? 40_000 : mode === "quorum" ? 600 : 500;
    return (mode === "rootOnly" ? 200 : mode === "quorumSync" ? 205 : 300) + (pns === "off" ? 50 : 0);
  };
  const with_ = (change: (mode: string, pns: string, churn: string, m: string) => Values | undefined) => getLatency((mode, pns, churn, m) => change(mode, pns, churn, m) ?? base(mode, pns, churn, m));
  const p50 = (target: string, pnsTarget: string, churnTarget: string, v: Values) => (mode: string, pns: string, churn: string, m: string) =>
    m === "get_latency_p50_ms" && mode === target && pns === pnsTarget && churn === churnTarget ? v : undefined;

  it("quorum slower than rootOnly at the median, every churn level and PNS setting, paired", () => {
    const ok = claim(with_(() => undefined), "A quorum costs time");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toContain("no churn, PNS on: +100 ms (95% CI +100 to +100, 3 seeds)");
    expect(ok.evidence).toContain("Kazaa churn, PNS off: +100 ms");
    expect(claim(with_(p50("quorum", "off", "Kazaa churn", 240)), "A quorum costs time").verdict).toBe("not supported");
    expect(claim(with_(p50("quorum", "off", "Kazaa churn", [200, 250, 300])), "A quorum costs time").verdict).toBe("inconclusive");
  });

  it("quorumSync faster than quorum at the median, paired", () => {
    expect(claim(with_(() => undefined), "Synced replicas count as answers").verdict).toBe("supported");
    expect(claim(with_(p50("quorumSync", "both", "no churn", 310)), "Synced replicas count as answers").verdict).toBe("not supported");
    expect(claim(with_(p50("quorumSync", "both", "no churn", [250, 300, 350])), "Synced replicas count as answers").verdict).toBe("inconclusive");
  });

  it("quorumSync within 5% of rootOnly without churn", () => {
    const ok = claim(with_(() => undefined), "Without churn, anti-entropy");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("median get latency without churn, quorumSync over rootOnly: PNS on ×1.02 (95% CI ×1.02 to ×1.02, 3 seeds); PNS off ×1.02 (95% CI ×1.02 to ×1.02, 3 seeds)");
    expect(claim(with_(p50("quorumSync", "off", "no churn", 300)), "Without churn, anti-entropy").verdict).toBe("not supported");
    expect(claim(with_(p50("quorumSync", "off", "no churn", [240, 262.5, 285])), "Without churn, anti-entropy").verdict).toBe("inconclusive");
  });

  it("PNS lowers the median under every mode and churn level, paired", () => {
    const ok = claim(with_(() => undefined), "Proximity neighbour selection lowers");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toContain("Kazaa churn, quorumSync +50 ms (95% CI +50 to +50, 3 seeds)");
    expect(claim(with_(p50("rootOnly", "off", "no churn", 190)), "Proximity neighbour selection lowers").verdict).toBe("not supported");
    expect(claim(with_(p50("rootOnly", "off", "no churn", [150, 200, 250])), "Proximity neighbour selection lowers").verdict).toBe("inconclusive");
  });

  it("quorum's p99 above rootOnly's without churn, paired", () => {
    const p99 = (v: Values) => (mode: string, pns: string, churn: string, m: string) => (m === "get_latency_p99_ms" && mode === "quorum" && pns === "both" && churn === "no churn" ? v : undefined);
    expect(claim(with_(() => undefined), "Without churn, waiting for the fifth answer").verdict).toBe("supported");
    expect(claim(with_(p99(450)), "Without churn, waiting for the fifth answer").verdict).toBe("not supported");
    expect(claim(with_(p99([400, 500, 600])), "Without churn, waiting for the fifth answer").verdict).toBe("inconclusive");
  });

  it("under Kazaa churn every mode's p99 at least the 30-s gateway timeout", () => {
    const p99 = (v: Values) => (mode: string, pns: string, churn: string, m: string) => (m === "get_latency_p99_ms" && mode === "quorumSync" && churn === "Kazaa churn" ? v : undefined);
    const ok = claim(with_(() => undefined), "Under Kazaa churn the tail");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toContain("quorumSync 40000 ms (95% CI 40000 to 40000, 3 seeds)");
    expect(claim(with_(p99(900)), "Under Kazaa churn the tail").verdict).toBe("not supported");
    expect(claim(with_(p99([1000, 30000, 59000])), "Under Kazaa churn the tail").verdict).toBe("inconclusive");
  });

  it("quorumSync completes more gets than rootOnly under Kazaa churn, paired", () => {
    const complete = (v: Values) => (mode: string, pns: string, churn: string, m: string) => (m === "get_complete_fraction" && mode === "quorumSync" && churn === "Kazaa churn" ? v : undefined);
    const ok = claim(with_(() => undefined), "What the quorum buys");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe("complete gets under Kazaa churn, PNS on, quorumSync minus rootOnly: +5.00 points (95% CI +5.00 to +5.00, 3 seeds)");
    expect(claim(with_(complete(0.9)), "What the quorum buys").verdict).toBe("not supported");
    expect(claim(with_(complete([0.9, 1, 1.1])), "What the quorum buys").verdict).toBe("inconclusive");
  });

  it("say no data, naming the experiment, when experiment 4 has not run", () => {
    const results = checkClaims({}).filter((c) => c.experiment.startsWith("4 "));
    expect(results).toHaveLength(7);
    expect(results.every((c) => c.verdict === "no data" && c.evidence.startsWith(`not measured: ${GET_LATENCY}`))).toBe(true);
  });
});

describe("the client groups of a sweep's runs", () => {
  it("are read from each run's summary.json, at the grid point runs.csv names", () => {
    const dir = tempDir();
    const run = (name: string, algorithm: string, light: number) => {
      const runDir = join(dir, OVERUSE, "runs", name);
      return { runDir, algorithm, light };
    };
    const runs = [run("a", "fairSpaceTime", 1), run("b", "random", 0.4)];
    for (const r of runs) {
      mkdirSync(r.runDir, { recursive: true });
      writeFileSync(join(r.runDir, "scenario.json"), JSON.stringify({ churn: JSON.parse(KAZAA), storage: { admission: { algorithm: r.algorithm } } }));
      writeFileSync(join(r.runDir, "summary.json"), JSON.stringify({ storage: { clients: { groups: { light: { put_ok_fraction: r.light } } } } }));
    }
    const plan = {
      scenario: { sweep: { grid: { [ALGORITHM]: ["fairSpaceTime", "random"] } } },
      runs: [
        { id: `${ALGORITHM}=fairSpaceTime,replicate=0`, dir: "a", seed: 7 },
        { id: `${ALGORITHM}=random,replicate=0`, dir: "b", seed: 7 },
      ],
    };
    writeFileSync(join(dir, OVERUSE, "sweep.json"), JSON.stringify(plan));
    const header = `churn,${ALGORITHM},run,seed,metric,value`;
    const quoted = `"${KAZAA.replaceAll('"', '""')}"`;
    writeFileSync(join(dir, OVERUSE, "runs.csv"), [header, ...plan.runs.map((r, i) => `${quoted},${runs[i].algorithm},"${r.id}",7,clients_put_ok_fraction,1`)].join("\n") + "\n");
    writeFileSync(join(dir, OVERUSE, "summary.csv"), `churn,${ALGORITHM},metric,n,mean,ci95_low,ci95_high\n`);
    const e = readStudyExperiment(dir, OVERUSE) as SweepData;
    expect(e.clientGroups.map((r) => [r.point, r.seed, r.replicate])).toEqual([
      [{ churn: KAZAA, [ALGORITHM]: "fairSpaceTime" }, 7, 0],
      [{ churn: KAZAA, [ALGORITHM]: "random" }, 7, 0],
    ]);
    expect(e.runs[0].point).toEqual(e.clientGroups[0].point);
    expect(groupValues(e, "light", "put_ok_fraction", (p) => p[ALGORITHM] === "random")).toEqual(new Map([[7, 0.4]]));
    expect(groupValues(e, "greedy", "put_ok_fraction", () => true)).toBeUndefined();
  });
});

describe("an opendht sweep file with a mistake", () => {
  it("is refused before any run, naming the grid entry and what was expected", () => {
    const dir = tempDir();
    const document = JSON.parse(readFileSync(join(folder, `${OVERUSE}.json`), "utf8"));
    document.sweep.grid[ALGORITHM] = ["fairSpaceTime", "fifo"];
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(document));
    expect(() => prepareSweep(file, true)).toThrow(InputError);
    expect(() => prepareSweep(file, true)).toThrow(/\/sweep\/grid\/storage\.admission\.algorithm\/1: expected one of "none", "openDht", "fairSpaceTime"/);
  });
});
