import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportSweep } from "../analysis/sweep-report.js";
import { runSweep } from "../sim/experiments/run-sweep.js";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const scenario = join(root, "scenarios/sweeps/recovery-small.json");

/** Every file under `dir` (hidden temporaries excluded) with its content; summary.json without its wall time. */
function tree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix)).sort()) {
    if (entry.startsWith(".")) continue;
    const path = join(prefix, entry);
    if (statSync(join(dir, path)).isDirectory()) Object.assign(out, tree(dir, path));
    else {
      const text = readFileSync(join(dir, path), "utf8");
      out[path] = entry === "summary.json" ? text.replace(/"wall_s": [0-9.e-]+/, '"wall_s": 0') : text;
    }
  }
  return out;
}

/** Whether any process of the group led by `pgid` remains (zombies included). */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("still waiting after 60 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function complete(dir: string, options: Parameters<typeof runSweep>[1] = {}) {
  const result = await runSweep(scenario, { out: dir, ...options });
  if (result.complete) await reportSweep(dir);
  return result;
}

describe("sweeps", () => {
  it("give byte-identical results in parallel and one run at a time", async () => {
    const serial = tempDir();
    const parallel = tempDir();
    const one = await complete(serial, { jobs: 1 });
    const r = await complete(parallel, { jobs: 2 });
    expect(r.done).toBe(8);
    // Each worker reports its runs' CPU time (what the bench's sweep row explains its speed-up with).
    expect(one.cpuSeconds).toBeGreaterThan(0);
    expect(r.cpuSeconds).toBeGreaterThan(0);
    const a = tree(serial);
    expect(Object.keys(a).filter((f) => f.endsWith("lookups.csv"))).toHaveLength(8);
    expect(tree(parallel)).toEqual(a);
    // Figures and the report come with it: one line per recovery mode, the cost view, report.md naming them.
    const svg = a["figures/latency_mean_ms-vs-churn-tMed.svg"];
    expect(svg).toContain("recovery=periodic");
    expect(svg).toContain("recovery=reactive");
    expect(svg).toContain("median session time (min)");
    expect(a["figures/performance-vs-cost.svg"]).toContain("total bandwidth (bytes/s per node)");
    expect(statSync(join(serial, "figures/performance-vs-cost.png")).size).toBeGreaterThan(5000);
    expect(a["report.md"]).toContain("![mean lookup latency (ms) against median session time (min)](figures/latency_mean_ms-vs-churn-tMed.png)");
    expect(a["report.html"]).toContain("<svg");
  });

  it("show compared designs the same churn: Bamboo and Chord at one seed join and depart alike", async () => {
    const dir = tempDir();
    const file = join(dir, "designs.json");
    const document = JSON.parse(readFileSync(scenario, "utf8"));
    delete document.$schema;
    Object.assign(document, { nodes: 40, duration: "4m", warmup: "1m" });
    document.churn = { process: "replacement", tMed: "1.4m" };
    document.sweep = { grid: { protocol: [{ name: "bamboo" }, { name: "chord" }] }, seeds: 2 };
    writeFileSync(file, JSON.stringify(document));
    const out = join(dir, "out");
    const result = await runSweep(file, { out, jobs: 1 });
    expect(result.done).toBe(4);
    const plan = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as { runs: { id: string; dir: string; seed: number }[] };
    // Joins and departures per window, and the nodes alive, in each run's time series.
    const churnOf = (run: { dir: string }) =>
      readFileSync(join(out, "runs", run.dir, "timeseries.csv"), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(",").slice(0, 5).join(","));
    for (const replicate of [0, 1]) {
      const [bamboo, chord] = ["bamboo", "chord"].map((name) => plan.runs.find((r) => r.id.includes(name) && r.id.endsWith(`replicate=${replicate}`))!);
      expect(bamboo.seed).toBe(chord.seed);
      const a = churnOf(bamboo);
      expect(a[0]).toBe("window_start_ms,live_nodes,joined_nodes,joins,departures");
      // joined_nodes is the protocol's own doing; what churn decides is the rest.
      const drop = (rows: string[]) => rows.map((row) => row.split(",").filter((_, i) => i !== 2).join(","));
      expect(drop(churnOf(chord))).toEqual(drop(a));
      expect(a.slice(1).some((row) => Number(row.split(",")[4]) > 0)).toBe(true);
    }
    // Replicates differ from each other.
    expect(new Set(plan.runs.map((r) => r.seed)).size).toBe(2);
  });

  it("resume after the whole sweep is killed mid-way, redoing nothing finished and corrupting nothing", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/sweep.ts", scenario, "--out", dir, "--jobs", "2"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Power loss as soon as the first run is recorded: parent and workers die at once.
    await new Promise<void>((resolve) => child.stderr.on("data", (d: Buffer) => d.toString().includes("[1/") && resolve()));
    process.kill(-(child.pid as number), "SIGKILL");
    await exited;
    // The workers die with it; wait until the last of them is gone, as after a real crash.
    await until(() => !groupExists(child.pid as number));
    const before = readdirSync(join(dir, "runs")).filter((e) => !e.startsWith("."));
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(8);
    // What a crash leaves besides: temporaries of processes that no longer run (the kill left some too, mostly).
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    mkdirSync(join(dir, "runs", `.planted.partial-${dead}`));
    writeFileSync(join(dir, `sweep.json.tmp-${dead}`), "");
    const resumed = await complete(dir, { jobs: 2 });
    expect(resumed.skipped).toBe(before.length);
    expect(resumed.done).toBe(8 - before.length);
    expect(readdirSync(join(dir, "runs")).filter((e) => e.startsWith("."))).toEqual([]);
    expect(readdirSync(dir).filter((e) => e.includes(".tmp-"))).toEqual([]);
    const fresh = tempDir();
    await complete(fresh, { jobs: 2 });
    expect(tree(dir)).toEqual(tree(fresh));
  });

  it("split into shards and merged, equal the unsharded sweep", async () => {
    const whole = tempDir();
    await complete(whole);
    const shards = [tempDir(), tempDir(), tempDir()];
    for (const [i, dir] of shards.entries()) {
      const r = await runSweep(scenario, { out: dir, shard: { index: i, count: 3 } });
      expect(r.complete).toBe(false);
    }
    const merged = tempDir();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/merge.ts", ...shards, "--out", merged], { cwd: root, stdio: "ignore" });
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
    expect(tree(merged)).toEqual(tree(whole));
  });
});
