import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], { cwd: root, encoding: "utf8" });

// Every command answers a command-line mistake the same way: the reason on one line, where the usage is on
// the next, exit status 2, and nothing else (not the whole help).
describe("usage errors", () => {
  it.each([
    ["sim", ["scenarios/kazaa.json", "--frobnicate"], "error: unknown option '--frobnicate'"],
    ["sim", [], "error: missing required argument 'scenario'"],
    ["sim", ["scenarios/kazaa.json", "--set", "nodes"], '"nodes" is not an assignment; expected path=value'],
    ["sim", ["scenarios/kazaa.json", "--nodse", "3"], "error: unknown option '--nodse' (did you mean --nodes?)"],
    ["live", ["scenarios/kazaa.json", "--nodse", "3"], "error: unknown option '--nodse' (did you mean --nodes?)"],
    ["live", [], "error: missing required argument 'scenario'"],
    ["live-vs-sim", ["scenarios/kazaa.json", "--seeds", "0"], "--seeds must be a positive integer"],
    ["sweep", ["scenarios/sweeps/bench.json", "--jobs", "0"], "--jobs must be a positive integer"],
    ["sweep", ["scenarios/sweeps/bench.json", "--shard", "2/2"], '--shard: "2/2" is not a shard'],
    ["merge", ["somewhere"], "error: required option '--out <dir>' not specified"],
    ["figures", ["somewhere", "--frobnicate"], "error: unknown option '--frobnicate'"],
    ["reproduce", ["usenix04", "--jobs", "x"], "--jobs must be a positive integer"],
    ["reproduce", ["usenix05"], 'error: <study>: unknown study "usenix05"; expected one of: usenix04'],
    ["admission", ["--test", "9"], "--test must be one of 1, 2, 3, 4, 5, 6, 7"],
    ["admission", ["--algorithm", "fairish"], "--algorithm must be one of random, fairRate"],
    ["admission", ["--csv", "package.json"], "--csv: package.json exists; choose another file, or --force to replace it"],
    ["reproduce", ["usenix04", "--only", "9"], 'error: --only: no experiment "9" in scenarios/usenix04'],
    ["bench", ["--frobnicate"], "error: unknown option '--frobnicate'"],
    ["schema", ["--chek"], "error: unknown option '--chek' (did you mean --check?)"],
    ["soak", ["--minutes", "soon"], "--minutes must be a positive number"],
    ["soak", ["--minutes", "0"], "--minutes must be a positive number"],
    ["soak", ["--seed", "2147483648"], "--seed must be an integer from 0 to 2147483647"],
    ["soak", ["--replay", "nonsense"], "error: --replay: expected seed:path"],
    ["soak", ["--replay", "99999999999999999999:1:0"], "error: --replay: expected seed:path"],
  ])("%s %j: one error line, one hint, exit 2", (cmd, args, reason) => {
    const r = run(cmd, args);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(reason);
    expect(lines[1]).toBe(`run "npm run ${cmd} -- --help" for usage`);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(2);
  });

  it("says the same through npm run, as users type it", () => {
    const r = spawnSync("npm", ["run", "--silent", "sim", "--", "scenarios/kazaa.json", "--frobnicate"], { cwd: root, encoding: "utf8" });
    expect(r.stderr.trimEnd().split("\n")).toEqual(["error: unknown option '--frobnicate'", 'run "npm run sim -- --help" for usage']);
    expect(r.status).toBe(2);
  });
});

describe("npm run fingerprints", () => {
  it("--help prints the usage and computes nothing", () => {
    const r = run("fingerprints", ["--help"]);
    expect(r.stdout).toContain("Usage: npm run fingerprints -- [options]");
    expect(r.stdout).toContain("--update");
    expect(r.stdout).not.toMatch(/same|CHANGED/);
    expect(r.status).toBe(0);
  });

  it("refuses a typo of --update before computing anything", () => {
    const r = run("fingerprints", ["--udpate"]);
    expect(r.stderr.trimEnd().split("\n")).toEqual(["error: unknown option '--udpate' (did you mean --update?)", 'run "npm run fingerprints -- --help" for usage']);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(2);
  });
});

// Numbers are judged at the command line, by the option's own rule, not later in words about the scenario file.
describe("numeric options", () => {
  it.each([
    [["--nodes", "0"], '--nodes must be a positive integer, got "0"'],
    [["--nodes", "-5"], '--nodes must be a positive integer, got "-5"'],
    [["--nodes", "2.5"], '--nodes must be a positive integer, got "2.5"'],
    [["--seed", "4294967296"], '--seed must be an integer from 0 to 4294967295, got "4294967296"'],
  ])("sim %j is refused", (args, reason) => {
    const r = run("sim", ["scenarios/kazaa.json", ...args]);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).not.toContain("scenarios/kazaa.json");
    expect(r.status).toBe(2);
  });
});

// Each command's --help starts by saying what it does, and only prints.
describe("--help", () => {
  it.each(["sim", "sweep", "merge", "figures", "reproduce", "bench", "fingerprints", "soak"])("%s describes itself", (cmd) => {
    const r = run(cmd, ["--help"]);
    const [usage, blank, description] = r.stdout.split("\n");
    expect(usage).toMatch(new RegExp(`^Usage: npm run ${cmd} -- `));
    expect(blank).toBe("");
    expect(description.length).toBeGreaterThan(20);
    expect(r.status).toBe(0);
  });
});
