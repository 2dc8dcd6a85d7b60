import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ADMISSION, checkClaims, OVERUSE, REDIR, TEST4_HOUR_CLIENTS } from "../analysis/opendht/claims.js";
import type { AdmissionData, StudyData } from "../analysis/opendht/data.js";
import { SECTIONS, STUDY_FILES } from "../analysis/opendht/sections.js";
import {
  type AdmissionRunSummary,
  checkAdmissionSpec,
  clientGroup,
  planAdmission,
  prepareAdmission,
  readAdmissionSpec,
  runAdmission,
  runAdmissionExperiment,
} from "../sim/experiments/admission/study-experiment.js";
import { selectExperiments } from "../sim/experiments/study.js";
import { InputError } from "../sim/scenario/errors.js";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const folder = join(root, "scenarios/opendht");
const files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
const reproduce = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", ...args], { cwd: root, encoding: "utf8" });

describe("the opendht study files", () => {
  it("are the report's experiments, each valid in full and quick form, the quick one small", () => {
    expect(files.map((f) => f.replace(/\.json$/, ""))).toEqual([...STUDY_FILES].sort());
    const full = selectExperiments("opendht", undefined, false);
    const quick = selectExperiments("opendht", undefined, true);
    expect(full.map((e) => e.id)).toEqual(files.map((f) => f.replace(/\.json$/, "")));
    expect(full.find((e) => e.id === ADMISSION)).toMatchObject({ kind: "admission", runs: 7 * 7 * 5 });
    expect(quick.find((e) => e.id === ADMISSION)).toMatchObject({ kind: "admission", runs: 7 * 7 });
    // Experiment 2: 4 algorithms × 2 churn levels, 2 seeds (quick: 1); experiment 3: 3 TTLs × 2 levels, 2 seeds (quick: 2 TTLs, 1 level, 1 seed).
    expect(full.find((e) => e.id === OVERUSE)?.runs).toBe(4 * 2 * 2);
    expect(quick.find((e) => e.id === OVERUSE)?.runs).toBe(4 * 2);
    expect(full.find((e) => e.id === REDIR)?.runs).toBe(3 * 2 * 5);
    expect(quick.find((e) => e.id === REDIR)?.runs).toBe(2);
    const { runs } = prepareAdmission(join(folder, `${ADMISSION}.json`), true);
    expect(runs.every((r) => r.durationS <= 3600)).toBe(true);
  });

  it("say where their settings come from", () => {
    const spec = readAdmissionSpec(join(folder, `${ADMISSION}.json`));
    expect(spec.description.length).toBeGreaterThan(40);
    for (const key of ["tests", "algorithms", "duration", "seeds", "capacity"]) expect(spec.sources[key], key).toBeDefined();
  });

  it("give every algorithm of a test the same seeds, and each test and replicate its own", () => {
    const spec = readAdmissionSpec(join(folder, `${ADMISSION}.json`));
    const runs = planAdmission(spec);
    const seedOf = (test: number, algorithm: string, replicate: number) => runs.find((r) => r.test === test && r.algorithm === algorithm && r.replicate === replicate)?.seed;
    expect(seedOf(4, "random", 2)).toBe(seedOf(4, "openDht", 2));
    expect(seedOf(4, "random", 2)).not.toBe(seedOf(4, "random", 1));
    expect(seedOf(4, "random", 2)).not.toBe(seedOf(3, "random", 2));
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    // Test 2 keeps its own 16 h; the others fssim's 5 h.
    expect(runs.find((r) => r.test === 2)?.durationS).toBe(16 * 3600);
    expect(runs.find((r) => r.test === 1)?.durationS).toBe(5 * 3600);
  });

  it("name fssim's groups of like clients", () => {
    expect(clientGroup("1/100s-07")).toBe("1/100s");
    expect(clientGroup("fastest 1kB·1h 20/s")).toBe("fastest 1kB·1h 20/s");
  });
});

describe("an admission experiment file with a mistake", () => {
  const good = JSON.parse(readFileSync(join(folder, `${ADMISSION}.json`), "utf8"));
  it.each([
    [{ tests: [1, 9] }, "/tests/1: expected one of fssim's tests 1, 2, 3, 4, 5, 6, 7, got 9"],
    [{ algorithms: ["fairSpaceTime", "fifo"] }, '/algorithms/1: expected one of random, fairRate, fairStorage, fairCommitment, fairSpaceTime, noQueuing, openDht, got "fifo"'],
    [{ seeds: 0 }, "/seeds: expected an integer from 1 to 1000, got 0"],
    [{ duration: "five hours" }, "/duration: "],
    [{ duration: "10s" }, '/duration: expected a duration of at least 1m, got "10s"'],
    [{ quick: { seeds: 1, nodes: 10 } }, "/quick/nodes: unknown key; expected one of: duration, seeds, tests, algorithms"],
    [{ sampleEvery: undefined }, '/sampleEvery: expected a duration such as "5h", got undefined'],
    [{ seed: -1 }, "/seed: expected an integer from 0 to 4294967295"],
  ])("%j is refused, naming the field and what was expected", (change, message) => {
    const document = { ...good, ...change };
    expect(() => checkAdmissionSpec(document, "x.json")).toThrow(InputError);
    expect(() => checkAdmissionSpec(document, "x.json")).toThrow(`x.json: ${message}`);
  });

  it("writes nothing when run", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ ...good, tests: [0] }));
    await expect(runAdmissionExperiment(file, { out: join(dir, "out"), quick: false })).rejects.toThrow(`${file}: /tests/0: expected one of fssim's tests`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("is a usage error at the command line when --only names no experiment (exit status 2)", () => {
    const r = reproduce(["opendht", "--only", "9"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: --only: no experiment "9" in scenarios/opendht; expected one of: 1-admission, 2-overuse, 3-redir, 4-get-latency');
  });
});

describe("an admission run", () => {
  it("gives the same summary for the same seed, and another for another seed", () => {
    const spec = { ...readAdmissionSpec(join(folder, `${ADMISSION}.json`)), tests: [1], algorithms: ["openDht" as const], duration: "10m", seeds: 2 };
    const [a, b] = planAdmission(spec);
    const strip = (s: AdmissionRunSummary) => ({ ...s, wall_s: 0 });
    expect(strip(runAdmission(a, 60))).toEqual(strip(runAdmission(a, 60)));
    expect(strip(runAdmission(b, 60)).series).not.toEqual(strip(runAdmission(a, 60)).series);
    const s = runAdmission(a, 60);
    expect(s.series.map((g) => [g.group, g.members])).toEqual([["10/s", 1], ["1/s", 1], ["1/10s", 2], ["1/20s", 2], ["1/40s", 2], ["1/80s", 2]]);
    expect(s.series[0].time_s).toEqual(Array.from({ length: 10 }, (_, i) => 60 * (i + 1)));
  });
});

/**
 * Fake runs of experiment 1: per test and algorithm, a statistic per replicate; a single number stands for three
 * replicates that agree.
 */
type Values = number | number[];
const replicates = (v: Values) => (typeof v === "number" ? [v, v, v] : v);
function run(test: number, algorithm: string, replicate: number, over: Partial<AdmissionRunSummary>): AdmissionRunSummary {
  return {
    test, algorithm: algorithm as AdmissionRunSummary["algorithm"], seed: 100 + replicate, replicate, durationS: 18000, measureFromS: 9000, capacitySpaceTimePerS: 1000,
    acceptedSpaceTimePerS: 1000, jain: 1, maxDeviation: 0, meanDeviation: 0, maxDeviationOfAccepted: 0, clients: [], series: [], wall_s: 0, ...over,
  };
}
function admission(rows: { test: number; algorithm: string; jain?: Values; maxDeviation?: Values; accepted?: Values; clients?: (r: number) => AdmissionRunSummary["clients"] }[]): StudyData {
  const runs = rows.flatMap((x) =>
    [0, 1, 2].map((r) =>
      run(x.test, x.algorithm, r, {
        ...(x.jain !== undefined ? { jain: replicates(x.jain)[r] } : {}),
        ...(x.maxDeviation !== undefined ? { maxDeviation: replicates(x.maxDeviation)[r] } : {}),
        ...(x.accepted !== undefined ? { acceptedSpaceTimePerS: 1000 * replicates(x.accepted)[r] } : {}),
        ...(x.clients !== undefined ? { clients: x.clients(r) } : {}),
      }),
    ),
  );
  const data: AdmissionData = { kind: "admission", id: ADMISSION, spec: readAdmissionSpec(join(folder, `${ADMISSION}.json`)), runs };
  return { [ADMISSION]: data };
}
const claim = (data: StudyData, start: string) => {
  const c = checkClaims(data).find((x) => x.claim.startsWith(start));
  if (c === undefined) throw new Error(`no claim starting "${start}"`);
  return c;
};

describe("the opendht claims", () => {
  it("fairSpaceTime within 10% of max-min on tests 1 and 3, 12% on test 4: flips past the threshold, inconclusive across it", () => {
    const data = (t4: Values) => admission([1, 3, 4].map((test) => ({ test, algorithm: "fairSpaceTime", maxDeviation: test === 4 ? t4 : 0.04 })));
    const ok = claim(data(0.1), "fairSpaceTime (fssim's virtual-time");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toBe(
      "largest deviation from the max-min target: test 1 4.00% (95% CI 4.00% to 4.00%, 3 seeds); test 3 4.00% (95% CI 4.00% to 4.00%, 3 seeds); test 4 10.00% (95% CI 10.00% to 10.00%, 3 seeds)",
    );
    expect(claim(data(0.13), "fairSpaceTime (fssim's virtual-time").verdict).toBe("not supported");
    expect(claim(data([0.08, 0.12, 0.16]), "fairSpaceTime (fssim's virtual-time").verdict).toBe("inconclusive");
  });

  it("fairSpaceTime's Jain index at least 0.99 on every test run", () => {
    const data = (t7: Values) => admission([1, 2, 7].map((test) => ({ test, algorithm: "fairSpaceTime", jain: test === 7 ? t7 : 1 })));
    expect(claim(data(0.995), "fairSpaceTime is fair on every one").verdict).toBe("supported");
    expect(claim(data(0.95), "fairSpaceTime is fair on every one").verdict).toBe("not supported");
    expect(claim(data([0.98, 0.99, 1]), "fairSpaceTime is fair on every one").verdict).toBe("inconclusive");
  });

  it("random is unfair: Jain below 0.5 on tests 1, 3 and 4", () => {
    const data = (t3: Values) => admission([1, 3, 4].map((test) => ({ test, algorithm: "random", jain: test === 3 ? t3 : 0.2 })));
    expect(claim(data(0.04), "The random control").verdict).toBe("supported");
    expect(claim(data(0.7), "The random control").verdict).toBe("not supported");
    expect(claim(data([0.3, 0.5, 0.7]), "The random control").verdict).toBe("inconclusive");
  });

  it("the one-put-a-period baselines more than 50% off on test 4", () => {
    const data = (storage: Values) => admission(["fairRate", "fairStorage", "fairCommitment"].map((algorithm) => ({ test: 4, algorithm, maxDeviation: algorithm === "fairStorage" ? storage : 0.96 })));
    const ok = claim(data(0.82), "Accepting one put per period");
    expect(ok.verdict).toBe("supported");
    expect(ok.evidence).toContain("fairStorage 82.00% (95% CI 82.00% to 82.00%, 3 seeds)");
    expect(claim(data(0.2), "Accepting one put per period").verdict).toBe("not supported");
    expect(claim(data([0.3, 0.5, 0.7]), "Accepting one put per period").verdict).toBe("inconclusive");
  });

  it("noQueuing below 90% of capacity where fairSpaceTime takes 99%", () => {
    const data = (noQueuing: Values, fair: Values = 1) =>
      admission([1, 3, 4].flatMap((test) => [
        { test, algorithm: "noQueuing", accepted: test === 3 ? noQueuing : 0.5 },
        { test, algorithm: "fairSpaceTime", accepted: fair },
      ]));
    expect(claim(data(0.84), "Deciding each put on arrival").verdict).toBe("supported");
    expect(claim(data(0.95), "Deciding each put on arrival").verdict).toBe("not supported");
    expect(claim(data(0.84, 0.9), "Deciding each put on arrival").verdict).toBe("not supported");
    expect(claim(data([0.8, 0.9, 1]), "Deciding each put on arrival").verdict).toBe("inconclusive");
  });

  it("openDht fair in bytes, not space-time, on test 4: flips when space-time is equal, inconclusive when bytes spread around 10%", () => {
    // Each 1-h client accepts `bytes` per second (value and 77-B key); its space-time follows from size and TTL.
    const clients = (bytes: (name: string, r: number) => number) => (r: number) =>
      TEST4_HOUR_CLIENTS.map((name) => {
        const size = name.startsWith("64B") ? 64 : name.startsWith("256B") ? 256 : 1024;
        const puts = bytes(name, r) / (size + 77);
        return { client: name, group: name, sizeBytes: size, ttlS: 3600, demandSpaceTimePerS: 1e9, acceptedPutsPerS: puts, acceptedSpaceTimePerS: puts * size * 3600, target: 1, deviation: 0 };
      });
    const data = (bytes: (name: string, r: number) => number) => admission([{ test: 4, algorithm: "openDht", clients: clients(bytes) }]);
    const even = claim(data(() => 232), "The deployed OpenDHT root");
    expect(even.verdict).toBe("supported");
    expect(even.evidence).toBe(
      "test 4 under openDht: largest over smallest accepted bytes/s of the 1-h clients ×1.00 (95% CI ×1.00 to ×1.00, 3 seeds); space-time of 1 kB·1 h over 64 B·1 h ×2.05 (95% CI ×2.05 to ×2.05, 3 seeds)",
    );
    // Equal space-time: the 64-B client gets 16× the puts, so far more bytes with its keys.
    const equalSpaceTime = (name: string) => (name.startsWith("64B") ? 16 * 141 : name.startsWith("256B") ? 4 * 333 : 1101) / 5;
    expect(claim(data(equalSpaceTime), "The deployed OpenDHT root").verdict).toBe("not supported");
    // The 64-B client 2%, 10% and 18% above the others: the spread's interval straddles ×1.1.
    expect(claim(data((name, r) => (name.startsWith("64B") ? 232 * [1.02, 1.1, 1.18][r] : 232)), "The deployed OpenDHT root").verdict).toBe("inconclusive");
  });

  it("says no data, with what is missing, when experiment 1 has not run", () => {
    const results = checkClaims({});
    expect(results.every((c) => c.verdict === "no data")).toBe(true);
    expect(results[0].evidence).toBe(`not measured: ${ADMISSION}`);
    expect(claim(admission([{ test: 1, algorithm: "random", jain: 0.2 }]), "The random control").evidence).toBe(`not measured: ${ADMISSION}: test 3 under random`);
  });
});

describe("npm run reproduce -- opendht --quick", () => {
  it(
    "runs the four experiments small and writes the report, which --from rebuilds byte for byte",
    () => {
      const out = join(tempDir(), "opendht-quick");
      const r = reproduce(["opendht", "--quick", "--quiet", "--out", out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/report\.md and report\.html: 19 of 19 claims smoke-tested on the quick runs \(no verdicts/);
      const md = readFileSync(join(out, "report.md"), "utf8");
      expect(md).toContain("quick version");
      expect(md).toContain("| claim | experiment | verdict | our numbers |");
      expect(md).not.toContain("no data");
      expect(md).not.toMatch(/\| \**(not )?supported\** \|/);
      expect(md).toContain("| **smoke test** |");
      for (const s of SECTIONS) expect(md).toContain(`## ${s.title}`);
      expect(md).toContain("49 runs: 7 tests × 7 algorithms × 1 seed, 1h each.");
      expect(md).toContain("| algorithm | Jain's index | largest deviation from max-min | mean deviation | accepted / capacity |");
      expect(md).toContain("8 runs. Swept: `storage.admission.algorithm` (4 values), `churn` (2 values). 12 nodes");
      expect(md).toContain("| algorithm | light: puts stored | greedy: puts stored | deviation from max-min | Jain's index | S/N (bytes) |");
      expect(md).toMatch(/### No churn[^#]*\| none \| 100\.00% \| 100\.00% \|/);
      expect(md).toContain("### Kazaa churn");
      expect(md).toContain("| levels | TTL | ReDiR lookups right | gets per ReDiR lookup |");
      expect(md).toMatch(/\| 2 \| 30s \| \d+\.\d\d% \|/);
      expect(md).toContain("12 runs. Swept: `storage.getMode` (3 values), `protocol.pns` (2 values), `churn` (2 values). 16 nodes");
      expect(md).toContain("| get mode | next hops | median get latency (ms) | 99th percentile get latency (ms) | complete gets |");
      expect(md).toMatch(/\| quorumSync \| PNS off \| \d+ \| \d+ \| \d+\.\d\d% \|/);
      expect(md).not.toContain("Experiments to come");
      const figures = [...md.matchAll(/!\[[^\]]*\]\(figures\/([^)]+)\.png\)/g)].map((m) => m[1]);
      expect(figures).toEqual([...[1, 2, 3, 4, 5, 6, 7].map((t) => `1-admission-test${t}`), "2-overuse-deviation", "3-redir-correct", "4-get-latency-median"]);
      for (const f of figures) expect(existsSync(join(out, "figures", `${f}.png`))).toBe(true);
      expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");

      const rebuilt = join(tempDir(), "opendht-rebuilt");
      const again = reproduce(["opendht", "--quick", "--from", out, "--out", rebuilt]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toContain(`rebuilt from ${out}`);
      expect(readFileSync(join(rebuilt, "report.md"), "utf8")).toBe(md);
      for (const f of figures) expect(readFileSync(join(rebuilt, "figures", `${f}.png`)).equals(readFileSync(join(out, "figures", `${f}.png`))), f).toBe(true);
    },
    180_000,
  );
});
