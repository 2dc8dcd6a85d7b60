import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const figures = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/figures.ts", ...args], { cwd: root, encoding: "utf8" });

/** A sweep directory with only a hand-written summary.csv: enough for the command to judge its options. */
function sweep(): string {
  const dir = join(tempDir(), "sweep");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "summary.csv"),
    "churn.tMed,metric,n,mean,ci95_low,ci95_high\n23m,latency_mean_ms,2,100,90,110\n23m,hops_mean,2,3,2,4\n47m,latency_mean_ms,2,80,70,90\n47m,hops_mean,2,2.5,2,3\n",
  );
  return dir;
}

describe("npm run figures", () => {
  it("refuses a path that is not there in one line naming it, exit 2", () => {
    const r = figures(["no/such/dir"]);
    expect(r.stderr).toBe("error: no/such/dir: no such directory\n");
    expect(r.status).toBe(2);
  });

  it("refuses a directory without summary.csv, writing nothing into it", () => {
    const dir = tempDir();
    const r = figures([dir]);
    expect(r.stderr).toBe(`error: ${dir}: not a finished sweep (no summary.csv)\n`);
    expect(r.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lists the metrics it has when --y names another, and draws nothing", () => {
    const dir = sweep();
    const r = figures([dir, "--y", "latency_p999"]);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "error: --y latency_p999: no such metric in summary.csv; expected one of latency_mean_ms, hops_mean",
      'run "npm run figures -- --help" for usage',
    ]);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, "figures"))).toBe(false);
  });

  it("lists the swept parameters when --x names another", () => {
    const r = figures([sweep(), "--x", "nodes"]);
    expect(r.stderr).toContain("error: --x nodes is not a swept parameter; expected one of churn.tMed\n");
    expect(r.status).toBe(2);
  });
});
