import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { removeStaleTemporaries } from "./leftovers.js";
import { writeMarker } from "./result-marker.js";

/** The pid of a process that has ended (a fresh pid could be reused only after the whole pid space wraps). */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid as number;

describe("leftovers of crashed runs", () => {
  it("are removed from a directory of ours when their process no longer runs, and only then", () => {
    const dir = tempDir();
    const dead = deadPid();
    const names = [`.a.partial-${dead}`, `.a.partial-${dead}.old`, `.b.partial-${process.pid}`, `runs.csv.tmp-${dead}`, `.a.partial-x`, "a", ".notes"];
    for (const name of names) (name.includes(".csv") || name === ".notes" ? writeFileSync(join(dir, name), "") : mkdirSync(join(dir, name)));
    expect(removeStaleTemporaries(dir, { owned: true }).sort()).toEqual([`.a.partial-${dead}`, `.a.partial-${dead}.old`, `runs.csv.tmp-${dead}`]);
    expect(readdirSync(dir).sort()).toEqual([".a.partial-x", `.b.partial-${process.pid}`, ".notes", "a"].sort());
  });

  it("are removed beside a single run, in a directory the user owns, only when they carry our marker and are that run's", () => {
    const dir = tempDir();
    const dead = deadPid();
    for (const name of [`.run.partial-${dead}`, `.run.partial-${dead}.old`, `.other.partial-${dead}`]) {
      mkdirSync(join(dir, name));
      writeMarker(join(dir, name), "run");
    }
    mkdirSync(join(dir, `.run.partial-${dead + 1}`)); // no marker: not provably ours
    writeFileSync(join(dir, `report.md.tmp-${dead}`), "");
    expect(removeStaleTemporaries(dir, { owned: false, name: "run" }).sort()).toEqual([`.run.partial-${dead}`, `.run.partial-${dead}.old`]);
    expect(readdirSync(dir).sort()).toEqual([`.other.partial-${dead}`, `.run.partial-${dead + 1}`, `report.md.tmp-${dead}`].sort());
  });
});
