import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkClaims, logLogSlope, type StudyData } from "../analysis/storage/claims.js";
import { STUDY_FILES } from "../analysis/storage/report.js";
import { SECTIONS } from "../analysis/storage/sections.js";
import type { Experiment } from "../analysis/usenix04/experiment-data.js";
import { prepareSweep } from "../sim/experiments/run-sweep.js";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const folder = join(root, "scenarios/storage");
const files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
const read = (f: string) => JSON.parse(readFileSync(join(folder, f), "utf8"));

describe("the storage study files", () => {
  it("are the report's sweep files, each valid in full and quick form", () => {
    expect(files.map((f) => f.replace(/\.json$/, ""))).toEqual([...STUDY_FILES].sort());
    for (const f of files) {
      expect(prepareSweep(join(folder, f)).runs.length).toBeGreaterThan(0);
      expect(prepareSweep(join(folder, f), true).runs.every((r) => (r.document.nodes as number) <= 100)).toBe(true);
    }
  });

  it("say where every swept parameter comes from", () => {
    for (const f of files) {
      const doc = read(f);
      expect(doc.description.length, f).toBeGreaterThan(40);
      for (const key of Object.keys(doc.sweep.grid)) {
        const covered = Object.keys(doc.sources).some((s) => key === s || key.startsWith(`${s}.`));
        expect(covered, `${f}: no source for ${key}`).toBe(true);
      }
    }
  });

  it("give the designs of an experiment the same seeds: same sweep seed, same grid, so the same churn", () => {
    for (const s of SECTIONS.filter((x) => x.files.length > 1)) {
      const plans = s.files.map((f) => prepareSweep(join(folder, `${f}.json`)).runs.map((r) => [r.id, r.seed]));
      for (const p of plans.slice(1)) expect(p).toEqual(plans[0]);
      const docs = s.files.map((f) => read(`${f}.json`));
      for (const d of docs.slice(1)) expect([d.nodes, d.duration, d.warmup, d.churn, d.faults]).toEqual([docs[0].nodes, docs[0].duration, docs[0].warmup, docs[0].churn, docs[0].faults]);
    }
  });
});

/**
 * A fake experiment: per-run values of metrics per point, as runs.csv would hold them; a single number stands for
 * three seeds that agree. Replicate i has seed 100 + i at every point, as designs' files share seeds.
 */
function experiment(id: string, params: string[], rows: [Record<string, string>, string, number | number[]][]): Experiment {
  const runs = rows.flatMap(([point, metric, v]) => (typeof v === "number" ? [v, v, v] : v).map((value, replicate) => ({ point, metric, replicate, seed: 100 + replicate, value })));
  return { id, params, scenario: {}, rows: [], runs };
}
const churn = (tMed: string | null) => JSON.stringify(tMed === null ? { process: "none" } : { process: "replacement", tMed });
const claim = (data: StudyData, start: string) => {
  const c = checkClaims(data).find((x) => x.claim.startsWith(start));
  if (c === undefined) throw new Error(`no claim starting "${start}"`);
  return c;
};

describe("the storage claims", () => {
  it("Bamboo loses no value at the mildest churn: flips with one value lost there", () => {
    const data = (lost: number): StudyData => ({
      "1-put-get-bamboo": experiment("1-put-get-bamboo", ["churn"], [
        [{ churn: churn("1.4m") }, "values_lost_fraction", 0.1],
        [{ churn: churn("46.7m") }, "values_lost_fraction", lost],
        [{ churn: churn(null) }, "values_lost_fraction", 0.5],
      ]),
    });
    expect(claim(data(0), "Bamboo's store loses no value")).toMatchObject({ verdict: "supported", evidence: "at 46.7 min: 0.00% (95% CI 0.00% to 0.00%, 3 seeds) of acked values lost" });
    expect(claim(data(0.001), "Bamboo's store loses no value").verdict).toBe("not supported");
    // One seed of three lost a value: not surely above 0, not 0 either.
    const some = experiment("1-put-get-bamboo", ["churn"], [[{ churn: churn("1.4m") }, "values_lost_fraction", 0.1], [{ churn: churn("46.7m") }, "values_lost_fraction", [0, 0, 0.003]]]);
    expect(claim({ "1-put-get-bamboo": some }, "Bamboo's store loses no value").verdict).toBe("inconclusive");
  });

  it("compares designs' completeness at the shortest session measured, seed by seed", () => {
    const data = (push: number | number[]): StudyData =>
      Object.fromEntries(
        [["bamboo", 0.99], ["dhash", 0.9], ["push", push]].map(([d, short]) => [
          `1-put-get-${d}`,
          experiment(`1-put-get-${d}`, ["churn"], [
            [{ churn: churn("2.9m") }, "get_complete_fraction", short as number | number[]],
            [{ churn: churn("11.7m") }, "get_complete_fraction", 1],
          ]),
        ]),
      );
    expect(claim(data(0.95), "Bamboo's frequent anti-entropy").verdict).toBe("supported");
    const flipped = claim(data(0.995), "Bamboo's frequent anti-entropy");
    expect(flipped.verdict).toBe("not supported");
    expect(flipped.evidence).toBe(
      "gets complete at 2.9 min: Bamboo minus dhash +9.00 points (95% CI +9.00 to +9.00, 3 seeds); Bamboo minus push −0.50 points (95% CI −0.50 to −0.50, 3 seeds)",
    );
    expect(claim(data([0.98, 0.99, 1]), "Bamboo's frequent anti-entropy").verdict).toBe("inconclusive");
    expect(claim(data(0.95), "Gets complete more often").verdict).toBe("supported");
  });

  it("cost above the Blake–Rodrigues bound and growing with it: flips below the bound, and with a flat cost", () => {
    const data = (costs: number[]): StudyData => ({
      "2-cost-bamboo": experiment("2-cost-bamboo", ["churn.tMed", "storage.workload.valueSize"], [
        ...[["1.4m", 100], ["2.9m", 50], ["5.8m", 25]].flatMap(([t, bound], i): [Record<string, string>, string, number][] => [
          [{ "churn.tMed": t as string, "storage.workload.valueSize": "1KB" }, "blake_rodrigues_bytes_per_node_s", bound as number],
          [{ "churn.tMed": t as string, "storage.workload.valueSize": "1KB" }, "data_maintenance_bytes_per_node_s", costs[i]],
        ]),
      ]),
    });
    const above = claim(data([400, 220, 90]), "The measured cost of keeping data");
    expect(above.verdict).toBe("supported");
    expect(above.evidence).toMatch(/^bamboo: lowest cost over bound ×3\.60 \(95% CI ×3\.60 to ×3\.60, 3 seeds\), slope 1\.0\d \(95% CI/);
    expect(claim(data([400, 220, 20]), "The measured cost of keeping data").verdict).toBe("not supported");
    expect(claim(data([100, 200, 300]), "The measured cost of keeping data").verdict).toBe("not supported");
    // A flat cost: slope exactly 0, on the threshold.
    expect(claim(data([300, 300, 300]), "The measured cost of keeping data").verdict).toBe("inconclusive");
  });

  it("Carbonite copies fewer bytes for no more values lost: flips when it loses more", () => {
    const e = (id: string, bytes: number, lost: number) =>
      experiment(id, ["churn.downtime.median"], [
        [{ "churn.downtime.median": "30m" }, "data_maintenance_bytes_per_node_s", bytes],
        [{ "churn.downtime.median": "30m" }, "values_lost_fraction", lost],
      ]);
    const data = (lost: number): StudyData => ({ "3-transient-dhash": e("3-transient-dhash", 140, 0.01), "3-transient-carbonite": e("3-transient-carbonite", 40, lost) });
    expect(claim(data(0.01), "Carbonite copies fewer bytes").verdict).toBe("supported");
    expect(claim(data(0.02), "Carbonite copies fewer bytes").verdict).toBe("not supported");
  });

  it("longer anti-entropy periods cost less and complete fewer gets; more replicas cost more", () => {
    const data = (longCost: number): StudyData => ({
      "4-anti-entropy": experiment("4-anti-entropy", ["storage.maintenance", "storage.replicas"], [
        [{ "storage.maintenance": "1s", "storage.replicas": "4" }, "data_maintenance_bytes_per_node_s", 200],
        [{ "storage.maintenance": "1s", "storage.replicas": "4" }, "get_complete_fraction", 0.99],
        [{ "storage.maintenance": "60s", "storage.replicas": "4" }, "data_maintenance_bytes_per_node_s", longCost],
        [{ "storage.maintenance": "60s", "storage.replicas": "4" }, "get_complete_fraction", 0.9],
        [{ "storage.maintenance": "1s", "storage.replicas": "8" }, "data_maintenance_bytes_per_node_s", 900],
        [{ "storage.maintenance": "1s", "storage.replicas": "8" }, "get_complete_fraction", 1],
        [{ "storage.maintenance": "60s", "storage.replicas": "8" }, "data_maintenance_bytes_per_node_s", 150],
        [{ "storage.maintenance": "60s", "storage.replicas": "8" }, "get_complete_fraction", 0.97],
      ]),
    });
    expect(claim(data(40), "Longer anti-entropy periods").verdict).toBe("supported");
    expect(claim(data(250), "Longer anti-entropy periods").verdict).toBe("not supported");
    expect(claim(data(40), "More replicas cost more").verdict).toBe("supported");
    expect(claim(data(160), "More replicas cost more").verdict).toBe("not supported");
  });

  it("says no data, with what is missing, for experiments not run", () => {
    const results = checkClaims({});
    expect(results.every((c) => c.verdict === "no data")).toBe(true);
    expect(results[0].evidence).toMatch(/^not measured: /);
  });

  it("measures scaling as a log–log slope", () => {
    expect(logLogSlope([{ x: 1, y: 3 }, { x: 10, y: 30 }, { x: 100, y: 300 }])).toBeCloseTo(1);
    expect(logLogSlope([{ x: 1, y: 5 }, { x: 10, y: 5 }])).toBeCloseTo(0);
    expect(logLogSlope([{ x: 2, y: 5 }])).toBeNull();
  });
});

describe("npm run reproduce -- storage --quick", () => {
  it(
    "runs every experiment small and writes the report: every figure, the claims table, labelled as quick",
    () => {
      const out = join(tempDir(), "storage-quick");
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", "storage", "--quick", "--jobs", "1", "--out", out], { cwd: root, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/report\.md and report\.html: 7 of 7 claims smoke-tested on the quick runs \(no verdicts/);
      const md = readFileSync(join(out, "report.md"), "utf8");
      expect(md).toContain("quick version");
      expect(md).toContain("| claim | experiment | verdict | our numbers |");
      expect(md).not.toContain("no data");
      // A quick run's verdicts are smoke tests, never "supported" or "not supported".
      expect(md).not.toMatch(/\| \**(not )?supported\** \|/);
      expect(md).toContain("| **smoke test** |");
      expect(md).toMatch(/\(quick: \d+ nodes, 1 seed per point\)/);
      const figures = [...md.matchAll(/!\[[^\]]*\]\(figures\/([^)]+)\.png\)/g)].map((m) => m[1]);
      expect(figures.sort()).toEqual([
        "1-put-get-data_maintenance_bytes_per_node_s", "1-put-get-get_complete_fraction", "1-put-get-get_latency_p50_ms", "2-cost-vs-bound",
        "3-transient-data_maintenance_bytes_per_node_s", "3-transient-values_lost_fraction", "4-anti-entropy-hull",
      ]);
      for (const f of figures) {
        expect(existsSync(join(out, "figures", `${f}.png`))).toBe(true);
        expect(existsSync(join(out, "figures", `${f}.svg`))).toBe(true);
      }
      for (const s of SECTIONS) expect(md).toContain(`## ${s.title}`);
      expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
      // The new storage metrics reach the sweep summaries.
      expect(readFileSync(join(out, "2-cost-bamboo", "summary.csv"), "utf8")).toContain("blake_rodrigues_bytes_per_node_s");
    },
    120_000,
  );
});
