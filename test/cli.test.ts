import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const sim = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { cwd: root, encoding: "utf8" });

const small = ["--nodes", "60", "--duration", "3m", "--set", "warmup=2m", "--set", "joinPhase=30s", "--quiet"];

describe("npm run sim", () => {
  it("runs a scenario into its results directory and prints a summary", () => {
    const out = join(tempDir(), "kazaa");
    const r = sim(["scenarios/kazaa.json", ...small, "--out", out]);
    expect(r.stderr).toContain("kazaa seed 1: bamboo, 60 nodes");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/consistent\s+\d/);
    expect(readdirSync(out).sort()).toEqual([".churnsim", "bandwidth.csv", "lookups.csv", "scenario.json", "summary.json", "timeseries.csv"]);
    // The marker that lets a later --force recognise the directory as a run of ours.
    expect(JSON.parse(readFileSync(join(out, ".churnsim"), "utf8")).kind).toBe("run");
    expect(readFileSync(join(out, "lookups.csv"), "utf8").split("\n")[0]).toBe(
      "start_ms,end_ms,source,key,owner,oracle_owner,hops,latency_ms,status,probe_group,consistent",
    );
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(["lookups", "failed_fraction", "consistent_fraction", "majority_consistent_fraction", "latency_ms", "hops_mean", "maintenance_bytes_per_node_s", "total_bytes_per_node_s", "session_time_median_s", "events", "wall_s"]));
    const resolved = JSON.parse(readFileSync(join(out, "scenario.json"), "utf8"));
    expect([resolved.nodes, resolved.duration, resolved.seed]).toEqual([60, "3m", 1]);
    // The scenario file's "$schema" is relative to it, so it would point nowhere from the results directory.
    expect(JSON.parse(readFileSync(join(root, "scenarios/kazaa.json"), "utf8")).$schema).toBe("./schema.json");
    expect(resolved).not.toHaveProperty("$schema");

    // Never overwrites without --force.
    const again = sim(["scenarios/kazaa.json", ...small, "--out", out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; choose another with --out or replace it with --force/);
  });

  it("rejects a bad scenario with the JSON path, exit status 2 and no output", () => {
    const dir = tempDir();
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ name: "bad", protocol: { name: "onehop" }, churn: { process: "replacement", tMed: "fast" } }));
    const r = sim([file, "--out", join(dir, "out")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("/churn/tMed: expected a duration");
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["bad.json"]);
  });

  it("rejects bad command-line values", () => {
    const r = sim(["scenarios/kazaa.json", "--seed", "abc"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("--seed must be an integer from 0 to 4294967295");
    const set = sim(["scenarios/kazaa.json", "--set", "nodes"]);
    expect(set.status).toBe(2);
    expect(set.stderr).toContain("expected path=value");
  });
});

describe("npm run reproduce", () => {
  const reproduce = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", ...args], { cwd: root, encoding: "utf8" });

  it("names the studies it knows when given another, with exit status 2 and nothing written", () => {
    const out = join(tempDir(), "study");
    const { status, stderr } = reproduce(["usenix05", "--out", out]);
    expect(status).toBe(2);
    expect(stderr).toContain('unknown study "usenix05"; expected one of: usenix04');
    expect(existsSync(out)).toBe(false);
  });

  it("prints no line per finished run with --quiet, as sweep does", () => {
    const out = join(tempDir(), "study");
    const { status, stderr, stdout } = reproduce(["usenix04", "--quick", "--only", "6", "--quiet", "--out", out]);
    expect(status, stderr).toBe(0);
    expect(stderr).not.toContain("done ");
    expect(stdout).toContain("claims smoke-tested on the quick runs");
  }, 120_000);

  it("names the experiments when --only asks for one that does not exist", () => {
    const out = join(tempDir(), "study");
    const { status, stderr } = reproduce(["usenix04", "--quick", "--only", "9", "--out", out]);
    expect(status).toBe(2);
    expect(stderr).toContain('--only: no experiment "9" in scenarios/usenix04; expected one of: 1-session-times, 2-dhts-under-churn');
    expect(existsSync(out)).toBe(false);
  });
});

describe("command-line mistakes", () => {
  it.each([
    ["sim.ts", ["scenarios/kazaa.json", "--seed", "abc"], /--seed must be an integer from 0 to 4294967295/],
    ["sim.ts", ["scenarios/kazaa.json", "--frobnicate"], /unknown option '--frobnicate'/],
    ["sweep.ts", ["scenarios/sweeps/bench.json", "--jobs", "0"], /--jobs must be a positive integer/],
    ["reproduce.ts", ["usenix04", "--jobs", "x"], /--jobs must be a positive integer/],
    ["soak.ts", ["--minutes", "soon"], /--minutes must be a positive number/],
    ["soak.ts", ["--replay", "nonsense"], /--replay: expected seed:path/],
  ])("%s %j exits 2 with the reason", (script, args, reason) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}`, ...args], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toMatch(reason);
    expect(r.status).toBe(2);
  });
});

describe("default results directories", () => {
  it("are unique per scenario as run: variants of one file never collide, and the path is printed in full", () => {
    const home = tempDir();
    const tsx = join(root, "node_modules", "tsx", "dist", "loader.mjs");
    const scenarioFile = join(root, "scenarios", "kazaa.json");
    const run = (nodes: string) =>
      spawnSync(process.execPath, ["--import", tsx, join(root, "scripts", "sim.ts"), scenarioFile, ...small.map((a) => (a === "60" ? nodes : a))], { cwd: home, encoding: "utf8" });
    const first = run("60");
    const second = run("61");
    expect([first.status, second.status]).toEqual([0, 0]);
    const dirs = readdirSync(join(home, "results")).sort();
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(d).toMatch(/^kazaa-1-[0-9a-f]{8}$/);
    expect(first.stdout).toContain(join(home, "results", dirs.find((d) => first.stdout.includes(d)) as string));
    // The same variant again is the same directory: already there, not a third one.
    const again = run("60");
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(readdirSync(join(home, "results"))).toHaveLength(2);
  });
});
