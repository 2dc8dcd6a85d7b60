import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules", "tsx", "dist", "loader.mjs");
const command = (script: string, args: string[], cwd = root) =>
  spawnSync(process.execPath, ["--import", tsx, join(root, "scripts", `${script}.ts`), ...args], { cwd, encoding: "utf8" });

// What a scenario mistake is answered with: where, and what would have been right, in the user's words.
describe("scenario errors say what is expected", () => {
  it.each([
    [["--set", "churn.tMed=23"], '/churn/tMed: expected a duration such as "500ms", "90s", "23m" or "1.4h"'],
    [["--set", "network.uplink=32"], '/network/uplink: expected a bit rate such as "1Mbps", "256kbps" or "unlimited"'],
    [["--set", "network.queue=64"], '/network/queue: expected a byte size such as "64KB" or "1MB"'],
    [["--set", "protocol.pingPeriod=5"], '/protocol/pingPeriod: expected a duration such as "500ms"'],
    // Bamboo's options stay when the protocol changes: the leftover is named as not the new protocol's.
    [["--set", "protocol.name=kademlia"], '/protocol/recovery: not an option of protocol "kademlia" (expected one of "k", "alpha"'],
    [["--set", "protocol.leafSetSiz=4"], '/protocol/leafSetSiz: not an option of protocol "bamboo"; did you mean "leafSetSize"?'],
  ])("sim scenarios/kazaa.json %j", (args, message) => {
    const r = command("sim", ["scenarios/kazaa.json", ...args, "--out", join(tempDir(), "out")]);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`error: scenarios/kazaa.json: ${message}`);
    expect(r.status).toBe(2);
  });

  it.each(["sim", "sweep"])("%s gives a JSON syntax error's line and column", (script) => {
    const file = join(tempDir(), "broken.json");
    writeFileSync(file, '{\n  "name": "broken",\n  "nodes": 10\n  "seed": 1\n}\n');
    const r = command(script, [file]);
    expect(r.stderr.trimEnd()).toBe(`error: ${file}:4:3: not valid JSON: Expected ',' or '}' after property value`);
    expect(r.status).toBe(2);
  });
});

describe("npm run sweep --seed, --set and --quiet", () => {
  const sweep = {
    name: "tiny",
    seed: 1,
    nodes: 20,
    duration: "2m",
    warmup: "1m",
    joinPhase: "30s",
    churn: { process: "replacement", tMed: "5m" },
    protocol: { name: "bamboo" },
    sweep: { grid: { "churn.tMed": ["1.4m", "23m"] }, seeds: 1 },
  };

  it("apply to the base scenario before the grid, quietly, into a directory of the variant's own", () => {
    const home = tempDir();
    const file = join(home, "tiny.json");
    writeFileSync(file, JSON.stringify(sweep));
    const r = command("sweep", [file, "--set", "nodes=24", "--seed", "7", "--quiet", "--jobs", "1"], home);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const [dir] = readdirSync(join(home, "results"));
    expect(dir).toMatch(/^tiny-sweep-[0-9a-f]{8}$/);
    expect(r.stdout).toContain(`in ${join(home, "results", dir)}\n`);
    const plan = JSON.parse(readFileSync(join(home, "results", dir, "sweep.json"), "utf8"));
    expect([plan.scenario.nodes, plan.scenario.seed]).toEqual([24, 7]);
    for (const run of plan.runs) {
      const scenario = JSON.parse(readFileSync(join(home, "results", dir, "runs", run.dir, "scenario.json"), "utf8"));
      expect(scenario.nodes).toBe(24);
    }
    // The sweep's seed is the root of its runs' seeds: another one gives other runs.
    const other = command("sweep", [file, "--seed", "8", "--quiet", "--jobs", "1", "--out", join(home, "other")], home);
    expect(other.status).toBe(0);
    const otherPlan = JSON.parse(readFileSync(join(home, "other", "sweep.json"), "utf8"));
    expect(otherPlan.runs.map((x: { seed: number }) => x.seed)).not.toEqual(plan.runs.map((x: { seed: number }) => x.seed));
  });

  it.each([
    ["a bad grid value at its place in the grid", { "churn.tMed": ["1.4m", "fast"] }, '/sweep/grid/churn.tMed/1: expected a duration such as "500ms", "90s", "23m" or "1.4h"'],
    [
      "a bad field inside an object-valued grid value below it",
      { "churn.sessions": [{ distribution: "weibull", k: -1, median: "5m" }] },
      "/sweep/grid/churn.sessions/0/k: expected more than 0",
    ],
    [
      "a combination no single value is to blame for at the run's point, with the field",
      { duration: ["2m", "30s"] },
      "/sweep/grid (duration=30s,replicate=0): /warmup: expected less than the duration (30s), or no lookup would count",
    ],
  ])("name %s, exit 2, nothing written", (_what, grid, expected) => {
    const home = tempDir();
    const file = join(home, "tiny.json");
    const churn = "churn.sessions" in grid ? { process: "lifetime", sessions: { distribution: "exponential", median: "5m" } } : sweep.churn;
    writeFileSync(file, JSON.stringify({ ...sweep, churn, sweep: { grid, seeds: 1 } }));
    const r = command("sweep", [file, "--quiet"], home);
    expect(r.stderr.trimEnd()).toBe(`error: ${file}: ${expected}`);
    expect(r.status).toBe(2);
    expect(readdirSync(home)).toEqual(["tiny.json"]);
  });

  it("refuse a --set of a swept value, which the grid would overwrite in every run", () => {
    const home = tempDir();
    const file = join(home, "tiny.json");
    writeFileSync(file, JSON.stringify(sweep));
    const r = command("sweep", [file, "--set", "churn.tMed=3m"], home);
    expect(r.stderr.trimEnd()).toBe(`error: --set churn.tMed: the sweep's grid sets "churn.tMed" in every run; change its values in /sweep/grid instead`);
    expect(r.status).toBe(2);
    expect(readdirSync(home)).toEqual(["tiny.json"]);
  });
});
