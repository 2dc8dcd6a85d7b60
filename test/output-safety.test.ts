import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

/** --force and --out: nothing the user owns is replaced or written into without proof it is a churnsim result. */
const root = new URL("..", import.meta.url).pathname;
const command = (script: string, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], { cwd: root, encoding: "utf8" });
const small = ["--nodes", "60", "--duration", "3m", "--set", "warmup=2m", "--set", "joinPhase=30s", "--quiet"];

/** Every file under `dir` with its content, hidden ones included: what "nothing touched" compares. */
function snapshot(dir: string, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out[path] = "<dir>";
      snapshot(path, out);
    } else {
      out[path] = readFileSync(path, "utf8");
    }
  }
  return out;
}

/** A one-line refusal naming the path, exit status 2. */
function expectRefused(r: ReturnType<typeof command>, path: string, reason: string) {
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${path}: ${reason}`);
}

describe("npm run sim --force", () => {
  it("refuses a directory that is not a churnsim run, a sweep, and a file, touching nothing", () => {
    const home = tempDir();
    const thesis = join(home, "thesis");
    mkdirSync(join(thesis, "chapters"), { recursive: true });
    writeFileSync(join(thesis, "chapters", "1.tex"), "my thesis");
    writeFileSync(join(thesis, "summary.json"), "{}"); // half a run's shape is not a run
    const sweep = join(home, "sweep");
    mkdirSync(join(sweep, "runs"), { recursive: true });
    writeFileSync(join(sweep, "sweep.json"), "{}");
    const file = join(home, "notes.txt");
    writeFileSync(file, "my notes");
    const before = snapshot(home);

    expectRefused(command("sim", ["scenarios/kazaa.json", ...small, "--out", thesis, "--force"]), thesis, "is not empty and not a churnsim run");
    expectRefused(command("sim", ["scenarios/kazaa.json", ...small, "--out", sweep, "--force"]), sweep, "holds a churnsim sweep, not a single run");
    expectRefused(command("sim", ["scenarios/kazaa.json", ...small, "--out", file, "--force"]), file, "is a file, not a results directory");
    expectRefused(command("sim", ["scenarios/kazaa.json", ...small, "--out", file]), file, "is a file, not a results directory");
    expect(snapshot(home)).toEqual(before);
  });

  it("replaces a run directory written before the marker existed, and takes an empty directory without --force", () => {
    const home = tempDir();
    const old = join(home, "old");
    mkdirSync(old);
    writeFileSync(join(old, "scenario.json"), "{}");
    writeFileSync(join(old, "summary.json"), '{"stale": true}');
    writeFileSync(join(old, "lookups.csv"), "stale");
    const replaced = command("sim", ["scenarios/kazaa.json", ...small, "--out", old, "--force"]);
    expect(replaced.status).toBe(0);
    expect(JSON.parse(readFileSync(join(old, "summary.json"), "utf8")).stale).toBeUndefined();
    expect(JSON.parse(readFileSync(join(old, ".churnsim"), "utf8")).kind).toBe("run");

    const empty = join(home, "empty");
    mkdirSync(empty);
    expect(command("sim", ["scenarios/kazaa.json", ...small, "--out", empty]).status).toBe(0);
    expect(readdirSync(empty)).toContain("lookups.csv");
    expect(readdirSync(home).sort()).toEqual(["empty", "old"]);
  });

  it("removes what a crashed attempt at the same run left, if it carries our marker, and nothing else", () => {
    const home = tempDir();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    mkdirSync(join(home, `.run.partial-${dead}`));
    writeFileSync(join(home, `.run.partial-${dead}`, ".churnsim"), '{"kind":"run"}\n');
    mkdirSync(join(home, `.run.partial-${dead}.old`)); // no marker: the user's, as far as we can prove
    expect(command("sim", ["scenarios/kazaa.json", ...small, "--out", join(home, "run")]).status).toBe(0);
    expect(readdirSync(home).sort()).toEqual([`.run.partial-${dead}.old`, "run"]);
  });
});

describe("npm run sweep and npm run reproduce --out", () => {
  it("refuse a file, or a directory holding anything but theirs, touching nothing", () => {
    const home = tempDir();
    const thesis = join(home, "thesis");
    mkdirSync(thesis);
    writeFileSync(join(thesis, "1.tex"), "my thesis");
    const file = join(home, "notes.txt");
    writeFileSync(file, "my notes");
    const run = join(home, "run");
    mkdirSync(run);
    writeFileSync(join(run, "scenario.json"), "{}");
    writeFileSync(join(run, "summary.json"), "{}");
    const before = snapshot(home);

    const sweep = (out: string) => command("sweep", ["scenarios/sweeps/recovery-small.json", "--out", out]);
    expectRefused(sweep(thesis), thesis, "is not empty and not a churnsim sweep directory");
    expectRefused(sweep(file), file, "is a file, not a directory");
    expectRefused(sweep(run), run, "holds a churnsim run, not a churnsim sweep");
    const reproduce = (out: string) => command("reproduce", ["usenix04", "--quick", "--only", "6", "--out", out]);
    expectRefused(reproduce(thesis), thesis, "is not empty and not a churnsim study directory");
    expectRefused(reproduce(file), file, "is a file, not a directory");
    // A merge of shards writes a sweep: the same rule. The shard is a sweep of the older shape, before the marker.
    const shard = join(tempDir(), "shard");
    mkdirSync(join(shard, "runs"), { recursive: true });
    writeFileSync(join(shard, "sweep.json"), "{}");
    const merge = (out: string) => command("merge", [shard, "--out", out]);
    expectRefused(merge(thesis), thesis, "is not empty and not a churnsim sweep directory");
    expectRefused(merge(run), run, "holds a churnsim run, not a churnsim sweep");
    expect(snapshot(home)).toEqual(before);
  });
});
