import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkClaims } from "../analysis/usenix04/claims.js";
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

/** A fake experiment: rows of one metric per point, as summary.csv would hold them. */
function experiment(id: string, params: string[], rows: [Record<string, string>, string, number][]): Experiment {
  return {
    id,
    params,
    scenario: {},
    rows: rows.map(([point, metric, mean]) => ({ point, metric, n: 3, mean, low: mean * 0.9, high: mean * 1.1 })),
  };
}

const churn = (tMed: string | null) => JSON.stringify(tMed === null ? { process: "none" } : { process: "replacement", tMed });

describe("the claims table", () => {
  it("marks a claim supported or not by the numbers, and says which numbers", () => {
    const headline = (bytes: number) => ({ "6-headline": experiment("6-headline", ["churn.tMed"], [[{ "churn.tMed": "1.4m" }, "maintenance_bytes_per_node_s", bytes], [{ "churn.tMed": "1.4m" }, "consistent_fraction", 0.995]]) });
    const cheap = checkClaims(headline(600)).find((c) => c.claim.includes("900"));
    expect(cheap?.verdict).toBe("supported");
    expect(cheap?.evidence).toContain("600");
    // The upper bound of the interval must be under 900 too: 850 ± 10% is not.
    expect(checkClaims(headline(850)).find((c) => c.claim.includes("900"))?.verdict).toBe("not supported");
  });

  it("compares recoveries at the shortest session time measured, whatever it is", () => {
    const rows: [Record<string, string>, string, number][] = [];
    for (const [rec, short, long] of [["periodic", 500, 400], ["reactive", 450, 200]] as const) {
      rows.push([{ "protocol.recovery": rec, churn: churn("2.9m") }, "maintenance_bytes_per_node_s", short]);
      rows.push([{ "protocol.recovery": rec, churn: churn("46.7m") }, "maintenance_bytes_per_node_s", long]);
      rows.push([{ "protocol.recovery": rec, churn: churn(null) }, "maintenance_bytes_per_node_s", 100]);
    }
    const results = checkClaims({ "3-recovery": experiment("3-recovery", ["churn", "protocol.recovery"], rows) });
    const cheaper = results.find((c) => c.claim.startsWith("Periodic recovery costs less"));
    expect(cheaper?.verdict).toBe("not supported");
    expect(cheaper?.evidence).toBe("at 2.9 min: periodic 500, reactive 450 bytes/s per node");
    expect(results.find((c) => c.claim.startsWith("Periodic recovery's bandwidth grows less"))?.verdict).toBe("supported");
  });

  it("says no data, with what is missing, for experiments not run", () => {
    const results = checkClaims({});
    expect(results.every((c) => c.verdict === "no data")).toBe(true);
    expect(results[0].evidence).toMatch(/^not measured: /);
  });
});
